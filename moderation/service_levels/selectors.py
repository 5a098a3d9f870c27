"""Reads of the service levels: effective settings and calendars of many units at once,
deadlines shown on items, the report of met and breached targets, storm alerts."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from functools import partial

from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone

from accounts.federal_states import federal_states_for_units
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import User
from channels_app.models import Channel
from editorial.planning.holidays import public_holidays
from moderation.common.selectors import EffectiveSettings
from moderation.common.selectors import settings_for_units
from moderation.inbox.status import ACTIVE
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.models import StormAlert
from moderation.service_levels.clock import ServiceCalendar
from moderation.service_levels.clock import parse_service_hours

# An item in one of these states needs no (further) answer: its deadline no longer counts.
NO_RESPONSE_NEEDED = (InboxItem.Status.NO_ACTION, InboxItem.Status.CLOSED)


def _holidays(state: str, year: int) -> frozenset[date]:
    return frozenset(public_holidays(state, year)) if state else frozenset()


def calendar_from(settings: EffectiveSettings, state: str) -> ServiceCalendar:
    return ServiceCalendar(
        hours=parse_service_hours(settings.service_hours or {}),
        holidays=partial(_holidays, state),
    )


def service_calendars_for_units(
    units: Iterable[OrgUnit],
) -> tuple[dict[int, EffectiveSettings], dict[int, ServiceCalendar]]:
    """Settings and service calendars of the units: two queries, whatever their number."""
    units = list(units)
    settings = settings_for_units(units)
    states = federal_states_for_units(units)
    calendars = {unit.pk: calendar_from(settings[unit.pk], states[unit.pk]) for unit in units}
    return settings, calendars


def service_calendar_for_unit(unit: OrgUnit) -> ServiceCalendar:
    return service_calendars_for_units([unit])[1][unit.pk]


# --- Deadlines on items ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineState:
    """What an item's deadline means now, for the badge in lists and the panel."""

    state: str  # "none", "not_needed", "answered", "open", "breached"
    due_at: datetime | None
    minutes_left: int | None  # wall-clock minutes until due (negative: overdue)
    first_response_breached: bool | None


def deadline_state(item: InboxItem, now: datetime | None = None) -> DeadlineState:
    now = now or timezone.now()
    if item.status in NO_RESPONSE_NEEDED and item.response_due_at is None:
        return DeadlineState("not_needed", None, None, item.first_response_breached)
    if item.status in NO_RESPONSE_NEEDED:
        return DeadlineState("not_needed", item.response_due_at, None, None)
    # Also when marked answered by hand (answered by phone or on the platform itself): the
    # deadline it may still carry is no longer anyone's to meet.
    if item.status == InboxItem.Status.ANSWERED:
        return DeadlineState("answered", None, None, item.first_response_breached)
    if item.response_due_at is None:
        state = "answered" if item.last_responded_at else "none"
        return DeadlineState(state, None, None, item.first_response_breached)
    left = int((item.response_due_at - now).total_seconds() // 60)
    return DeadlineState(
        "breached" if left < 0 else "open", item.response_due_at, left, item.first_response_breached
    )


def items_breached(
    queryset: QuerySet[InboxItem], now: datetime | None = None
) -> QuerySet[InboxItem]:
    """Items whose deadline passed while they still need an answer (new, open, waiting):
    what the badge shows as overdue."""
    return queryset.filter(response_due_at__lt=now or timezone.now(), status__in=ACTIVE)


# --- Report ------------------------------------------------------------------------------------


@dataclass
class ReportRow:
    label: str
    unit: OrgUnit | None = None
    channel: Channel | None = None
    total: int = 0
    met: int = 0
    breached: int = 0
    open: int = 0
    not_needed: int = 0
    _minutes: list[float] = field(default_factory=list, repr=False)

    @property
    def share_met(self) -> float | None:
        """Met among the first responses that were due (met + breached); None without any."""
        decided = self.met + self.breached
        return round(self.met / decided, 4) if decided else None

    @property
    def share_met_percent(self) -> int | None:
        share = self.share_met
        return round(share * 100) if share is not None else None

    @property
    def median_first_response_hours(self) -> float | None:
        if not self._minutes:
            return None
        return round(statistics.median(self._minutes) / 60, 2)

    @classmethod
    def combined(cls, label: str, rows: Iterable[ReportRow]) -> ReportRow:
        """One row adding up ``rows`` (the reports of several units), medians over all."""
        total = cls(label=label)
        for row in rows:
            for name in ("total", "met", "breached", "open", "not_needed"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
            total._minutes.extend(row._minutes)
        return total

    @property
    def responded(self) -> int:
        """Items with a first response (on time or late)."""
        return len(self._minutes)

    @property
    def p90_first_response_hours(self) -> float | None:
        """Nine in ten first responses came within this many service hours."""
        if not self._minutes:
            return None
        ordered = sorted(self._minutes)
        index = min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)
        return round(ordered[index] / 60, 2)

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "unit": self.unit.pk if self.unit else None,
            "channel": self.channel.pk if self.channel else None,
            "total": self.total,
            "met": self.met,
            "breached": self.breached,
            "open": self.open,
            "not_needed": self.not_needed,
            "share_met": self.share_met,
            "median_first_response_hours": self.median_first_response_hours,
        }


@dataclass
class ServiceLevelReport:
    unit: OrgUnit
    start: date
    end: date
    total: ReportRow
    channels: list[ReportRow]
    # None: per-employee figures are switched off for every channel of the report.
    employees: list[ReportRow] | None
    # The channels the rows per employee count: those whose own unit's switch is on.
    employee_channels: list[Channel] = field(default_factory=list)


def _classify(
    breached: bool | None,
    responded_at: datetime | None,
    status: str,
    due_at: datetime | None,
    now: datetime,
) -> str:
    if breached is True:
        return "breached"
    if breached is False:
        return "met"
    if responded_at is None and status in NO_RESPONSE_NEEDED:
        return "not_needed"
    if due_at is not None and due_at < now:
        return "breached"
    return "open"


def _classify_item(item: InboxItem, now: datetime) -> str:
    return _classify(
        item.first_response_breached,
        item.first_responded_at,
        item.status,
        item.response_due_at,
        now,
    )


def service_level_report(
    *, unit: OrgUnit, start: date, end: date, channels: QuerySet[Channel]
) -> ServiceLevelReport:
    """First responses of the items written from ``start`` to ``end`` (inclusive) on the
    unit's channels (and those of the units below it) among ``channels`` (the user's)."""
    unit_channels = list(
        channels.filter(unit__path__startswith=unit.path).select_related("unit").order_by("name")
    )
    # Each channel's time counts in the service hours of its own unit (a team below may
    # keep other hours than the unit the report is for).
    settings, calendars = service_calendars_for_units(
        {c.unit_id: c.unit for c in unit_channels}.values()
    )
    channel_calendar = {c.pk: calendars[c.unit_id] for c in unit_channels}
    tz = timezone.get_default_timezone()
    start_at = timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
    end_at = timezone.make_aware(datetime.combine(end, datetime.min.time()), tz) + timedelta(days=1)
    items = InboxItem.objects.filter(
        channel__in=unit_channels, created_at__gte=start_at, created_at__lt=end_at
    )
    now = timezone.now()
    total = ReportRow(label=str(unit), unit=unit)
    per_channel = {c.pk: ReportRow(label=c.name, channel=c, unit=c.unit) for c in unit_channels}
    minutes_of: dict[int, float] = {}
    # Tuples, not model instances: a year of a busy unit is a few hundred thousand rows.
    rows = items.values_list(
        "id",
        "channel_id",
        "created_at",
        "status",
        "response_due_at",
        "first_responded_at",
        "first_response_breached",
    )
    for pk, channel_id, created_at, status, due_at, responded_at, breached in rows.iterator(
        chunk_size=5000
    ):
        kind = _classify(breached, responded_at, status, due_at, now)
        channel_row = per_channel[channel_id]
        total.total += 1
        channel_row.total += 1
        setattr(total, kind, getattr(total, kind) + 1)
        setattr(channel_row, kind, getattr(channel_row, kind) + 1)
        if responded_at is not None:
            minutes = channel_calendar[channel_id].minutes_between(created_at, responded_at)
            minutes_of[pk] = minutes
            total._minutes.append(minutes)
            channel_row._minutes.append(minutes)
    # Each channel by its own unit's switch: the staff council of a unit below may not have
    # agreed to what the unit the report is for did.
    employee_channels = [c for c in unit_channels if settings[c.unit_id].employee_figures]
    employees = None
    if employee_channels:
        employees = _employee_rows(minutes_of, items.filter(channel__in=employee_channels), now)
    return ServiceLevelReport(
        unit=unit,
        start=start,
        end=end,
        total=total,
        channels=list(per_channel.values()),
        employees=employees,
        employee_channels=employee_channels,
    )


def _employee_rows(
    minutes_of: dict[int, float], items: QuerySet[InboxItem], now: datetime
) -> list[ReportRow]:
    """Per person who sent an item's first reply: only with the staff council's consent
    (``employee_figures``), so this is computed only then."""
    first_reply: dict[int, Reply] = {}
    for reply in (
        Reply.objects.filter(item__in=items.values("pk"), status=Reply.Status.SENT)
        .select_related("author", "item")
        .order_by("sent_at", "id")
    ):
        first_reply.setdefault(reply.item_id, reply)
    rows: dict[int, ReportRow] = {}
    for item_id, reply in first_reply.items():
        author = reply.author
        row = rows.setdefault(author.pk, ReportRow(label=str(author)))
        row.total += 1
        kind = _classify_item(reply.item, now)
        if kind in ("met", "breached"):
            setattr(row, kind, getattr(row, kind) + 1)
        if item_id in minutes_of:
            row._minutes.append(minutes_of[item_id])
    return sorted(rows.values(), key=lambda row: row.label)


# --- Storm alerts -----------------------------------------------------------------------------


def storm_alerts_for_units(units: QuerySet[OrgUnit]) -> QuerySet[StormAlert]:
    return StormAlert.objects.filter(channel__unit__in=units).select_related("channel__unit")


def community_managers_of(unit: OrgUnit) -> QuerySet[User]:
    """Who holds the community manager role in the unit or above it."""
    return User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.filter(
            Q(unit_id__in=unit.ancestor_ids), role=Role.COMMUNITY_MANAGER
        ).values("user_id"),
    )
