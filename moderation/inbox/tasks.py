"""Background work of the inbox."""

from __future__ import annotations

from celery import shared_task

from moderation.inbox.services import inbox_items_wake_snoozed


@shared_task(ignore_result=True)
def wake_snoozed_items() -> int:
    """Beat (every few minutes): items whose snooze ended come back, open. Idempotent:
    a second run finds nothing left to wake."""
    return inbox_items_wake_snoozed()
