"""Crisis drills: start (publishing paused in the participants' practice spaces only), tick
the checklist's steps, end (the pauses end; the result keeps the timings). All audited.

A drill never touches real publishing: its pauses cover practice units, which are roots of
their own (``accounts.practice``), so no real channel lies in their scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import OrgUnit
from accounts.models import User
from accounts.practice.services import practice_space_provision
from editorial.crisis.drill.permissions import participants_for_drills
from editorial.crisis.drill.permissions import units_for_drills
from editorial.crisis.drill.permissions import user_may_manage_drill
from editorial.crisis.drill.permissions import user_may_tick
from editorial.crisis.drill.selectors import drill_duration
from editorial.crisis.drill.selectors import drill_timings
from editorial.crisis.selectors import crisis_checklist_steps
from editorial.models import CrisisDrill
from editorial.models import CrisisDrillStep
from editorial.models import PublishingPause


def _audit(
    action: str, drill: CrisisDrill, actor: User, request: HttpRequest | None, **data: Any
) -> None:
    audit_log(action=action, actor=actor, request=request, target=drill, unit=drill.unit, data=data)


@transaction.atomic
def drill_start(
    *,
    actor: User,
    unit: OrgUnit,
    participants: Iterable[User],
    title: str = "",
    request: HttpRequest | None = None,
) -> CrisisDrill:
    if not units_for_drills(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied
    people = list(participants)
    allowed = set(participants_for_drills(actor).values_list("pk", flat=True))
    if not people or any(p.pk not in allowed for p in people):
        raise ValidationError({"participants": _("Choose the people of your units who take part.")})
    steps = crisis_checklist_steps(unit)
    drill = CrisisDrill.objects.create(
        unit=unit,
        title=title.strip() or _("Crisis drill"),
        started_by=actor,
    )
    drill.participants.set(people)
    reason = _("Crisis drill: %(title)s") % {"title": drill.title}
    for person in people:
        space = practice_space_provision(user=person, request=request)
        pause = PublishingPause.objects.filter(unit=space, ended_at__isnull=True).first()
        if pause is None:
            pause = PublishingPause.objects.create(unit=space, reason=reason, started_by=actor)
        drill.pauses.add(pause)
    CrisisDrillStep.objects.bulk_create(
        CrisisDrillStep(drill=drill, position=i, text=text) for i, text in enumerate(steps, 1)
    )
    _audit(
        "editorial.drill.started",
        drill,
        actor,
        request,
        title=drill.title,
        participants=sorted(p.email for p in people),
        steps=len(steps),
    )
    return drill


def _running(drill: CrisisDrill) -> CrisisDrill:
    drill = CrisisDrill.objects.select_for_update().select_related("unit").get(pk=drill.pk)
    if not drill.is_running:
        raise ValidationError(_("The drill has ended."))
    return drill


@transaction.atomic
def drill_step_done(
    *, actor: User, step: CrisisDrillStep, request: HttpRequest | None = None
) -> CrisisDrillStep:
    """Tick a step (once: a second tick changes nothing)."""
    drill = _running(step.drill)
    if not user_may_tick(actor, drill):
        raise PermissionDenied
    step = CrisisDrillStep.objects.select_for_update().get(pk=step.pk)
    if step.done_at is not None:
        return step
    step.done_at = timezone.now()
    step.done_by = actor
    step.save(update_fields=["done_at", "done_by"])
    _audit(
        "editorial.drill.step_done",
        drill,
        actor,
        request,
        step=step.position,
        text=step.text[:200],
        seconds=int((step.done_at - drill.started_at).total_seconds()),
    )
    return step


@transaction.atomic
def drill_end(
    *, actor: User, drill: CrisisDrill, request: HttpRequest | None = None
) -> CrisisDrill:
    drill = _running(drill)
    if not user_may_manage_drill(actor, drill):
        raise PermissionDenied
    now = timezone.now()
    drill.pauses.filter(ended_at__isnull=True).update(ended_at=now, ended_by=actor)
    drill.ended_at, drill.ended_by = now, actor
    drill.save(update_fields=["ended_at", "ended_by"])
    timings = drill_timings(drill)
    duration = drill_duration(drill)
    _audit(
        "editorial.drill.ended",
        drill,
        actor,
        request,
        seconds=int(duration.total_seconds()) if duration else None,
        steps_done=sum(1 for t in timings if t.since_start is not None),
        steps=len(timings),
        timings=[
            int(t.since_start.total_seconds()) if t.since_start is not None else None
            for t in timings
        ],
    )
    return drill
