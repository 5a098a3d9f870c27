"""A published record to export: the Presseamt's post with an image, approved through the
services (so the approval and the audit trail are real), published on its sandbox channel
with a reading of its figures and a moderation decision (resting on a Netiquette rule, with
an evidence record) on a reply; and a second post on the police's channel that no
Presseamt export may contain."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest

from accounts.audit import audit_log
from accounts.models import User
from analytics.models import PostMetricSnapshot
from analytics.models import RecordsExport
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from moderation.models import EvidenceRecord
from moderation.models import ModerationAction
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import MediaAssetFactory
from tests.editorial.factories import PostFactory
from tests.editorial.factories import png_bytes
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory

PUBLISHED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PERIOD = (date(2026, 3, 1), date(2026, 3, 31))
POST_TEXT = "Die Rheinbrücke ist ab Montag für zwei Wochen gesperrt."


@dataclass
class Record:
    post: Post
    variant: PostVariant
    asset: MediaAsset
    image: bytes
    action: ModerationAction
    evidence: EvidenceRecord
    police_post: Post


def publish(variant: PostVariant, remote_id: str, at: datetime = PUBLISHED_AT) -> PostVariant:
    variant.status = PostVariant.Status.PUBLISHED
    variant.published_at = at
    variant.remote_id = remote_id
    variant.remote_url = f"https://sandbox.example/p/{remote_id}"
    variant.save()
    Post.objects.filter(pk=variant.post_id).update(status=Post.Status.PUBLISHED)
    return variant


def build_record(org: Org, people: People) -> Record:
    image = png_bytes(80, 40, (200, 30, 30))
    asset = MediaAssetFactory(
        unit=org.press,
        content=image,
        original_name="Brücke gesperrt.png",
        alt_text="Absperrgitter vor der Rheinbrücke",
    )
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title="Brückensperrung",
        text=POST_TEXT,
        channels=[org.press_channel],
        media_ids=[asset.pk],
    )
    post_submit(actor=people.editor, post=post)
    post = post_approve(actor=people.approver, post=post)
    variant = publish(PostVariant.objects.get(post=post), "p-1")
    PostMetricSnapshot.objects.create(
        variant=variant, channel=org.press_channel, age_bucket=1, likes=1, shares=0
    )
    PostMetricSnapshot.objects.create(
        variant=variant, channel=org.press_channel, age_bucket=24, likes=7, shares=2, comments=1
    )
    netiquette = NetiquetteFactory(unit=org.city)
    rule = netiquette.rules.get(number=1)
    item = InboxItemFactory(channel=org.press_channel, variant=variant, text="Idioten!")
    evidence = EvidenceRecord.objects.create(
        item=item,
        channel=org.press_channel,
        author_remote_id=item.author.remote_id,
        content={"text": item.text},
        sha256="e" * 64,
        created_by=people.community_manager,
        retain_until=date(2027, 3, 2),
    )
    action = ModerationAction.objects.create(
        item=item,
        kind=ModerationAction.Kind.HIDE,
        rule=rule,
        justification="Beleidigung",
        evidence=evidence,
        status=ModerationAction.Status.DONE,
        actor=people.community_manager,
    )
    audit_log(
        action="moderation.actions.decided",
        actor=people.community_manager,
        target=action,
        unit=org.press,
    )
    police_post = PostFactory(
        unit=org.police_press, title="Polizeimeldung", channels=[org.police_channel]
    )
    publish(PostVariant.objects.get(post=police_post), "p-police")
    return Record(
        post=Post.objects.get(pk=post.pk),
        variant=variant,
        asset=asset,
        image=image,
        action=action,
        evidence=evidence,
        police_post=police_post,
    )


@pytest.fixture
def record(org: Org, people: People) -> Record:
    return build_record(org, people)


def queued_export(unit: Any, user: User, **fields: Any) -> RecordsExport:
    return RecordsExport.objects.create(
        unit=unit, period_start=PERIOD[0], period_end=PERIOD[1], requested_by=user, **fields
    )


def zip_bytes(export: RecordsExport) -> bytes:
    with export.file.open("rb") as handle:
        return handle.read()


def open_zip(export: RecordsExport) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(zip_bytes(export)))


def records_of(archive: zipfile.ZipFile) -> dict[str, Any]:
    return json.loads(archive.read("records.json"))


def earlier(days: int) -> datetime:
    return datetime.now(tz=UTC) - timedelta(days=days)
