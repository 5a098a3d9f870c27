"""Reads of the standing weekly formats: those a user keeps, those due to be planned, and the
days a format falls on."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from django.db.models import QuerySet

from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from editorial.models import WeeklyFormat

# How far ahead the plan shows a format's slots: the beat task keeps them planned up to here.
HORIZON = timedelta(weeks=6)


def weekly_formats_for_user(user: User) -> QuerySet[WeeklyFormat]:
    return (
        WeeklyFormat.objects.filter(unit_id__in=unit_ids_for_roles(user, [Role.EDITOR]))
        .select_related("unit", "topic")
        .prefetch_related("channels")
        .order_by("unit__path", "weekday", "time", "title")
    )


def weekly_formats_running() -> QuerySet[WeeklyFormat]:
    return WeeklyFormat.objects.filter(paused_at__isnull=True).select_related("unit", "topic")


def weekly_format_days(weekly_format: WeeklyFormat, start: date, end: date) -> list[date]:
    """The days from ``start`` to ``end`` (both included, not before the format's first
    day) that fall on the format's weekday."""
    start = max(start, weekly_format.starts_on)
    first = start + timedelta(days=(weekly_format.weekday - start.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range(((end - first).days // 7) + 1)]
