"""Background work of the service levels."""

from __future__ import annotations

from celery import shared_task

from accounts.models import OrgUnit
from moderation.service_levels.services import items_recompute_deadlines


@shared_task(ignore_result=True)
def recompute_deadlines(unit_id: int) -> int:
    """The unit's service hours or targets changed and many of its items await a first
    answer: their deadlines in the new ones. Idempotent: a second run sets the same."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        return 0
    return items_recompute_deadlines(unit=unit)
