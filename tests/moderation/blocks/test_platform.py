# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The platform side of the register: the block and unblock run after the commit in a task,
once; a failure leaves the entry consistent and can be retried; a platform without the API
gives staff a to-do by hand. Mastodon is faked at the HTTP boundary (``responses``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
import responses
import time_machine
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditEntry
from channels_app.models import Channel
from channels_app.models import Platform
from moderation.blocks import tasks
from moderation.blocks.services import MAX_PLATFORM_ATTEMPTS
from moderation.blocks.services import block_lift
from moderation.blocks.services import block_platform_confirm
from moderation.blocks.services import block_platform_retry
from moderation.blocks.services import block_platform_sync
from moderation.blocks.services import blocks_platform_requeue
from moderation.models import BlockEntry
from moderation.models import InboxItem
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.blocks.conftest import BLOCK_URL
from tests.moderation.blocks.conftest import UNBLOCK_URL
from tests.moderation.blocks.conftest import connect
from tests.moderation.blocks.conftest import relationship
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

P = BlockEntry.PlatformStatus
S = BlockEntry.Status


def _fresh(block: BlockEntry) -> BlockEntry:
    return BlockEntry.objects.get(pk=block.pk)


def test_the_platform_block_is_queued_after_the_commit(
    make_block: Callable[..., BlockEntry],
    item: InboxItem,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(tasks.block_on_platform, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        block = make_block(item)
        assert queued == []  # nothing reaches the broker before the commit
    assert queued == [block.pk]
    assert _fresh(block).platform_status == P.PENDING


@responses.activate
def test_the_task_blocks_the_author_on_mastodon(block: BlockEntry) -> None:
    responses.post(BLOCK_URL, json=relationship(blocking=True))
    assert tasks.block_on_platform(block.pk) == "done"
    block = _fresh(block)
    assert (block.platform_status, block.blocked_on_platform) == (P.DONE, True)
    assert block.platform_done_at is not None
    assert len(responses.calls) == 1
    assert responses.calls[0].request.headers["Authorization"] == "Bearer token-0123456789abcdef"


@responses.activate
def test_a_done_platform_block_is_audited(block: BlockEntry) -> None:
    responses.post(BLOCK_URL, json=relationship(blocking=True))
    block_platform_sync(block.pk)
    entry = AuditEntry.objects.get(action="moderation.blocks.platform_done")
    assert entry.data["direction"] == "block"
    assert entry.actor is None


@responses.activate
def test_running_the_task_again_does_not_call_the_platform_again(block: BlockEntry) -> None:
    responses.post(BLOCK_URL, json=relationship(blocking=True))
    block_platform_sync(block.pk)
    assert block_platform_sync(block.pk).state == "skipped"
    assert len(responses.calls) == 1


@responses.activate
def test_a_transient_failure_keeps_the_entry_pending_with_the_reason(block: BlockEntry) -> None:
    responses.post(BLOCK_URL, status=503, json={"error": "Service Unavailable"})
    outcome = block_platform_sync(block.pk)
    assert outcome.state == "retry"
    assert outcome.retry_in == 60
    block = _fresh(block)
    assert (block.status, block.platform_status) == (S.ACTIVE, P.PENDING)
    assert block.platform_error
    assert block.platform_attempts == 1
    assert block.platform_claimed_at is None


@responses.activate
def test_a_transient_failure_queues_the_task_again_later(
    block: BlockEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    responses.post(BLOCK_URL, status=503, json={"error": "Service Unavailable"})
    later: list[tuple[object, float | None]] = []
    monkeypatch.setattr(
        tasks.block_on_platform,
        "apply_async",
        lambda args, countdown=None: later.append((args, countdown)),
    )
    assert tasks.block_on_platform(block.pk) == "retry"
    assert later == [((block.pk,), 60.0)]


@responses.activate
def test_the_platform_failure_after_the_last_attempt_marks_the_entry_failed(
    block: BlockEntry,
) -> None:
    responses.post(BLOCK_URL, status=503, json={"error": "Service Unavailable"})
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _attempt in range(MAX_PLATFORM_ATTEMPTS):
            outcome = block_platform_sync(block.pk)
            clock.shift(timedelta(hours=2))  # past every retry's time
    assert outcome.state == "failed"
    block = _fresh(block)
    assert block.platform_status == P.FAILED
    assert block.status == S.ACTIVE  # the register entry stands, the block is not lost
    assert "503" in block.platform_error
    assert AuditEntry.objects.filter(action="moderation.blocks.platform_failed").count() == 1


@responses.activate
def test_a_block_the_token_may_not_do_fails_at_once_and_leaves_the_channel_alone(
    block: BlockEntry,
) -> None:
    responses.post(
        BLOCK_URL, status=403, json={"error": "This action is outside the authorized scopes"}
    )
    assert block_platform_sync(block.pk).state == "failed"
    block = _fresh(block)
    assert block.platform_status == P.FAILED
    assert "authorized scopes" in block.platform_error
    assert Channel.objects.get(pk=block.channel_id).status == Channel.Status.ACTIVE


@responses.activate
def test_a_revoked_token_fails_the_block_and_marks_the_channel_for_reconnecting(
    block: BlockEntry,
) -> None:
    responses.post(BLOCK_URL, status=401, json={"error": "The access token was revoked"})
    assert block_platform_sync(block.pk).state == "failed"
    assert _fresh(block).platform_status == P.FAILED
    assert Channel.objects.get(pk=block.channel_id).status == Channel.Status.NEEDS_RECONNECT


@responses.activate
def test_a_failed_block_can_be_retried_and_then_succeeds(
    people: People,
    block: BlockEntry,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    responses.post(BLOCK_URL, status=422, json={"error": "Validation failed"})
    block_platform_sync(block.pk)
    assert _fresh(block).platform_status == P.FAILED
    queued: list[int] = []
    monkeypatch.setattr(tasks.block_on_platform, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        block_platform_retry(actor=people.community_manager, block=block)
    assert queued == [block.pk]
    assert (_fresh(block).platform_status, _fresh(block).platform_attempts) == (P.PENDING, 0)
    responses.replace(responses.POST, BLOCK_URL, json=relationship(blocking=True))
    assert tasks.block_on_platform(block.pk) == "done"
    assert _fresh(block).platform_status == P.DONE
    assert AuditEntry.objects.filter(action="moderation.blocks.platform_retried").count() == 1


def test_retrying_a_block_that_did_not_fail_is_refused(people: People, block: BlockEntry) -> None:
    with pytest.raises(DomainError):
        block_platform_retry(actor=people.community_manager, block=block)


@responses.activate
def test_unblocking_calls_the_platform_once(people: People, block: BlockEntry) -> None:
    responses.post(BLOCK_URL, json=relationship(blocking=True))
    responses.post(UNBLOCK_URL, json=relationship(blocking=False))
    block_platform_sync(block.pk)
    block_lift(actor=people.community_manager, block=block, reason="Entschuldigung erhalten.")
    assert tasks.unblock_on_platform(block.pk) == "done"
    assert tasks.unblock_on_platform(block.pk) == "skipped"
    assert [call.request.url for call in responses.calls] == [BLOCK_URL, UNBLOCK_URL]
    block = _fresh(block)
    assert (block.status, block.platform_status, block.blocked_on_platform) == (
        S.LIFTED,
        P.DONE,
        False,
    )


@responses.activate
def test_a_block_lifted_before_its_task_ran_is_only_unblocked(
    people: People, block: BlockEntry
) -> None:
    responses.post(UNBLOCK_URL, json=relationship(blocking=False))
    block_lift(actor=people.community_manager, block=block, reason="Versehen.")
    assert tasks.block_on_platform(block.pk) == "done"  # the block task, queued first
    assert tasks.unblock_on_platform(block.pk) == "skipped"
    assert [call.request.url for call in responses.calls] == [UNBLOCK_URL]


@responses.activate
def test_a_lift_during_the_block_call_is_carried_out_after_it(
    people: People, block: BlockEntry
) -> None:
    """The block call is under way when staff lift the block: the call's result must not
    overwrite the lift; the same run unblocks right after."""

    def lifted_meanwhile(request):  # type: ignore[no-untyped-def]
        block_lift(actor=people.community_manager, block=block, reason="Doch nicht.")
        return (200, {}, json.dumps(relationship(blocking=True)))

    responses.add_callback(responses.POST, BLOCK_URL, callback=lifted_meanwhile)
    responses.post(UNBLOCK_URL, json=relationship(blocking=False))
    assert block_platform_sync(block.pk).state == "done"
    assert [call.request.url for call in responses.calls] == [BLOCK_URL, UNBLOCK_URL]
    block = _fresh(block)
    assert (block.status, block.platform_status, block.blocked_on_platform) == (
        S.LIFTED,
        P.DONE,
        False,
    )


def test_a_platform_without_a_block_api_gives_a_to_do_by_hand(
    org: Org,
    make_block: Callable[..., BlockEntry],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    channel = connect(org.social_channel, Platform.X, account_id="42")
    item = InboxItemFactory(channel=channel, author=AuthorFactory(channel=channel))
    queued: list[int] = []
    monkeypatch.setattr(tasks.block_on_platform, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        block = make_block(item)
    assert queued == []
    assert block.platform_status == P.MANUAL
    assert de("block the author by hand there").lower() in block.platform_error.lower()
    assert block.blocked_on_platform is False


def test_a_block_done_by_hand_is_confirmed_in_the_register(
    org: Org, people: People, make_block: Callable[..., BlockEntry]
) -> None:
    channel = connect(org.social_channel, Platform.X, account_id="42")
    block = make_block(InboxItemFactory(channel=channel, author=AuthorFactory(channel=channel)))
    block_platform_confirm(actor=people.community_manager, block=block)
    block = _fresh(block)
    assert (block.platform_status, block.platform_confirmed_by) == (
        P.DONE,
        people.community_manager,
    )
    assert block.blocked_on_platform is False
    assert AuditEntry.objects.filter(action="moderation.blocks.platform_confirmed").exists()


@responses.activate
def test_youtube_cannot_unban_so_unblocking_there_is_a_to_do_by_hand(
    org: Org, people: People, make_block: Callable[..., BlockEntry]
) -> None:
    channel = connect(org.social_channel, Platform.YOUTUBE, account_id="UCmusterstadt")
    author = AuthorFactory(channel=channel, remote_id="UCwut")
    block = make_block(InboxItemFactory(channel=channel, author=author, remote_id="UgzKommentar"))
    responses.post("https://www.googleapis.com/youtube/v3/comments/setModerationStatus", status=204)
    assert block_platform_sync(block.pk).state == "done"
    query = responses.calls[0].request.params
    assert query == {"id": "UgzKommentar", "moderationStatus": "rejected", "banAuthor": "true"}
    block = block_lift(actor=people.community_manager, block=block, reason="Einspruch.")
    assert block.platform_status == P.MANUAL
    assert de("lift the block by hand there").lower() in block.platform_error.lower()
    assert len(responses.calls) == 1


def test_a_lost_platform_call_is_queued_again_by_the_sweep(
    block: BlockEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(tasks.block_on_platform, "delay", queued.append)
    assert blocks_platform_requeue() == 0  # just queued: not lost yet
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert blocks_platform_requeue() == 1
    assert queued == [block.pk]


def test_the_platform_tasks_go_to_the_publishing_queue(settings) -> None:  # type: ignore[no-untyped-def]
    routes = settings.CELERY_TASK_ROUTES
    assert routes["moderation.blocks.tasks.block_on_platform"] == {"queue": "publishing"}
    assert routes["moderation.blocks.tasks.unblock_on_platform"] == {"queue": "publishing"}


def _old(block: BlockEntry, minutes: int = 30) -> None:
    """The entry was made ``minutes`` ago."""
    BlockEntry.objects.filter(pk=block.pk).update(
        blocked_at=timezone.now() - timedelta(minutes=minutes)
    )


@responses.activate
def test_the_sweep_leaves_an_entry_waiting_for_its_retry_alone(
    block: BlockEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old(block)
    responses.post(BLOCK_URL, status=429, headers={"Retry-After": "3600"}, json={"error": "Slow"})
    assert block_platform_sync(block.pk).state == "retry"
    queued: list[int] = []
    monkeypatch.setattr(tasks.block_on_platform, "delay", queued.append)
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        assert blocks_platform_requeue() == 0  # the platform asked for an hour
    assert queued == []


@responses.activate
def test_a_retry_whose_message_was_lost_is_queued_again_by_the_sweep(
    block: BlockEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    responses.post(BLOCK_URL, status=503, json={"error": "Service Unavailable"})
    assert block_platform_sync(block.pk).state == "retry"  # again in 1 minute
    queued: list[int] = []
    monkeypatch.setattr(tasks.block_on_platform, "delay", queued.append)
    with time_machine.travel(timezone.now() + timedelta(minutes=12)):
        assert blocks_platform_requeue() == 1
    assert queued == [block.pk]


@responses.activate
def test_a_call_arriving_before_the_retry_time_does_not_reach_the_platform(
    block: BlockEntry,
) -> None:
    responses.post(BLOCK_URL, status=503, json={"error": "Service Unavailable"})
    block_platform_sync(block.pk)
    assert block_platform_sync(block.pk).state == "skipped"
    assert len(responses.calls) == 1
    assert _fresh(block).platform_attempts == 1


@responses.activate
def test_the_retry_runs_once_its_time_has_come(block: BlockEntry) -> None:
    responses.post(BLOCK_URL, status=503, json={"error": "Service Unavailable"})
    block_platform_sync(block.pk)
    responses.replace(responses.POST, BLOCK_URL, json=relationship(blocking=True))
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=1)):
        assert block_platform_sync(block.pk).state == "done"
    assert _fresh(block).platform_next_attempt_at is None


@responses.activate
def test_a_lift_while_the_block_waits_for_its_retry_unblocks_at_once(
    people: People, block: BlockEntry
) -> None:
    responses.post(BLOCK_URL, status=429, headers={"Retry-After": "3600"}, json={"error": "Slow"})
    responses.post(UNBLOCK_URL, json=relationship(blocking=False))
    block_platform_sync(block.pk)
    block_lift(actor=people.community_manager, block=block, reason="Einspruch begründet.")
    assert block_platform_sync(block.pk).state == "done"
    assert [call.request.url for call in responses.calls] == [BLOCK_URL, UNBLOCK_URL]
