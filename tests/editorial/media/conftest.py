"""Fixtures and test files shared by the media library tests."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.utils import translation
from PIL import Image
from PIL import ImageCms

from editorial.media.services import media_asset_upload
from editorial.models import MediaAsset
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import MediaAssetFactory


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def status_of(client: Any, url: str) -> int:
    """GET and read to the end: a file response keeps its file open until it is consumed
    (closing it by hand would also close the test's database connection)."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return int(response.status_code)


def german(function: Callable[..., str], *args: Any) -> str:
    """What the users of the fixtures (all German) are told."""
    with translation.override("de"):
        return function(*args)


# --- Test files ------------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_bilevel_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of the given size, small on disk (a few dozen KB): rows of zeros
    compress to almost nothing, and nothing is ever held as pixels."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def gps_photo() -> bytes:
    """A 40 x 20 JPEG, red left half and blue right half, EXIF orientation 6 ("turn 90°
    clockwise to view"), GPS coordinates, a comment, XMP and an sRGB ICC profile."""
    image = Image.new("RGB", (40, 20), (220, 0, 0))
    image.paste((0, 0, 220), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 18.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=95,
        exif=exif,
        comment=b"Aufnahmeort Rathaus",
        xmp=b"<x:xmpmeta>Standort</x:xmpmeta>",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    return out.getvalue()


def minimal_mp4(*, with_location: bool = True) -> bytes:
    """ftyp + moov (mvhd: 12.5 s; tkhd: 640 x 360; udta with a ©xyz location) + mdat."""
    ftyp = struct.pack(">I", 24) + b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2"
    mvhd_payload = b"\x00" * 12 + struct.pack(">II", 1000, 12_500) + b"\x00" * 80
    mvhd = struct.pack(">I", 8 + len(mvhd_payload)) + b"mvhd" + mvhd_payload
    tkhd_payload = b"\x00" * 76 + struct.pack(">II", 640 << 16, 360 << 16)
    tkhd = struct.pack(">I", 8 + len(tkhd_payload)) + b"tkhd" + tkhd_payload
    trak = struct.pack(">I", 8 + len(tkhd)) + b"trak" + tkhd
    location = b"\x00\x12\x15\xc7+52.5200+013.4050/"
    xyz = struct.pack(">I", 8 + len(location)) + b"\xa9xyz" + location
    udta = struct.pack(">I", 8 + len(xyz)) + b"udta" + xyz if with_location else b""
    body = mvhd + trak + udta
    moov = struct.pack(">I", 8 + len(body)) + b"moov" + body
    mdat = struct.pack(">I", 8 + 64) + b"mdat" + bytes(range(64))
    return ftyp + moov + mdat


# --- Uploading ---------------------------------------------------------------------------------


ALT_TEXT = "Die Bürgermeisterin eröffnet die neue Stadtbibliothek."


def upload_form(org: Org, content: bytes, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "unit": org.press.pk,
        "alt_text": ALT_TEXT,
        "caption": "Eröffnung der Stadtbibliothek",
        "credit": "Foto: Stadt Musterstadt",
        "license": MediaAsset.License.OWN,
        "rights_note": "Eigene Aufnahme der Pressestelle",
        "rights_valid_until": "2030-12-31",
        "file": SimpleUploadedFile(name, content),
        **extra,
    }


def upload(people: People, org: Org, content: bytes, name: str, **extra: Any) -> MediaAsset:
    return media_asset_upload(
        actor=people.editor,
        unit=org.press,
        uploaded_file=SimpleUploadedFile(name, content),
        alt_text=extra.pop("alt_text", "Ein Bild."),
        **extra,
    )


# --- Editing through the page ------------------------------------------------------------------


@dataclass
class Edited:
    response: HttpResponse
    asset: MediaAsset  # refreshed after the request


@pytest.fixture
def edited_through_the_page(people: People, org: Org, client_for: Any) -> Edited:
    """An asset of the Presseamt without credit, given credit and licence by the editor
    through its page."""
    asset = MediaAssetFactory(unit=org.press, credit="")
    response = client_for(people.editor).post(
        f"/editorial/media/{asset.pk}/",
        {
            "alt_text": "Ein blaues Rechteck auf weißem Grund.",
            "caption": "",
            "credit": "Grafik: Presseamt",
            "license": MediaAsset.License.CC_BY,
            "rights_note": "",
            "rights_valid_until": "",
        },
    )
    asset.refresh_from_db()
    return Edited(response=response, asset=asset)
