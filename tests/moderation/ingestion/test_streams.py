# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Running a stream: the cursor moves only with a stored batch; outages and rate limits
only delay; a stream the platform does not offer is reported once; authentication errors
mark the channel; two dispatchers never claim one stream twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from accounts.models import AuditEntry
from channels_app.credentials import credentials_write
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.sandbox import simulation
from moderation.ingestion.services import cursors_dispatch_due
from moderation.ingestion.services import cursors_ensure
from moderation.ingestion.services import stream_ingest
from moderation.models import InboxItem
from moderation.models import IngestCursor
from tests.conftest import Org
from tests.conftest import de
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.ingestion.conftest import connect_sandbox
from tests.moderation.ingestion.conftest import control
from tests.moderation.ingestion.conftest import cursor_of
from tests.moderation.ingestion.conftest import sandbox_posts
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _expected(posts: list[Any]) -> int:
    return sum(len(simulation.comment_schedule(p.remote_id)) for p in posts)


def test_resumes_after_a_failure_mid_way_without_gaps_or_duplicates(
    org: Org, run: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("channels_app.adapters.sandbox.COMMENTS_PAGE", 5)
    channel = connect_sandbox(org.press_channel, "stadt")
    posts = sandbox_posts("stadt", 4)
    control("stadt", fail_status=503, read_fail_after=2, read_fail_count=2)
    cursor = cursor_of(channel)
    assert run(cursor) == "transient"
    cursor.refresh_from_db()
    assert cursor.items_total == 10  # two pages stored, then the platform failed
    assert cursor.last_error and cursor.last_success_at is None
    stored_position = cursor.cursor
    assert run(cursor) == "transient"
    cursor.refresh_from_db()
    assert cursor.cursor == stored_position  # a failed fetch does not move it
    assert run(cursor) == "ok"
    remote_ids = list(InboxItem.objects.values_list("remote_id", flat=True))
    assert len(remote_ids) == len(set(remote_ids)) == _expected(posts)


def test_a_rate_limit_sets_not_before_from_retry_after(org: Org, run: Callable[..., str]) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    sandbox_posts("stadt", 1)
    control("stadt", fail_status=429, retry_after_seconds=120, read_fail_count=1)
    cursor = cursor_of(channel)
    before = timezone.now()
    assert run(cursor) == "transient"
    cursor.refresh_from_db()
    assert cursor.not_before is not None
    assert (
        before + timedelta(seconds=119)
        <= cursor.not_before
        <= timezone.now() + timedelta(seconds=121)
    )
    assert cursor.claimed_at is None and not cursor.unavailable


def test_the_dispatcher_waits_for_not_before(org: Org, settings: Any) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    cursor = cursor_of(channel)
    IngestCursor.objects.filter(channel=channel).update(
        not_before=timezone.now() + timedelta(minutes=2)
    )
    assert cursor.pk not in cursors_dispatch_due()
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert cursor.pk in cursors_dispatch_due()


def test_a_stream_the_platform_does_not_offer_is_reported_once(org: Org) -> None:
    channel = ChannelFactory(platform=Platform.FACEBOOK, unit=org.press, name="Seite")
    credentials_write(channel, {"access_token": "page-token"})
    Channel.objects.filter(pk=channel.pk).update(status=Channel.Status.ACTIVE, account_id="1")
    cursor = cursor_of(channel, "messages")
    for _attempt in range(2):
        IngestCursor.objects.filter(pk=cursor.pk).update(claimed_at=timezone.now())
        assert stream_ingest(cursor_id=cursor.pk) == "unavailable"
    cursor.refresh_from_db()
    assert cursor.unavailable and de("read direct messages") in cursor.unavailable_reason
    entries = AuditEntry.objects.filter(action="moderation.ingestion.stream_unavailable")
    assert entries.count() == 1
    assert entries.get().data["stream"] == "messages"
    # Never polled again as if it were a passing error.
    assert cursor.pk not in cursors_dispatch_due()


def test_an_authentication_error_marks_the_channel(org: Org, run: Callable[..., str]) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    credentials_write(channel, {"access_token": "sbx_revoked"})
    cursor = cursor_of(channel)
    assert run(cursor) == "authentication"
    channel.refresh_from_db()
    assert channel.status == Channel.Status.NEEDS_RECONNECT
    cursor.refresh_from_db()
    assert cursor.last_error and cursor.claimed_at is None
    # A channel waiting for reconnection is not polled.
    assert cursor.pk not in cursors_dispatch_due()


def test_cursors_exist_for_every_polled_channel(org: Org) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    cursors_ensure()
    assert set(IngestCursor.objects.filter(channel=channel).values_list("stream", flat=True)) == {
        "comments",
        "mentions",
        "messages",
    }
    # Disconnected channels (the factory's default) have none; running it twice adds none.
    assert not IngestCursor.objects.filter(channel=org.police_channel).exists()
    assert cursors_ensure() == 0


def test_two_dispatches_never_claim_a_stream_twice(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    connect_sandbox(org.press_channel, "stadt")
    with django_capture_on_commit_callbacks() as queued:
        first = cursors_dispatch_due()
    assert len(first) == 3 and len(queued) == 3
    assert cursors_dispatch_due() == []
    assert IngestCursor.objects.filter(claimed_at__isnull=False).count() == 3


def test_a_stream_polled_recently_is_not_due(org: Org, settings: Any) -> None:
    settings.MODERATION_POLL_SECONDS = 60
    channel = connect_sandbox(org.press_channel, "stadt")
    cursors_ensure()
    IngestCursor.objects.filter(channel=channel).update(last_run_at=timezone.now())
    assert cursors_dispatch_due() == []


def test_an_unclaimed_message_does_nothing(org: Org) -> None:
    cursor = cursor_of(connect_sandbox(org.press_channel, "stadt"))
    assert stream_ingest(cursor_id=cursor.pk) == "not_claimed"


def test_a_run_that_lost_its_claim_stores_nothing(
    org: Org, session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    sandbox_posts("stadt", 2)
    cursor = cursor_of(channel)
    IngestCursor.objects.filter(pk=cursor.pk).update(claimed_at=timezone.now())
    from channels_app import services as channel_services

    real = channel_services.channel_fetch_stream

    def fetch_then_taken_over(*args: Any, **kwargs: Any) -> Any:
        page = real(*args, **kwargs)
        # Another run took the stream over while this one waited for the platform.
        IngestCursor.objects.filter(pk=cursor.pk).update(
            claimed_at=timezone.now() + timedelta(seconds=1)
        )
        return page

    monkeypatch.setattr("moderation.ingestion.services.channel_fetch_stream", fetch_then_taken_over)
    assert stream_ingest(cursor_id=cursor.pk, session=session) == "lost_claim"
    assert not InboxItem.objects.exists()


def test_mentions_and_messages_of_a_lively_audience(org: Org, run: Callable[..., str]) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    control("stadt", lively=True)
    with time_machine.travel(timezone.now() + timedelta(hours=7)):
        assert run(cursor_of(channel, "mentions")) == "ok"
        assert run(cursor_of(channel, "messages")) == "ok"
    kinds = set(InboxItem.objects.values_list("kind", flat=True))
    assert kinds == {"mention", "message"}
    mention = InboxItem.objects.filter(kind="mention").first()
    assert mention is not None and "@stadt" in mention.text and mention.post_remote_id == ""


def test_an_unexpected_error_releases_the_claim(
    org: Org, session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cursor = cursor_of(connect_sandbox(org.press_channel, "stadt"))
    IngestCursor.objects.filter(pk=cursor.pk).update(claimed_at=timezone.now())

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("id")

    monkeypatch.setattr("moderation.ingestion.services.channel_fetch_stream", broken)
    assert stream_ingest(cursor_id=cursor.pk, session=session) == "error"
    cursor.refresh_from_db()
    assert cursor.claimed_at is None and cursor.last_error


def test_a_backlog_beyond_the_page_limit_is_due_again_at_once(
    org: Org, run: Callable[..., str], monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.MODERATION_POLL_SECONDS = 60
    monkeypatch.setattr("channels_app.adapters.sandbox.COMMENTS_PAGE", 3)
    monkeypatch.setattr("moderation.ingestion.services.MAX_PAGES_PER_RUN", 2)
    channel = connect_sandbox(org.press_channel, "stadt")
    posts = sandbox_posts("stadt", 3)
    cursor = cursor_of(channel)
    assert run(cursor) == "ok"
    assert InboxItem.objects.count() == 6
    assert cursor.pk in cursors_dispatch_due()
    while InboxItem.objects.count() < _expected(posts):
        assert run(cursor) == "ok"
    assert InboxItem.objects.count() == _expected(posts)


def test_the_beat_task_queues_what_is_due(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    from moderation.ingestion.tasks import dispatch_ingestion

    connect_sandbox(org.press_channel, "stadt")
    with django_capture_on_commit_callbacks() as queued:
        assert dispatch_ingestion() == 3
    assert len(queued) == 3


def test_a_channel_disconnected_after_the_claim_is_left_alone(org: Org) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    cursor = cursor_of(channel)
    IngestCursor.objects.filter(pk=cursor.pk).update(claimed_at=timezone.now())
    Channel.objects.filter(pk=channel.pk).update(status=Channel.Status.DISCONNECTED)
    assert stream_ingest(cursor_id=cursor.pk) == "channel_inactive"
    channel.refresh_from_db()
    assert channel.status == Channel.Status.DISCONNECTED
    cursor.refresh_from_db()
    assert cursor.claimed_at is None
