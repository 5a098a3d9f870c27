"""Factories of the editorial app's tests."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import factory
from django.core.files.base import ContentFile
from PIL import Image

from editorial.models import MediaAsset
from tests.factories import UnitFactory


def png_bytes(width: int = 64, height: int = 48, color: Any = (20, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if len(color) == 4 else "RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


class MediaAssetFactory(factory.django.DjangoModelFactory):
    """An image asset with a real PNG on disk; ``content=<bytes>`` stores other data
    (size, checksum and dimensions follow the content)."""

    class Meta:
        model = MediaAsset
        exclude = ["content"]

    unit = factory.SubFactory(UnitFactory)
    content = factory.LazyFunction(png_bytes)
    original_name = factory.Sequence(lambda n: f"pressefoto-{n}.png")
    kind = MediaAsset.Kind.IMAGE
    mime_type = "image/png"
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="asset.png"))
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    width = factory.LazyAttribute(lambda o: Image.open(io.BytesIO(o.content)).width)
    height = factory.LazyAttribute(lambda o: Image.open(io.BytesIO(o.content)).height)
    alt_text = "Ein blaues Rechteck."
    license = MediaAsset.License.OWN
