# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The beat sweeper: queues replies never queued, whose message was lost or whose retry
time came, and claims a dead worker left behind; nothing twice in one round."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import InboxItem
from moderation.models import Reply
from moderation.replies import sending
from moderation.replies import tasks
from moderation.replies.sending import replies_dispatch_due
from moderation.replies.services import reply_create
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

R = Reply.Status


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    sent: list[int] = []
    monkeypatch.setattr(tasks.send_reply, "delay", sent.append)
    return sent


@pytest.fixture
def reply(item: InboxItem, people: People) -> Reply:
    return reply_create(actor=people.community_manager, item=item, text="Ja.")


def _age(reply: Reply, **fields: object) -> None:
    Reply.objects.filter(pk=reply.pk).update(**fields)


def test_a_freshly_queued_reply_is_left_alone(reply: Reply, queued: list[int]) -> None:
    assert replies_dispatch_due() == 0 and queued == []


def test_a_lost_message_is_queued_again(reply: Reply, queued: list[int]) -> None:
    _age(reply, queued_at=timezone.now() - sending.REQUEUE_AFTER - timedelta(seconds=1))
    assert replies_dispatch_due() == 1 and queued == [reply.pk]
    assert replies_dispatch_due() == 0  # marked: not again in the next round


def test_a_retry_is_queued_when_its_time_came(reply: Reply, queued: list[int]) -> None:
    _age(reply, queued_at=None, next_attempt_at=timezone.now() + timedelta(minutes=1))
    assert replies_dispatch_due() == 0
    _age(reply, next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert replies_dispatch_due() == 1 and queued == [reply.pk]


def test_a_claim_left_by_a_dead_worker_is_queued(reply: Reply, queued: list[int]) -> None:
    _age(
        reply,
        status=R.SENDING,
        queued_at=timezone.now() - timedelta(hours=1),
        claimed_at=timezone.now() - sending.CLAIM_LEASE - timedelta(seconds=1),
    )
    assert replies_dispatch_due() == 1


def test_a_reply_being_sent_is_left_alone(reply: Reply, queued: list[int]) -> None:
    _age(
        reply,
        status=R.SENDING,
        queued_at=timezone.now() - timedelta(hours=1),
        claimed_at=timezone.now(),
    )
    assert replies_dispatch_due() == 0


@pytest.mark.parametrize("status", [R.AWAITING_APPROVAL, R.SENT, R.FAILED, R.NEEDS_CHECK])
def test_other_statuses_are_never_queued(reply: Reply, queued: list[int], status: str) -> None:
    _age(reply, status=status, queued_at=None)
    assert replies_dispatch_due() == 0


def test_the_beat_task_runs_the_sweeper(reply: Reply, queued: list[int]) -> None:
    _age(reply, queued_at=None)
    assert tasks.dispatch_due_replies() == 1
