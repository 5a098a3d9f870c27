"""Reads of crisis drills: which a user sees, and the timings of a drill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from django.db.models import Q
from django.db.models import QuerySet

from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from editorial.crisis.drill.permissions import DRILL_ROLES
from editorial.models import CrisisDrill
from editorial.models import CrisisDrillStep


def drills_for_user(user: User) -> QuerySet[CrisisDrill]:
    """Drills of the units the user runs drills in, and those they take part in."""
    return (
        CrisisDrill.objects.filter(
            Q(unit_id__in=unit_ids_for_roles(user, DRILL_ROLES)) | Q(participants=user)
        )
        .distinct()
        .select_related("unit", "started_by", "ended_by")
    )


@dataclass(frozen=True)
class StepTiming:
    step: CrisisDrillStep
    since_start: timedelta | None  # from the drill's start to the tick
    since_previous: timedelta | None  # from the previous tick (or the start)


def drill_timings(drill: CrisisDrill) -> list[StepTiming]:
    """Each step with how long the team took: since the start, and since the step ticked
    before it (steps may be ticked in any order; "previous" is by time)."""
    steps = list(drill.steps.select_related("done_by").order_by("position"))
    ticks = sorted(s.done_at for s in steps if s.done_at is not None)
    timings = []
    for step in steps:
        if step.done_at is None:
            timings.append(StepTiming(step, None, None))
            continue
        earlier: list[datetime] = [t for t in ticks if t < step.done_at]
        previous = earlier[-1] if earlier else drill.started_at
        timings.append(StepTiming(step, step.done_at - drill.started_at, step.done_at - previous))
    return timings


def drill_duration(drill: CrisisDrill) -> timedelta | None:
    return drill.ended_at - drill.started_at if drill.ended_at is not None else None
