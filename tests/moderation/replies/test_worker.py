"""A reply sent by a REAL Celery worker process against the sandbox platform (served by the
live server): the platform accepts the reply but its answer is lost; the worker's retry
carries the same idempotency key and the platform has exactly one reply.

The worker sees the test database (``transaction=True``: data is committed) and the tests'
Redis (see ``tests/editorial/publishing/test_faults.py``, whose process helpers this uses).
The sweeper round that re-queues the retry runs in the test process, as beat would run it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.utils import timezone

from moderation.models import Reply
from moderation.replies.sending import replies_dispatch_due
from moderation.replies.services import reply_create
from tests.conftest import People
from tests.editorial.publishing.test_faults import CeleryProcesses
from tests.editorial.publishing.test_faults import celery_processes
from tests.moderation.replies.conftest import SandboxThread

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

R = Reply.Status
__all__ = ["celery_processes"]  # the fixture, used by name


def _wait_for(what: str, predicate: Callable[[], bool], processes: CeleryProcesses) -> None:
    deadline = time.monotonic() + 60
    while not predicate():
        processes.check_alive()
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_a_worker_sends_a_reply_once_when_the_answer_is_lost(
    celery_processes: CeleryProcesses,
    thread: SandboxThread,
    people: People,
    control: Callable[..., None],
) -> None:
    # The worker gives up after 2 s (PLATFORM_READ_TIMEOUT of its environment); the sandbox
    # answers only after 4 s, having stored the reply at once.
    control(thread.handle, timeout_after_accept_count=1, timeout_after_accept_seconds=4)
    celery_processes.worker("replies-worker")
    reply = reply_create(actor=people.community_manager, item=thread.item, text="Ja, auch dann.")

    def retry_scheduled() -> bool:
        current = Reply.objects.get(pk=reply.pk)
        return current.status == R.QUEUED and current.attempts == 1

    _wait_for("the first attempt to end without an answer", retry_scheduled, celery_processes)
    assert len(thread.our_replies()) == 1  # the platform did take it
    Reply.objects.filter(pk=reply.pk).update(next_attempt_at=timezone.now())
    assert replies_dispatch_due() == 1

    _wait_for(
        "the retry to be sent",
        lambda: Reply.objects.get(pk=reply.pk).status == R.SENT,
        celery_processes,
    )
    sent = Reply.objects.get(pk=reply.pk)
    (ours,) = thread.our_replies()
    assert sent.remote_id == ours.remote_id and sent.attempts == 2
    assert ours.idempotency_key == str(reply.idempotency_key)
