"""Writing the standing weekly formats of a unit's Redaktionsplan (all audited): create,
change, pause, resume, and plan their topic slots up to the horizon.

A format is planned as ordinary topic slots (``CalendarSlot.weekly_format``), not computed
when the plan is read: the calendar, its API and the iCal feed show slots already, and an
editor turns one into a post, moves it or deletes it like any other. The beat task
(``tasks.plan_weekly_formats``) keeps every running format planned up to ``HORIZON`` ahead;
a change or a resume plans at once. Planning is idempotent: one slot per format and day
(a unique constraint), a day already holding a slot of the same title keeps it, and a day
whose slot an editor deleted stays free (``WeeklyFormat.planned_until``: days planned once
are not planned again). A change, a pause or a delete takes back the format's future slots as
the format planned them; those with a post stay, and so do those an editor changed by hand
(another title, day, time, topic, note or channels than the format gave them): the editor's
work is not planned away."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from datetime import time
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.audit import audit_snapshot
from accounts.audited import audit_about
from accounts.audited import save_audited
from accounts.models import OrgUnit
from accounts.models import User
from accounts.updates import editable_fields_check
from channels_app.models import Channel
from editorial.models import CalendarSlot
from editorial.models import Topic
from editorial.models import WeeklyFormat
from editorial.posts.services import drafting_channels_checked
from editorial.posts.services import drafting_topic_check
from editorial.weekly_formats.permissions import user_may_edit_weekly_format
from editorial.weekly_formats.permissions import user_may_keep_weekly_formats
from editorial.weekly_formats.selectors import HORIZON
from editorial.weekly_formats.selectors import weekly_format_days
from editorial.weekly_formats.selectors import weekly_formats_running

FIELDS = frozenset({"unit", "title", "weekday", "time", "topic", "note", "starts_on"})


def _snapshot(weekly_format: WeeklyFormat) -> dict[str, Any]:
    return {
        **audit_snapshot(weekly_format, "unit", "title", "weekday", "topic", "note"),
        "time": weekly_format.time.strftime("%H:%M"),
        "starts_on": weekly_format.starts_on.isoformat(),
        "channels": sorted(weekly_format.channels.values_list("id", flat=True)),
    }


def _audit(
    action: str,
    weekly_format: WeeklyFormat,
    actor: User | None,
    request: HttpRequest | None,
    **entry: Any,
) -> None:
    audit_about(
        weekly_format,
        action,
        actor=actor,
        actor_label="" if actor else "system",
        request=request,
        **entry,
    )


def _plan(
    weekly_format: WeeklyFormat,
    *,
    start: date,
    end: date,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> list[CalendarSlot]:
    """Plan the format's slots from ``start`` to ``end`` (both included, days planned
    before left out); audited as one entry for the days planned."""
    if weekly_format.planned_until is not None:
        start = max(start, weekly_format.planned_until + timedelta(days=1))
    taken = set(
        CalendarSlot.objects.filter(unit=weekly_format.unit, title=weekly_format.title)
        .filter(day__gte=start, day__lte=end)
        .values_list("day", flat=True)
    ) | set(weekly_format.slots.filter(day__gte=start).values_list("day", flat=True))
    channels = list(weekly_format.channels.all())
    created = []
    for day in weekly_format_days(weekly_format, start, end):
        if day in taken:
            continue
        slot = CalendarSlot(
            unit=weekly_format.unit,
            title=weekly_format.title,
            day=day,
            time=weekly_format.time,
            topic=weekly_format.topic,
            note=weekly_format.note,
            # The beat plans for whoever set the format up (gone: nobody).
            created_by=actor or weekly_format.created_by,
            weekly_format=weekly_format,
        )
        slot.full_clean(exclude=["created_by"])
        slot.save()
        slot.channels.set(channels)
        created.append(slot)
    if end > (weekly_format.planned_until or end - timedelta(days=1)):
        weekly_format.planned_until = end
        weekly_format.save(update_fields=["planned_until"])
    if created:
        _audit(
            "editorial.weekly_format.planned",
            weekly_format,
            actor,
            request,
            data={"days": [s.day.isoformat() for s in created], "slots": [s.pk for s in created]},
        )
    return created


def _as_planned(slot: CalendarSlot, planned: dict[str, Any]) -> bool:
    """Whether the slot still is what the format (as in its snapshot ``planned``) planned:
    nobody has changed it by hand since."""
    return (
        slot.unit_id == planned["unit"]
        and slot.title == planned["title"]
        and slot.day.weekday() == planned["weekday"]
        and slot.time is not None
        and slot.time.strftime("%H:%M") == planned["time"]
        and slot.topic_id == planned["topic"]
        and slot.note == planned["note"]
        and sorted(channel.pk for channel in slot.channels.all()) == planned["channels"]
    )


def _unplan(
    weekly_format: WeeklyFormat,
    *,
    actor: User,
    request: HttpRequest | None,
    planned: dict[str, Any] | None = None,
) -> list[date]:
    """Take back the format's future slots nobody has started a post from or changed by
    hand; ``planned``: the format's snapshot as it planned them (before a change)."""
    planned = planned or _snapshot(weekly_format)
    future = weekly_format.slots.filter(
        day__gte=timezone.localdate(), post__isnull=True
    ).prefetch_related("channels")
    untouched = [slot for slot in future if _as_planned(slot, planned)]
    days = sorted(slot.day for slot in untouched)
    if days:
        CalendarSlot.objects.filter(pk__in=[slot.pk for slot in untouched]).delete()
        _audit(
            "editorial.weekly_format.unplanned",
            weekly_format,
            actor,
            request,
            data={"days": [day.isoformat() for day in days]},
        )
    return days


def _plan_ahead(
    weekly_format: WeeklyFormat,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    again: bool = False,
) -> list[CalendarSlot]:
    """Plan up to the horizon; ``again``: from today, also days planned before (after a
    change or a resume, whose future slots were taken back)."""
    if again:
        weekly_format.planned_until = None
    today = timezone.localdate()
    return _plan(weekly_format, start=today, end=today + HORIZON, actor=actor, request=request)


def _check(actor: User, topic: Topic | None, channels: Iterable[Channel] | None) -> list[Channel]:
    drafting_topic_check(actor, topic)
    return drafting_channels_checked(actor, channels or ())


@transaction.atomic
def weekly_format_create(
    *,
    actor: User,
    unit: OrgUnit,
    title: str,
    weekday: int,
    time: time,
    topic: Topic | None = None,
    note: str = "",
    channels: Iterable[Channel] = (),
    starts_on: date | None = None,
    plan_until: date | None = None,
    request: HttpRequest | None = None,
) -> WeeklyFormat:
    """A new standing format, planned at once up to the horizon (or ``plan_until``, when
    that is later: the rhythm starter plans the weeks asked for)."""
    if not user_may_keep_weekly_formats(actor, unit):
        raise PermissionDenied
    channel_list = _check(actor, topic, channels)
    weekly_format = WeeklyFormat(
        unit=unit,
        title=title,
        weekday=weekday,
        time=time,
        topic=topic,
        note=note,
        starts_on=starts_on or timezone.localdate(),
        created_by=actor,
    )
    save_audited(
        weekly_format,
        action="editorial.weekly_format.created",
        actor=actor,
        request=request,
        unit=unit,
        after=_snapshot,
        relate=lambda saved: saved.channels.set(channel_list),
    )
    today = timezone.localdate()
    end = max(today + HORIZON, plan_until or today)
    _plan(weekly_format, start=today, end=end, actor=actor, request=request)
    return weekly_format


def _locked_for_edit(actor: User, weekly_format: WeeklyFormat) -> WeeklyFormat:
    """The format, locked for a change ``actor`` may make (else ``PermissionDenied``)."""
    weekly_format = (
        WeeklyFormat.objects.select_for_update().select_related("unit").get(pk=weekly_format.pk)
    )
    if not user_may_edit_weekly_format(actor, weekly_format):
        raise PermissionDenied
    return weekly_format


@transaction.atomic
def weekly_format_update(
    *,
    actor: User,
    weekly_format: WeeklyFormat,
    channels: Iterable[Channel] | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> WeeklyFormat:
    """Change a format; its future slots without a post are planned anew (a running
    format at once, a paused one when it is resumed)."""
    weekly_format = _locked_for_edit(actor, weekly_format)
    editable_fields_check(fields, FIELDS)
    if "unit" in fields and not user_may_keep_weekly_formats(actor, fields["unit"]):
        raise PermissionDenied
    if "topic" in fields:
        drafting_topic_check(actor, fields["topic"])
    if fields.get("starts_on", weekly_format.starts_on) is None:
        fields["starts_on"] = timezone.localdate()
    channel_list = None if channels is None else drafting_channels_checked(actor, channels)
    before = _snapshot(weekly_format)
    for name, value in fields.items():
        setattr(weekly_format, name, value)
    weekly_format.full_clean()
    weekly_format.save()
    if channel_list is not None:
        weekly_format.channels.set(channel_list)
    after = _snapshot(weekly_format)
    if after == before:
        return weekly_format
    _audit(
        "editorial.weekly_format.updated", weekly_format, actor, request, before=before, after=after
    )
    _unplan(weekly_format, actor=actor, request=request, planned=before)
    if not weekly_format.is_paused:
        _plan_ahead(weekly_format, actor=actor, request=request, again=True)
    return weekly_format


def _paused_set(
    weekly_format: WeeklyFormat, *, paused: bool, actor: User, request: HttpRequest | None
) -> bool:
    """Pause or resume the (locked) format, audited; ``False`` when it already was."""
    if weekly_format.is_paused == paused:
        return False
    weekly_format.paused_at = timezone.now() if paused else None
    weekly_format.save(update_fields=["paused_at"])
    action = "editorial.weekly_format.paused" if paused else "editorial.weekly_format.resumed"
    _audit(action, weekly_format, actor, request)
    return True


@transaction.atomic
def weekly_format_pause(
    *, actor: User, weekly_format: WeeklyFormat, request: HttpRequest | None = None
) -> WeeklyFormat:
    """Plan no more; the future slots nobody has started a post from leave the plan."""
    weekly_format = _locked_for_edit(actor, weekly_format)
    if _paused_set(weekly_format, paused=True, actor=actor, request=request):
        _unplan(weekly_format, actor=actor, request=request)
    return weekly_format


@transaction.atomic
def weekly_format_resume(
    *, actor: User, weekly_format: WeeklyFormat, request: HttpRequest | None = None
) -> WeeklyFormat:
    weekly_format = _locked_for_edit(actor, weekly_format)
    if _paused_set(weekly_format, paused=False, actor=actor, request=request):
        _plan_ahead(weekly_format, actor=actor, request=request, again=True)
    return weekly_format


@transaction.atomic
def weekly_format_delete(
    *, actor: User, weekly_format: WeeklyFormat, request: HttpRequest | None = None
) -> None:
    """The format goes; its future slots leave the plan as on a pause. Slots with a post,
    changed by hand or in the past stay as ordinary topic slots."""
    weekly_format = _locked_for_edit(actor, weekly_format)
    _unplan(weekly_format, actor=actor, request=request)
    # Written before the row goes: the entry keeps the id and title of what was deleted.
    _audit(
        "editorial.weekly_format.deleted",
        weekly_format,
        actor,
        request,
        before=_snapshot(weekly_format),
    )
    weekly_format.delete()


def weekly_formats_plan() -> int:
    """Periodic: plan every running format up to the horizon; returns the slots planned.
    Each format is planned under its row lock, so two runs never plan one day twice."""
    planned = 0
    for pk in list(weekly_formats_running().values_list("pk", flat=True)):
        with transaction.atomic():
            weekly_format = (
                WeeklyFormat.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("unit", "topic")
                .filter(pk=pk, paused_at__isnull=True)
                .first()
            )
            if weekly_format is not None:
                planned += len(_plan_ahead(weekly_format, actor=None))
    return planned
