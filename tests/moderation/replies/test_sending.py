"""Sending replies exactly once against the sandbox platform (served by the live server):
sent and audited, the item answered; an answer lost after the platform accepted is retried
with the same key and the platform has one reply; errors retried with backoff or failed
with a reason; a platform that can neither deduplicate nor be asked hands the reply to a
person."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
import responses
from django.utils import timezone

from accounts.models import AuditEntry
from channels_app.adapters.base import AccountChoice
from channels_app.models import Channel
from channels_app.services import channel_connect
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.replies import sending
from moderation.replies.sending import reply_send
from moderation.replies.services import reply_create
from tests.conftest import Org
from tests.conftest import People
from tests.moderation.factories import InboxItemFactory
from tests.moderation.replies.conftest import SandboxThread

pytestmark = pytest.mark.django_db(transaction=True)

R = Reply.Status


def _write(thread: SandboxThread, people: People, text: str = "Ja, auch am Wochenende.") -> Reply:
    return reply_create(actor=people.community_manager, item=thread.item, text=text)


def _due_now(reply: Reply) -> None:
    Reply.objects.filter(pk=reply.pk).update(next_attempt_at=timezone.now())


def test_a_reply_is_sent_to_the_platform(thread: SandboxThread, people: People) -> None:
    reply = _write(thread, people)
    assert reply_send(reply.pk) == "sent"
    reply.refresh_from_db()
    (ours,) = thread.our_replies()
    assert reply.status == R.SENT and reply.remote_id == ours.remote_id
    assert ours.text == "Ja, auch am Wochenende." and ours.idempotency_key == str(
        reply.idempotency_key
    )


def test_a_sent_reply_is_audited(thread: SandboxThread, people: People) -> None:
    reply = _write(thread, people)
    reply_send(reply.pk)
    entry = AuditEntry.objects.get(action="moderation.replies.sent")
    assert entry.target_id == str(reply.pk)
    assert entry.data["remote_id"] == Reply.objects.get(pk=reply.pk).remote_id


def test_a_sent_reply_answers_the_item(thread: SandboxThread, people: People) -> None:
    reply_send(_write(thread, people).pk)
    assert InboxItem.objects.get(pk=thread.item.pk).status == InboxItem.Status.ANSWERED


def test_a_closed_item_stays_closed(thread: SandboxThread, people: People) -> None:
    InboxItem.objects.filter(pk=thread.item.pk).update(status=InboxItem.Status.CLOSED)
    reply_send(_write(thread, people).pk)
    assert InboxItem.objects.get(pk=thread.item.pk).status == InboxItem.Status.CLOSED


def test_service_levels_learn_when_the_reply_went_out(
    thread: SandboxThread, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded: list[tuple[int, object]] = []
    monkeypatch.setattr(
        sending, "item_response_recorded", lambda *, item, at: recorded.append((item.pk, at))
    )
    reply = _write(thread, people)
    reply_send(reply.pk)
    assert recorded == [(thread.item.pk, Reply.objects.get(pk=reply.pk).sent_at)]


def test_a_second_task_for_a_sent_reply_does_nothing(thread: SandboxThread, people: People) -> None:
    reply = _write(thread, people)
    reply_send(reply.pk)
    assert reply_send(reply.pk) == "not_claimed"
    assert len(thread.our_replies()) == 1


# --- Exactly once when the answer is lost ---------------------------------------------------


def test_a_lost_answer_is_retried_with_the_same_key_and_posted_once(
    thread: SandboxThread, people: People, control: Callable[..., None]
) -> None:
    control(thread.handle, timeout_after_accept_count=1, timeout_after_accept_seconds=4)
    reply = _write(thread, people)
    assert reply_send(reply.pk) == "retry"  # accepted, but the answer never came
    assert len(thread.our_replies()) == 1
    _due_now(reply)
    assert reply_send(reply.pk) == "sent"
    reply.refresh_from_db()
    assert reply.status == R.SENT and reply.attempts == 2
    (ours,) = thread.our_replies()
    assert reply.remote_id == ours.remote_id


def test_a_claim_left_by_a_dead_worker_is_taken_over_without_doubling(
    thread: SandboxThread, people: People
) -> None:
    reply = _write(thread, people)
    reply_send(reply.pk)
    # As if the worker died after the platform accepted and before the database knew.
    Reply.objects.filter(pk=reply.pk).update(
        status=R.SENDING, claimed_at=timezone.now() - sending.CLAIM_LEASE - timedelta(seconds=1)
    )
    assert reply_send(reply.pk) == "sent"
    assert len(thread.our_replies()) == 1


# --- Errors -------------------------------------------------------------------------------------


def test_server_errors_are_retried_later_with_their_reason(
    thread: SandboxThread, people: People, control: Callable[..., None]
) -> None:
    control(thread.handle, fail_status=503, fail_count=1)
    reply = _write(thread, people)
    assert reply_send(reply.pk) == "retry"
    reply.refresh_from_db()
    assert reply.status == R.QUEUED and reply.next_attempt_at > timezone.now()
    assert "503" in reply.last_error
    _due_now(reply)
    assert reply_send(reply.pk) == "sent"
    assert len(thread.our_replies()) == 1


def test_a_retry_waits_for_its_time(
    thread: SandboxThread, people: People, control: Callable[..., None]
) -> None:
    control(thread.handle, fail_status=503, fail_count=1)
    reply = _write(thread, people)
    reply_send(reply.pk)
    assert reply_send(reply.pk) == "not_claimed"


def test_retry_after_is_honoured(
    thread: SandboxThread, people: People, control: Callable[..., None]
) -> None:
    control(thread.handle, fail_status=429, fail_count=1, retry_after_seconds=3600)
    reply = _write(thread, people)
    reply_send(reply.pk)
    reply.refresh_from_db()
    assert reply.next_attempt_at >= timezone.now() + timedelta(minutes=59)


def test_retries_are_bounded(
    thread: SandboxThread, people: People, control: Callable[..., None]
) -> None:
    control(thread.handle, fail_status=503, fail_count=100)
    reply = _write(thread, people)
    for _attempt in range(sending.MAX_ATTEMPTS):
        _due_now(reply)
        reply_send(reply.pk)
    reply.refresh_from_db()
    assert reply.status == R.FAILED
    assert "Gave up after" in reply.last_error
    assert AuditEntry.objects.filter(action="moderation.replies.failed").count() == 1


def test_a_deleted_comment_fails_with_a_readable_reason(
    thread: SandboxThread, people: People
) -> None:
    thread.comment.deleted_at = timezone.now()
    thread.comment.save()
    reply = _write(thread, people)
    assert reply_send(reply.pk) == R.FAILED
    reply.refresh_from_db()
    assert "no longer exists" in reply.last_error
    assert reply.text == "Ja, auch am Wochenende."  # nothing is lost


def test_the_author_learns_that_the_reply_failed(thread: SandboxThread, people: People) -> None:
    from accounts.models import Notification

    thread.comment.deleted_at = timezone.now()
    thread.comment.save()
    reply = _write(thread, people)
    reply_send(reply.pk)
    notification = Notification.objects.get(kind="moderation.reply_failed")
    assert notification.recipient == people.community_manager
    assert notification.link == f"/moderation/replies/{reply.pk}/"
    assert notification.context["needs_check"] is False


def test_a_paused_channel_holds_the_reply(thread: SandboxThread, people: People) -> None:
    reply = _write(thread, people)
    Channel.objects.filter(pk=thread.channel.pk).update(status=Channel.Status.PAUSED)
    assert reply_send(reply.pk) == "held"
    reply.refresh_from_db()
    assert reply.status == R.QUEUED and reply.attempts == 0
    assert thread.our_replies() == []


# --- Platforms without idempotency keys ---------------------------------------------------


def _connect(org: Org, people: People, platform: str, account_id: str) -> Channel:
    from accounts.permissions import channel_permissions_sync

    channel = Channel.objects.create(unit=org.press, name=f"{platform} Kanal", platform=platform)
    channel_permissions_sync(channel)
    channel_connect(
        actor=people.channel_admin,
        channel=channel,
        choice=AccountChoice(
            account_id=account_id, name="Stadt", credentials={"access_token": "the-token"}
        ),
    )
    return Channel.objects.get(pk=channel.pk)


@pytest.fixture
def x_timing_out(org: Org, people: People) -> Iterator[Reply]:
    """A reply on X, whose reply call times out: X has no idempotency key for posts and
    Sprachrohr no lookup of replies there, so the outcome stays unknown."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.add_passthru("http://localhost")
        channel = _connect(org, people, "x", "1234567890")
        item = InboxItemFactory(channel=channel, remote_id="1790000000000000001")
        mocked.post("https://api.x.com/2/tweets", body=requests.ReadTimeout())
        yield reply_create(actor=people.community_manager, item=item, text="Danke!")


def test_an_unknown_outcome_without_lookup_asks_a_person(x_timing_out: Reply) -> None:
    assert reply_send(x_timing_out.pk) == R.NEEDS_CHECK
    reply = Reply.objects.get(pk=x_timing_out.pk)
    assert "check" in reply.last_error
    assert AuditEntry.objects.filter(action="moderation.replies.needs_check").exists()


def test_the_author_is_asked_to_check(x_timing_out: Reply, people: People) -> None:
    from accounts.models import Notification

    reply_send(x_timing_out.pk)
    notification = Notification.objects.get(kind="moderation.reply_failed")
    assert notification.recipient == people.community_manager
    assert notification.context["needs_check"] is True


def test_an_unknown_outcome_is_never_sent_again_by_itself(x_timing_out: Reply) -> None:
    reply_send(x_timing_out.pk)
    Reply.objects.filter(pk=x_timing_out.pk).update(next_attempt_at=None)
    assert reply_send(x_timing_out.pk) == "not_claimed"


FACEBOOK_COMMENT = "https://graph.facebook.com/v25.0/1116689038356556_900001/comments"


@pytest.fixture
def facebook(org: Org, people: People) -> Iterator[tuple[Reply, responses.RequestsMock]]:
    """A reply on a Facebook page; the test says how the Graph API answers."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.add_passthru("http://localhost")
        channel = _connect(org, people, "facebook", "546349135390552")
        item = InboxItemFactory(channel=channel, remote_id="1116689038356556_900001")
        reply = reply_create(
            actor=people.community_manager, item=item, text="Nein, samstags ist geschlossen."
        )
        yield reply, mocked


def test_a_lost_answer_is_looked_up_before_sending_again(
    facebook: tuple[Reply, responses.RequestsMock],
) -> None:
    reply, mocked = facebook
    mocked.post(FACEBOOK_COMMENT, body=requests.ReadTimeout())
    assert reply_send(reply.pk) == "retry"
    mocked.get(
        FACEBOOK_COMMENT,
        json={
            "data": [
                {
                    "id": "1116689038356556_900010",
                    "message": "Nein, samstags ist geschlossen.",
                    "from": {"name": "Stadt", "id": "546349135390552"},
                    "created_time": "2026-03-02T13:00:00+0000",
                }
            ]
        },
    )
    _due_now(reply)
    assert reply_send(reply.pk) == "recovered"
    posts = [c for c in mocked.calls if c.request.method == "POST"]
    assert len(posts) == 1  # never sent a second time
    assert Reply.objects.get(pk=reply.pk).remote_id == "1116689038356556_900010"


def test_a_lost_request_not_found_is_sent_again(
    facebook: tuple[Reply, responses.RequestsMock],
) -> None:
    reply, mocked = facebook
    mocked.post(FACEBOOK_COMMENT, body=requests.ReadTimeout())
    reply_send(reply.pk)
    mocked.get(FACEBOOK_COMMENT, json={"data": []})
    mocked.replace(responses.POST, FACEBOOK_COMMENT, json={"id": "1116689038356556_900012"})
    _due_now(reply)
    assert reply_send(reply.pk) == "sent"
    assert Reply.objects.get(pk=reply.pk).remote_id == "1116689038356556_900012"
