"""Celery tasks of the block register: thin, by id, idempotent (the claim decides).

The platform calls run on the ``publishing`` queue with the other platform writes; a
transient failure is tried again later by re-queueing with a delay (the entry keeps the
reason meanwhile), a lost message is queued again by ``requeue_block_platform_calls``."""

from __future__ import annotations

from celery import shared_task

from moderation.blocks.services import block_platform_sync
from moderation.blocks.services import block_review_reminders_send
from moderation.blocks.services import blocks_platform_requeue


def _sync(block_id: int) -> str:
    outcome = block_platform_sync(block_id)
    if outcome.state == "retry":
        block_on_platform.apply_async((block_id,), countdown=outcome.retry_in)
    return outcome.state


@shared_task(ignore_result=True, acks_late=True)
def block_on_platform(block_id: int) -> str:
    """Block the entry's author on the platform (or unblock, if the entry was lifted
    meanwhile: the task always carries out the entry's current state)."""
    return _sync(block_id)


@shared_task(ignore_result=True, acks_late=True)
def unblock_on_platform(block_id: int) -> str:
    return _sync(block_id)


@shared_task(ignore_result=True)
def requeue_block_platform_calls() -> int:
    return blocks_platform_requeue()


@shared_task(ignore_result=True)
def remind_due_block_reviews() -> int:
    """Hourly: one notification per due review to the community managers of the unit."""
    return block_review_reminders_send()
