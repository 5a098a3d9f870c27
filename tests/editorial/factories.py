"""Factories of the editorial app's tests."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from channels_app.models import Channel
from channels_app.services import channel_connect_with_form
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UnitFactory
from tests.factories import UserFactory


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


def sandbox_connected(channel: Channel, people: People, handle: str) -> Channel:
    """The channel connected to the sandbox account ``handle`` (created on first use)."""
    channel_connect_with_form(
        actor=people.channel_admin, channel=channel, values={"handle": handle, "password": "pw"}
    )
    return Channel.objects.get(pk=channel.pk)


def due_post(
    org: Org, people: People, channels: list[Channel], title: str = "Hitzewarnung"
) -> Post:
    """An approved post on ``channels`` whose planned minute has just come."""
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title=title,
        text=f"{title}: Bitte viel trinken.",
        channels=channels,
        planned_at=timezone.now() + timedelta(minutes=1),
    )
    post_submit(actor=people.editor, post=post)
    post_approve(actor=people.approver, post=post)
    PostVariant.objects.filter(post=post).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    return Post.objects.get(pk=post.pk)


class PostFactory(factory.django.DjangoModelFactory):
    """A post in any status, written straight to the table (no service, no audit): for reads
    such as lists and the dashboard. ``channels``: a variant on each, in ``variant_status``."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"Beitrag {n}")
    text = "Die Bürgersprechstunde fällt heute aus."
    author = factory.SubFactory(UserFactory)
    status = Post.Status.DRAFT

    @factory.post_generation
    def channels(self, create: bool, extracted: list[Channel] | None, **kw: Any) -> None:
        for channel in extracted or []:
            PostVariant.objects.create(
                post=self,
                channel=channel,
                status=kw.get("status", PostVariant.Status.PENDING),
                scheduled_at=kw.get("scheduled_at", self.planned_at),
            )
