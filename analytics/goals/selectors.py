"""Reads of goals and strategy, and the progress of a goal's KPI target computed from the
figures that exist: the channels' daily figures (followers, reach) and the moderation
service levels (first responses within service time). Nothing is stored: progress is
always the figures' current reading."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Sum
from django.utils import timezone

from accounts.models import OrgUnit
from accounts.models import User
from analytics.goals.permissions import channels_for_reading_goals
from analytics.goals.permissions import unit_ids_for_reading_goals
from analytics.models import ChannelDailyFigure
from analytics.models import Goal
from analytics.models import GoalComparison
from analytics.models import GoalMetric
from analytics.models import TargetGroup
from channels_app.models import Channel
from moderation.service_levels.selectors import service_level_report


def goals_for_user(user: User, *, archived: bool | None = None) -> QuerySet[Goal]:
    """Goals of the units the user reads: all, or only the archived (``archived=True``) or
    the current ones (``False``)."""
    return goals_of_units(unit_ids_for_reading_goals(user), archived=archived)


def goals_of_units(unit_ids: Iterable[int], *, archived: bool | None = None) -> QuerySet[Goal]:
    """Goals of exactly these units (no permission check: for a scope already decided, such
    as the scheduled monthly report of one unit's subtree)."""
    goals = Goal.objects.filter(unit_id__in=list(unit_ids))
    if archived is not None:
        goals = goals.filter(archived_at__isnull=not archived)
    return goals.select_related("unit", "channel").prefetch_related(
        Prefetch("target_groups", TargetGroup.objects.select_related("unit").order_by("name"))
    )


def target_groups_for_user(user: User, *, archived: bool | None = None) -> QuerySet[TargetGroup]:
    """Target groups of the units the user reads (all, archived or current as for goals)."""
    groups = TargetGroup.objects.filter(unit_id__in=unit_ids_for_reading_goals(user))
    if archived is not None:
        groups = groups.filter(archived_at__isnull=not archived)
    return groups.select_related("unit")


def target_groups_offered(units: QuerySet[OrgUnit]) -> QuerySet[TargetGroup]:
    """Current groups a goal or strategy in one of ``units`` may name: those of the units
    and of the units above them."""
    ancestor_ids = {
        int(part)
        for path in units.values_list("path", flat=True)
        for part in path.split("/")
        if part
    }
    return TargetGroup.objects.filter(
        unit_id__in=ancestor_ids, archived_at__isnull=True
    ).select_related("unit")


def target_groups_for_unit(unit: OrgUnit, *, archived: bool = True) -> QuerySet[TargetGroup]:
    """The groups a goal or a channel of ``unit`` may name: the unit's own and those of the
    units above it (a group the authority defines applies to every office)."""
    groups = TargetGroup.objects.filter(unit_id__in=unit.ancestor_ids)
    if not archived:
        groups = groups.filter(archived_at__isnull=True)
    return groups.select_related("unit")


def channels_in_unit(unit: OrgUnit) -> QuerySet[Channel]:
    """The channels of the unit and of the units below it (a goal's default scope)."""
    return Channel.objects.filter(unit__path__startswith=unit.path)


def channel_strategies_for_user(user: User) -> QuerySet[Channel]:
    """The channels the user reads, each with its strategy (if written) and its groups."""
    return (
        channels_for_reading_goals(user)
        .select_related("unit", "strategy")
        .prefetch_related(Prefetch("strategy__target_groups", TargetGroup.objects.order_by("name")))
        .order_by("unit__path", "name", "pk")
    )


# --- Progress ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalProgress:
    """How a goal stands. ``state``:

    * ``no_kpi``: a goal in words, nothing to compute;
    * ``not_started``: the period lies ahead;
    * ``no_data``: no figure in the period yet (or the platforms do not provide it);
    * ``on_track`` / ``not_yet``: the period runs, the target is reached so far / not yet;
    * ``met`` / ``missed``: the period is over.

    ``share`` is how far the figure has come towards the target (1.0 = reached), for a bar;
    ``channels_reporting`` of ``channels_total`` channels in scope gave a figure (metric KPIs)."""

    state: str
    actual: Decimal | None = None
    target: Decimal | None = None
    share: float | None = None
    start: date | None = None
    end: date | None = None
    channels_reporting: int | None = None
    channels_total: int | None = None

    @property
    def share_percent(self) -> int | None:
        return round(self.share * 100) if self.share is not None else None

    def as_dict(self) -> dict[str, object]:
        return {
            "state": self.state,
            "actual": self.actual,
            "target": self.target,
            "share": self.share,
            "start": self.start,
            "end": self.end,
            "channels_reporting": self.channels_reporting,
            "channels_total": self.channels_total,
        }


@dataclass(frozen=True)
class _Reading:
    value: Decimal | None
    reporting: int | None = None
    total: int | None = None


def _scope(goal: Goal) -> QuerySet[Channel]:
    if goal.channel_id is not None:
        return Channel.objects.filter(pk=goal.channel_id)
    return channels_in_unit(goal.unit)


def _followers(goal: Goal, start: date, end: date) -> tuple[dict[int, int], dict[int, int], int]:
    """Per channel in scope the first and the last follower count read in the period (one
    query each, PostgreSQL ``DISTINCT ON``), and the number of channels in scope."""
    channels = _scope(goal)
    figures = ChannelDailyFigure.objects.filter(
        channel__in=channels, day__gte=start, day__lte=end, followers__isnull=False
    )
    ends = []
    for order in ("day", "-day"):
        rows = (
            figures.order_by("channel_id", order)
            .distinct("channel_id")
            .values_list("channel_id", "followers")
        )
        ends.append({pk: int(count or 0) for pk, count in rows})
    return ends[0], ends[1], channels.count()


def _read_followers(goal: Goal, start: date, end: date) -> _Reading:
    _first, last, total = _followers(goal, start, end)
    value = Decimal(sum(last.values())) if last else None
    return _Reading(value, len(last), total)


def _read_followers_growth(goal: Goal, start: date, end: date) -> _Reading:
    """Growth in per cent from the first to the last reading of the period, over the
    channels with a reading at both ends (a channel added midway would count as growth)."""
    first, last, total = _followers(goal, start, end)
    both = [pk for pk in last if pk in first]
    base = sum(first[pk] for pk in both)
    if not both or base == 0:
        return _Reading(None, len(both), total)
    growth = Decimal(sum(last[pk] for pk in both) - base) * 100 / Decimal(base)
    return _Reading(growth.quantize(Decimal("0.01")), len(both), total)


def _read_reach(goal: Goal, start: date, end: date) -> _Reading:
    channels = _scope(goal)
    totals = ChannelDailyFigure.objects.filter(
        channel__in=channels, day__gte=start, day__lte=end
    ).aggregate(
        total_reach=Sum("reach"),
        reporting=Count("channel_id", distinct=True, filter=Q(reach__isnull=False)),
    )
    value = Decimal(totals["total_reach"]) if totals["total_reach"] is not None else None
    return _Reading(value, totals["reporting"], channels.count())


def _read_service(goal: Goal, start: date, end: date) -> _Reading:
    report = service_level_report(unit=goal.unit, start=start, end=end, channels=_scope(goal))
    if goal.metric == GoalMetric.RESPONSE_WITHIN_TARGET:
        share = report.total.share_met
        value = Decimal(str(round(share * 100, 2))) if share is not None else None
    else:
        hours = report.total.median_first_response_hours
        value = Decimal(str(hours)) if hours is not None else None
    return _Reading(value)


_READERS = {
    GoalMetric.FOLLOWERS: _read_followers,
    GoalMetric.FOLLOWERS_GROWTH: _read_followers_growth,
    GoalMetric.REACH: _read_reach,
    GoalMetric.RESPONSE_WITHIN_TARGET: _read_service,
    GoalMetric.MEDIAN_FIRST_RESPONSE: _read_service,
}


def _share(actual: Decimal, target: Decimal, comparison: str) -> float:
    if comparison == GoalComparison.AT_MOST:
        if actual <= target:
            return 1.0
        return float(target / actual) if actual else 0.0
    if target <= 0:
        return 1.0
    return max(0.0, min(float(actual / target), 1.0))


def goal_progress(goal: Goal, *, today: date | None = None) -> GoalProgress:
    """The goal's KPI against its target, for the days of its period up to ``today``."""
    if not goal.metric or goal.target_value is None:
        return GoalProgress("no_kpi")
    today = today or timezone.localdate()
    target = goal.target_value
    if today < goal.period_start:
        return GoalProgress("not_started", target=target, start=goal.period_start)
    end = min(goal.period_end, today)
    reading = _READERS[GoalMetric(goal.metric)](goal, goal.period_start, end)
    progress = GoalProgress(
        "no_data",
        target=target,
        start=goal.period_start,
        end=end,
        channels_reporting=reading.reporting,
        channels_total=reading.total,
    )
    if reading.value is None:
        return progress
    reached = (
        reading.value <= target
        if goal.comparison == GoalComparison.AT_MOST
        else reading.value >= target
    )
    final = today > goal.period_end
    state = ("met" if reached else "missed") if final else ("on_track" if reached else "not_yet")
    return replace(
        progress,
        state=state,
        actual=reading.value,
        share=_share(reading.value, target, goal.comparison),
    )
