"""Background work of the moderation actions (queue ``publishing``: platform calls)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from moderation.actions.selectors import actions_due
from moderation.actions.services import action_carry_out

SWEEP_BATCH = 200


@shared_task(name="moderation.actions.tasks.carry_out_action")
def carry_out_action(action_id: int) -> str:
    """The platform call of one decision; idempotent (claimed, a finished one is skipped)."""
    return action_carry_out(action_id)


@shared_task(name="moderation.actions.tasks.retry_pending_actions")
def retry_pending_actions() -> int:
    """Beat, every minute: queue the calls whose retry time has come, and those whose first
    task was lost. Returns how many were queued."""
    due = list(actions_due(timezone.now()).values_list("pk", flat=True)[:SWEEP_BATCH])
    for action_id in due:
        carry_out_action.delay(action_id)
    return len(due)
