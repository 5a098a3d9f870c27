"""Simulated citizens of practice mode (issue 15): a practice post published to the sandbox is
answered at once by a friendly question, criticism, an insult, personal data and a formal
request, and the normal ingestion brings them into the practice unit's inbox. Publishing
and ingesting in practice only ever talk to the sandbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.practice.selectors import practice_unit_for
from accounts.practice.services import practice_mode_set
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.sandbox.simulation import PRACTICE_COMMENTS
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from editorial.practice.services import practice_colleague_review
from editorial.publishing.engine import variant_publish
from moderation.ingestion.services import cursors_ensure
from moderation.ingestion.services import stream_ingest
from moderation.models import InboxItem
from moderation.models import IngestCursor
from tests.conftest import Org
from tests.conftest import People

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sandbox(live_server, settings) -> str:  # type: ignore[no-untyped-def]
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.PLATFORM_READ_TIMEOUT = 5
    return settings.SANDBOX_BASE_URL


def _published_practice_post(user: User) -> PostVariant:
    practice_mode_set(user=user, active=True)
    user = User.objects.get(pk=user.pk)
    unit = practice_unit_for(user)
    channel = Channel.objects.filter(unit=unit).first()
    post = post_create(
        actor=user,
        unit=unit,
        title="Übung",
        text="Das Bürgerbüro ist am Freitag ab 12 Uhr geschlossen.",
        planned_at=timezone.now() - timedelta(minutes=1),
        channels=[channel],
    )
    post_submit(actor=user, post=post)
    assert practice_colleague_review(post.pk)
    assert Post.objects.get(pk=post.pk).status == Post.Status.SCHEDULED
    variant = PostVariant.objects.get(post=post)
    assert variant_publish(variant.pk) == "published"
    return variant


def test_the_simulated_citizens_answer_in_the_practice_inbox(
    sandbox: str, org: Org, people: People
) -> None:
    variant = _published_practice_post(people.editor)
    channel = variant.channel
    assert channel.platform == Platform.SANDBOX
    cursors_ensure(channels=[channel])
    cursor = IngestCursor.objects.get(channel=channel, stream="comments")
    IngestCursor.objects.filter(pk=cursor.pk).update(claimed_at=timezone.now())
    stream_ingest(cursor_id=cursor.pk)
    texts = set(InboxItem.objects.filter(channel=channel).values_list("text", flat=True))
    assert {text for _kind, text in PRACTICE_COMMENTS} <= texts
    # Only in the practice unit: no real channel got anything.
    assert not InboxItem.objects.exclude(channel__unit=practice_unit_for(people.editor)).exists()
