"""Reads of the monthly reports: the archive, a unit's settings and whom they reach."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.db.models import QuerySet

from accounts.models import OrgUnit
from accounts.models import RoleAssignment
from accounts.models import User
from analytics.models import ReportRun
from analytics.models import ReportSettings
from analytics.reports.permissions import unit_ids_for_reading_reports

# ASCII digits only: str.isdigit() also takes "²" or "٣", which the schema's pattern does not.
_DIGITS = re.compile("[0-9]+")


@dataclass(frozen=True)
class Month:
    """A calendar month (Europe/Berlin days): what one report covers."""

    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, value: str) -> Month:
        """``YYYY-MM`` (what ``<input type="month">`` sends); ValueError otherwise."""
        year, _sep, month = value.partition("-")
        if len(year) != 4 or len(month) != 2 or not _DIGITS.fullmatch(year + month):
            raise ValueError(value)
        return cls.of(date(int(year), int(month), 1))

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def report_runs_for_user(user: User, *, unit_id: int | None = None) -> QuerySet[ReportRun]:
    """Reports of the units the user reads, newest month first."""
    runs = ReportRun.objects.filter(unit_id__in=unit_ids_for_reading_reports(user))
    if unit_id is not None:
        runs = runs.filter(unit_id=unit_id)
    return runs.select_related("unit", "created_by").order_by("-month", "-created_at", "-pk")


def report_settings_of(unit: OrgUnit) -> ReportSettings:
    """The unit's settings, or the defaults (off, German, nobody) while none are saved."""
    found = ReportSettings.objects.filter(unit=unit).first()
    return found if found is not None else ReportSettings(unit=unit)


def report_settings_for_units(unit_ids: list[int]) -> dict[int, ReportSettings]:
    """The saved settings of ``unit_ids`` with their recipients, in two queries."""
    found = ReportSettings.objects.filter(unit_id__in=unit_ids).prefetch_related(
        Prefetch("recipients", User.objects.order_by("full_name", "email"))
    )
    return {settings.unit_id: settings for settings in found}


def report_recipients_offered(unit: OrgUnit) -> QuerySet[User]:
    """People who may read the unit's reports: active users with a role in the unit or in
    a unit above it (a role applies to the units below)."""
    holders = RoleAssignment.objects.filter(unit_id__in=unit.ancestor_ids).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("full_name", "email")


def report_settings_due() -> QuerySet[ReportSettings]:
    """Settings of the units whose report goes out on schedule."""
    return ReportSettings.objects.filter(enabled=True).select_related("unit").order_by("unit_id")
