"""The dashboard: how the communication of the user's units went in a period, compared with
the period of equal length before it. Progress against the goals first, then KPI tiles and
tables (each with a one-sentence summary and, where drawn, a chart).

Figures come from the readings the metrics feature stores (``analytics.models``) and from
the moderation service levels; a figure no platform reported stays ``None`` ("not provided
by this platform"), never 0. The database does the adding up: a fixed number of queries
whatever the number of posts, snapshots, days or channels (the channels' daily figures per
channel and per day, the posts' latest readings per channel, topic, unit and weekday-hour
in one ``GROUPING SETS`` query, the top posts, the topics' names, the Netiquette actions,
the service-level report of each period, and the goals with their progress).

The monthly PDF report (``analytics/reports``) renders exactly this ``Dashboard``: keep
``dashboard_for``'s signature."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import OrgUnit
from accounts.models import User
from analytics.common.charts import BAR
from analytics.common.charts import HEATMAP
from analytics.common.charts import LINE
from analytics.common.charts import Chart
from analytics.common.charts import Series
from analytics.common.tables import Column
from analytics.common.tables import FigureTable
from analytics.common.tables import Link
from analytics.dashboard.cache import cached_dashboard
from analytics.dashboard.permissions import unit_ids_for_dashboard
from analytics.goals.selectors import GoalProgress
from analytics.goals.selectors import goal_progress
from analytics.goals.selectors import goals_of_units
from analytics.metrics.selectors import INSIGHTS_PLATFORMS
from analytics.models import ChannelAnalyticsSettings
from analytics.models import ChannelDailyFigure
from analytics.models import Goal
from analytics.models import PostMetricLatest
from channels_app.models import Channel
from editorial.models import Post
from editorial.models import PostVariant
from editorial.models import Topic
from moderation.models import ModerationAction
from moderation.service_levels.selectors import ReportRow
from moderation.service_levels.selectors import service_level_report

PRESETS = ("last_7", "last_30", "last_90", "last_month", "custom")
DEFAULT_PRESET = "last_30"
PRESET_DAYS = {"last_7": 7, "last_30": 30, "last_90": 90}
TOP_POSTS = 10
# Bars per chart: the table below it lists every row.
CHART_BARS = 12
ONE = Decimal("0.1")


# --- Period ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole days, ``start`` to ``end`` inclusive, in Europe/Berlin."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of equal length right before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    @classmethod
    def preset(cls, name: str, today: date | None = None) -> Period:
        """``last_7``/``last_30``/``last_90``: that many whole days up to yesterday (today's
        figures are not all read yet); ``last_month``: the calendar month before this one."""
        today = today or timezone.localdate()
        yesterday = today - timedelta(days=1)
        if name == "last_month":
            end = today.replace(day=1) - timedelta(days=1)
            return cls(end.replace(day=1), end)
        return cls(yesterday - timedelta(days=PRESET_DAYS[name] - 1), yesterday)

    def bounds(self) -> tuple[datetime, datetime]:
        """The first moment of ``start`` and the first moment after ``end``, in German time."""
        tz = timezone.get_default_timezone()
        begin = timezone.make_aware(datetime.combine(self.start, time.min), tz)
        after = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), tz)
        return begin, after


def month_period(year: int, month: int) -> Period:
    """A calendar month (for the monthly report)."""
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


# --- What the dashboard hands out -----------------------------------------------------------------


Figure = int | Decimal | None


@dataclass(frozen=True)
class Tile:
    """A KPI tile. ``change``: for a share (``unit`` "%") the difference in percentage
    points, else the change in per cent of ``previous`` (``None`` when either is missing
    or the previous is 0)."""

    key: str
    label: str
    value: Figure
    previous: Figure
    change: Decimal | None
    unit: str = ""
    note: str = ""

    @property
    def change_in_points(self) -> bool:
        return self.unit == "%"


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    progress: GoalProgress


@dataclass(frozen=True)
class Dashboard:
    period: Period
    previous_period: Period
    tiles: tuple[Tile, ...]
    goals: tuple[GoalRow, ...]
    tables: tuple[FigureTable, ...]
    # Facebook/Instagram channels in scope whose Insights are switched off.
    insights_off_channels: tuple[Channel, ...]
    # Practice channels (sandbox) in scope: included, but their figures are demo data.
    sandbox_channels: tuple[Channel, ...]
    units: tuple[OrgUnit, ...]
    channels_count: int
    # Inhabitants of the unit the figures are for (set on the unit; else None).
    population: int | None

    def table(self, key: str) -> FigureTable | None:
        return next((table for table in self.tables if table.key == key), None)

    def tile(self, key: str) -> Tile | None:
        return next((tile for tile in self.tiles if tile.key == key), None)


# --- Helpers -----------------------------------------------------------------------------------


def _num(value: Figure | float, places: int = 0) -> str:
    if value is None:
        return "\u2013"
    return number_format(round(Decimal(value), places), places, force_grouping=True)


def _bars_against_previous(
    key: str, title: str, summary: str, rows: list[tuple[Any, ...]], current: int, previous: int
) -> Chart:
    """Bars of this period beside the previous one, one pair per row (labelled by column 0)."""
    return Chart(
        key=key,
        kind=BAR,
        title=title,
        description=summary,
        labels=tuple(row[0] for row in rows),
        series=(
            Series(_("This period"), tuple(row[current] for row in rows)),
            Series(_("Previous period"), tuple(row[previous] for row in rows)),
        ),
    )


def _change(value: Figure, previous: Figure, *, points: bool = False) -> Decimal | None:
    if value is None or previous is None:
        return None
    if points:
        return (Decimal(value) - Decimal(previous)).quantize(ONE)
    if previous == 0:
        return None
    return ((Decimal(value) - Decimal(previous)) * 100 / Decimal(previous)).quantize(ONE)


def _share(part: Figure, whole: Figure) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE)


def _add(*values: Figure) -> Figure:
    """The sum of the figures given; ``None`` when none was given (not provided)."""
    given = [v for v in values if v is not None]
    return sum(given, start=0) if given else None


def _per_thousand(count: Figure, population: int | None) -> Decimal | None:
    if count is None or not population:
        return None
    return (Decimal(count) * 1000 / Decimal(population)).quantize(Decimal("0.01"))


def _hours(value: float | None) -> Decimal | None:
    return Decimal(str(value)).quantize(ONE) if value is not None else None


# --- Scope ---------------------------------------------------------------------------------------


@dataclass
class _Scope:
    units: list[OrgUnit]
    roots: list[OrgUnit]  # the chosen units (or the user's top units): the report units
    channels: list[Channel]
    topic_ids: list[int] | None

    @property
    def channel_ids(self) -> list[int]:
        return [channel.pk for channel in self.channels]

    @property
    def focus(self) -> OrgUnit | None:
        return self.roots[0] if len(self.roots) == 1 else None


def _scope(
    readable: set[int],
    unit_ids: Sequence[int] | None,
    channel_ids: Sequence[int] | None,
    topic_ids: Sequence[int] | None,
) -> _Scope:
    units = list(OrgUnit.objects.filter(id__in=readable).order_by("path"))
    if unit_ids:
        wanted = set(unit_ids)
        roots = [unit for unit in units if unit.pk in wanted]
        # A chosen unit below another chosen one is in its subtree already.
        roots = [
            r for r in roots if not any(o is not r and r.path.startswith(o.path) for o in roots)
        ]
        units = [unit for unit in units if any(unit.path.startswith(r.path) for r in roots)]
    else:
        ids = {unit.pk for unit in units}
        roots = [unit for unit in units if unit.parent_id not in ids]
    channels = Channel.objects.filter(unit_id__in=[unit.pk for unit in units])
    if channel_ids:
        channels = channels.filter(pk__in=list(channel_ids))
    switched_off = ChannelAnalyticsSettings.objects.filter(
        channel=OuterRef("pk"), insights_enabled=False
    )
    return _Scope(
        units=units,
        roots=roots,
        channels=list(
            channels.annotate(insights_switched_off=Exists(switched_off)).order_by("name", "pk")
        ),
        topic_ids=list(topic_ids) if topic_ids else None,
    )


# --- Channel figures (followers, reach) ----------------------------------------------------------


@dataclass
class _ChannelFigures:
    first: int | None = None  # followers at the first reading of the period
    last: int | None = None  # ... and at the last
    reach: int | None = None
    previous_first: int | None = None
    previous_last: int | None = None
    previous_reach: int | None = None


# One pass over the days of both periods: per channel (followers at the first and last
# reading, reach summed, for each period) and per day (followers and reach added up over the
# channels, for the chart; the previous period's days are dropped). The first and last
# reading are the smallest and largest (day number, followers) pair: plain aggregates, no
# sort per channel (a third of the time of ``array_agg(… ORDER BY day)``), read from the
# covering index ``figure_channel_day_figures`` alone.
_CHANNEL_FIGURES_SQL = """
SELECT GROUPING(channel_id, day), channel_id, day,
  (MIN(ARRAY[day - DATE '2000-01-01', followers])
     FILTER (WHERE followers IS NOT NULL AND day >= %(start)s))[2],
  (MAX(ARRAY[day - DATE '2000-01-01', followers])
     FILTER (WHERE followers IS NOT NULL AND day >= %(start)s))[2],
  (SUM(reach) FILTER (WHERE day >= %(start)s))::bigint,
  (MIN(ARRAY[day - DATE '2000-01-01', followers])
     FILTER (WHERE followers IS NOT NULL AND day < %(start)s))[2],
  (MAX(ARRAY[day - DATE '2000-01-01', followers])
     FILTER (WHERE followers IS NOT NULL AND day < %(start)s))[2],
  (SUM(reach) FILTER (WHERE day < %(start)s))::bigint,
  SUM(followers)::bigint, SUM(reach)::bigint
FROM {table}
WHERE channel_id = ANY(%(channels)s) AND day >= %(previous_start)s AND day <= %(end)s
GROUP BY GROUPING SETS ((channel_id), (day))
"""

Day = tuple[date, int | None, int | None]


def _channel_figures(scope: _Scope, period: Period) -> tuple[dict[int, _ChannelFigures], list[Day]]:
    """Per channel: followers at the first and last reading and the reach summed, in the
    period and in the previous one; per day of the period: followers and reach (one query)."""
    params: dict[str, Any] = {
        "channels": scope.channel_ids,
        "start": period.start,
        "previous_start": period.previous().start,
        "end": period.end,
    }
    channels: dict[int, _ChannelFigures] = {}
    days: list[Day] = []
    with connection.cursor() as cursor:
        cursor.execute(_CHANNEL_FIGURES_SQL.format(table=ChannelDailyFigure._meta.db_table), params)
        for bits, channel_id, day, *figures, followers, reach in cursor.fetchall():
            if bits == 0b01:
                channels[channel_id] = _ChannelFigures(*figures)
            elif day >= period.start:
                days.append((day, followers, reach))
    return channels, sorted(days)


def _followers(figures: Iterable[_ChannelFigures], previous: bool = False) -> Figure:
    return _add(*(f.previous_last if previous else f.last for f in figures))


def _growth(figures: Iterable[_ChannelFigures], previous: bool = False) -> Decimal | None:
    """Growth in per cent from the first to the last reading, over the channels read at
    both ends (a channel added midway is not growth); as the goals count it."""
    pairs = [
        (f.previous_first, f.previous_last) if previous else (f.first, f.last) for f in figures
    ]
    both = [(a, b) for a, b in pairs if a is not None and b is not None]
    base = sum(a for a, _b in both)
    if not both or not base:
        return None
    return (Decimal(sum(b for _a, b in both) - base) * 100 / Decimal(base)).quantize(ONE)


# --- Post figures ------------------------------------------------------------------------------

# Each published variant with its newest reading (the highest age bucket; kept per variant
# in ``PostMetricLatest`` by a trigger, one join instead of a lookup per variant): the figures
# a post ended up with. Engagement is likes + shares + replies where the platform gave any of them;
# the engagement rate divides by the reach, else the impressions, of the same posts.
_POSTS_CTE = """
WITH v AS MATERIALIZED (
  SELECT pv.post_id, pv.channel_id, p.topic_id, p.unit_id, p.title, pv.published_at,
         pv.published_at >= %(start)s AS cur,
         EXTRACT(ISODOW FROM pv.published_at AT TIME ZONE %(tz)s)::int AS dow,
         EXTRACT(HOUR FROM pv.published_at AT TIME ZONE %(tz)s)::int AS hour,
         s.reach, s.impressions,
         COALESCE(s.reach, s.impressions) AS seen,
         CASE WHEN COALESCE(s.likes, s.shares, s.comments) IS NULL THEN NULL
              ELSE COALESCE(s.likes, 0) + COALESCE(s.shares, 0) + COALESCE(s.comments, 0)
         END AS engagement
  FROM {variant} pv
  JOIN {post} p ON p.id = pv.post_id
  LEFT JOIN {latest} s ON s.variant_id = pv.id
  WHERE pv.channel_id = ANY(%(channels)s)
    AND pv.published_at >= %(previous_start)s AND pv.published_at < %(end)s
    {topic_condition}
)
"""

_POST_FIGURES = """
  COUNT(*), COUNT(DISTINCT post_id), SUM(reach)::bigint, SUM(engagement)::bigint,
  (SUM(engagement) FILTER (WHERE seen IS NOT NULL))::bigint,
  (SUM(seen) FILTER (WHERE engagement IS NOT NULL))::bigint
"""

# One statement, one pass over the posts (``v`` materialised once): the figures per group,
# then the top posts by engagement (``rank`` 1, 2, …; NULL on the group rows).
_POSTS_REST = """,
grouped AS (
  SELECT GROUPING(channel_id, topic_id, unit_id, dow, hour) AS bits, cur, channel_id, topic_id,
         unit_id, dow, hour, NULL::bigint AS rank, NULL::bigint AS post_id, NULL::text AS title,
         NULL::timestamptz AS published_at, {figures}
  FROM v
  GROUP BY GROUPING SETS
    ((cur), (cur, channel_id), (cur, topic_id), (cur, unit_id), (cur, dow, hour))
),
top AS (
  SELECT -1, true, NULL::bigint, NULL::bigint, NULL::bigint, NULL::int, NULL::int,
         ROW_NUMBER() OVER (
           ORDER BY SUM(engagement) DESC NULLS LAST, MIN(published_at) DESC, post_id
         ),
         post_id, MIN(title), MIN(published_at), {figures}
  FROM v WHERE cur
  GROUP BY post_id
  ORDER BY 8
  LIMIT %(limit)s
)
SELECT * FROM grouped UNION ALL SELECT * FROM top
"""
# Table names from the models and fixed fragments only; every value is a parameter.
_POSTS_SQL = _POSTS_CTE + _POSTS_REST

# GROUPING() bits, left to right channel, topic, unit, dow, hour: 1 where left out.
_GROUPS = {0b11111: "total", 0b01111: "channel", 0b10111: "topic", 0b11011: "unit", 0b11100: "slot"}


@dataclass(frozen=True)
class _PostFigures:
    """What the posts of a group came to: published variants (one per channel), posts,
    reach summed, engagement summed, and the two sums the rate divides."""

    variants: int = 0
    posts: int = 0
    reach: int | None = None
    engagement: int | None = None
    rate_engagement: int | None = None
    rate_seen: int | None = None

    @property
    def rate(self) -> Decimal | None:
        return _share(self.rate_engagement, self.rate_seen)

    @property
    def average_engagement(self) -> Decimal | None:
        if self.engagement is None or not self.variants:
            return None
        return (Decimal(self.engagement) / self.variants).quantize(ONE)


EMPTY = _PostFigures()


def _posts_sql(template: str, scope: _Scope, period: Period) -> tuple[str, dict[str, Any]]:
    sql = template.format(
        variant=PostVariant._meta.db_table,
        post=Post._meta.db_table,
        channel=Channel._meta.db_table,
        latest=PostMetricLatest._meta.db_table,
        topic_condition="AND p.topic_id = ANY(%(topics)s)" if scope.topic_ids else "",
        figures=_POST_FIGURES,
    )
    start, end = period.bounds()
    params = {
        "channels": scope.channel_ids,
        "start": start,
        "previous_start": period.previous().bounds()[0],
        "end": end,
        "tz": str(timezone.get_default_timezone()),
        "topics": scope.topic_ids or [],
        "limit": TOP_POSTS,
    }
    return sql, params


TopPost = tuple[int, str, datetime, "_PostFigures"]


def _post_figures(
    scope: _Scope, period: Period
) -> tuple[dict[tuple[str, bool], dict[Any, _PostFigures]], list[TopPost]]:
    """(group, current period?) -> key -> figures; keys: None (total), channel id, topic id
    (None: no topic), unit id, (weekday, hour). And the top posts of the period."""
    sql, params = _posts_sql(_POSTS_SQL, scope, period)
    grouped: dict[tuple[str, bool], dict[Any, _PostFigures]] = defaultdict(dict)
    top: list[tuple[int, TopPost]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            bits, cur, channel_id, topic_id, unit_id, dow, hour, rank, post_id, title, at = row[:11]
            figures = _PostFigures(*row[11:])
            if bits == -1:
                top.append((rank, (post_id, title, at, figures)))
                continue
            group = _GROUPS[bits]
            key = {
                "total": None,
                "channel": channel_id,
                "topic": topic_id,
                "unit": unit_id,
                "slot": (dow, hour),
            }[group]
            grouped[(group, cur)][key] = figures
    return grouped, [post for _rank, post in sorted(top, key=lambda pair: pair[0])]


# --- Service figures (moderation) ---------------------------------------------------------------


def _service(scope: _Scope, period: Period) -> ReportRow | None:
    """The first responses on the scope's channels (the service-level report of each chosen
    unit, added up); ``None`` without channels."""
    if not scope.channels:
        return None
    channels = Channel.objects.filter(pk__in=scope.channel_ids)
    reports = [
        service_level_report(unit=root, start=period.start, end=period.end, channels=channels)
        for root in scope.roots
    ]
    if len(reports) == 1:
        return reports[0].total
    return ReportRow.combined(_("All units"), [report.total for report in reports])


def _response_rate(row: ReportRow | None) -> Decimal | None:
    """Items answered among those that needed an answer."""
    if row is None:
        return None
    return _share(row.responded, row.total - row.not_needed)


def _actions_by_rule(scope: _Scope, period: Period) -> list[dict[str, Any]]:
    start, end = period.bounds()
    previous_start = period.previous().bounds()[0]
    rows = (
        ModerationAction.objects.filter(
            item__channel_id__in=scope.channel_ids,
            created_at__gte=previous_start,
            created_at__lt=end,
        )
        .values("rule_id", "rule__number", "rule__title", "rule__netiquette__version")
        .annotate(
            current=Count("pk", filter=Q(created_at__gte=start)),
            previous=Count("pk", filter=Q(created_at__lt=start)),
        )
        .order_by("rule__netiquette__version", "rule__number", "rule_id")
    )
    return [dict(row) for row in rows]


# --- Goals ---------------------------------------------------------------------------------------


def _goals(scope: _Scope, period: Period, today: date | None) -> tuple[GoalRow, ...]:
    """The current goals of the scope's units whose period overlaps the dashboard's, each
    with its progress (``goal_progress``, as the goals page shows it)."""
    goals = (
        goals_of_units([unit.pk for unit in scope.units], archived=False)
        .filter(
            period_start__lte=period.end,
            period_end__gte=period.start,
        )
        .order_by("unit__path", "period_end", "title", "pk")
    )
    return tuple(GoalRow(goal, goal_progress(goal, today=today)) for goal in goals)


# --- Tables --------------------------------------------------------------------------------------


def _over_time_table(days: list[Day], period: Period) -> FigureTable:
    by_day = {day: (followers, reach) for day, followers, reach in days}
    rows = []
    for offset in range(period.days):
        day = period.start + timedelta(days=offset)
        followers, reach = by_day.get(day, (None, None))
        rows.append((day.isoformat(), followers, reach))
    known = [row for row in rows if row[1] is not None]
    if len(known) >= 2:
        summary = _(
            "Followers went from %(first)s on %(first_day)s to %(last)s on %(last_day)s."
        ) % {
            "first": _num(known[0][1]),
            "first_day": date_format(date.fromisoformat(known[0][0]), "SHORT_DATE_FORMAT"),
            "last": _num(known[-1][1]),
            "last_day": date_format(date.fromisoformat(known[-1][0]), "SHORT_DATE_FORMAT"),
        }
    else:
        summary = _("The platforms reported no follower counts for this period.")
    chart = Chart(
        key="over-time",
        kind=LINE,
        title=_("Followers and reach per day"),
        description=summary,
        labels=tuple(date_format(date.fromisoformat(row[0]), "SHORT_DATE_FORMAT") for row in rows),
        series=(
            Series(_("Followers"), tuple(row[1] for row in rows)),
            Series(_("Reach"), tuple(row[2] for row in rows)),
        ),
    )
    return FigureTable(
        key="over_time",
        title=_("Followers and reach per day"),
        columns=(
            Column("day", _("Day")),
            Column("followers", _("Followers"), numeric=True),
            Column("reach", _("Reach"), numeric=True),
        ),
        rows=tuple(rows),
        summary=summary,
        chart=chart,
        note=_("Added up over the channels that reported the figure that day."),
    )


def _channel_label(channel: Channel) -> str:
    if channel.is_sandbox:
        return _("%(channel)s, practice channel") % {"channel": channel.label}
    return channel.label


def _channels_table(
    scope: _Scope,
    figures: dict[int, _ChannelFigures],
    posts: dict[tuple[str, bool], dict[Any, _PostFigures]],
    note: str,
) -> FigureTable:
    current, previous = posts.get(("channel", True), {}), posts.get(("channel", False), {})
    unit_names = {unit.pk: unit.name for unit in scope.units}
    rows = []
    for channel in scope.channels:
        f = figures.get(channel.pk, _ChannelFigures())
        p = current.get(channel.pk, EMPTY)
        rows.append(
            (
                _channel_label(channel),
                unit_names.get(channel.unit_id, ""),
                f.last,
                _growth([f]),
                f.reach,
                f.previous_reach,
                p.variants,
                p.engagement,
                p.rate,
                previous.get(channel.pk, EMPTY).engagement,
            )
        )
    ranked = sorted(
        (row for row in rows if row[4] is not None), key=lambda row: row[4] or 0, reverse=True
    )
    if ranked:
        summary = _("%(channel)s reached the most people: %(reach)s in the period.") % {
            "channel": ranked[0][0],
            "reach": _num(ranked[0][4]),
        }
    else:
        summary = _("No channel reported its reach for this period.")
    shown = ranked[:CHART_BARS]
    chart = _bars_against_previous("channels", _("Reach per channel"), summary, shown, 4, 5)
    return FigureTable(
        key="channels",
        title=_("Per channel"),
        columns=(
            Column("channel", _("Channel")),
            Column("unit", _("Unit")),
            Column("followers", _("Followers"), numeric=True, total=True),
            Column("growth", _("Follower growth (%)"), numeric=True),
            Column("reach", _("Reach"), numeric=True, total=True),
            Column("reach_previous", _("Reach, previous period"), numeric=True, total=True),
            Column("publications", _("Posts published"), numeric=True, total=True),
            Column("engagement", _("Engagement"), numeric=True, total=True),
            Column("engagement_rate", _("Engagement rate (%)"), numeric=True),
            Column(
                "engagement_previous",
                _("Engagement, previous period"),
                numeric=True,
                total=True,
            ),
        ),
        rows=tuple(rows),
        summary=summary,
        chart=chart if shown else None,
        note=note,
    )


def _topics_table(
    scope: _Scope, posts: dict[tuple[str, bool], dict[Any, _PostFigures]]
) -> FigureTable:
    current, previous = posts.get(("topic", True), {}), posts.get(("topic", False), {})
    ids = [pk for pk in {*current, *previous} if pk is not None]
    names = dict(Topic.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = []
    for pk in sorted({*current, *previous}, key=lambda k: (k is None, names.get(k, ""))):
        now, before = current.get(pk, EMPTY), previous.get(pk, EMPTY)
        name = names.get(pk, "") if pk is not None else _("No topic")
        rows.append(
            (name, now.posts, now.reach, now.engagement, now.rate, before.posts, before.engagement)
        )
    ranked = sorted(
        (row for row in rows if row[3] is not None), key=lambda row: row[3] or 0, reverse=True
    )
    if ranked:
        summary = _("Posts on “%(topic)s” drew the most engagement: %(engagement)s.") % {
            "topic": ranked[0][0],
            "engagement": _num(ranked[0][3]),
        }
    elif rows:
        summary = _("The platforms reported no engagement for the posts of this period.")
    else:
        summary = _("No posts were published in this period.")
    shown = ranked[:CHART_BARS]
    return FigureTable(
        key="topics",
        title=_("Per topic or campaign"),
        columns=(
            Column("topic", _("Topic or campaign")),
            Column("posts", _("Posts published"), numeric=True, total=True),
            Column("reach", _("Reach of the posts"), numeric=True, total=True),
            Column("engagement", _("Engagement"), numeric=True, total=True),
            Column("engagement_rate", _("Engagement rate (%)"), numeric=True),
            Column("posts_previous", _("Posts, previous period"), numeric=True, total=True),
            Column(
                "engagement_previous",
                _("Engagement, previous period"),
                numeric=True,
                total=True,
            ),
        ),
        rows=tuple(rows),
        summary=summary,
        chart=_bars_against_previous(
            "topics", _("Engagement per topic or campaign"), summary, shown, 3, 6
        )
        if shown
        else None,
    )


def _units_table(
    scope: _Scope,
    figures: dict[int, _ChannelFigures],
    posts: dict[tuple[str, bool], dict[Any, _PostFigures]],
) -> FigureTable:
    """Each unit with everything below it (its subtree)."""
    channels_of: dict[int, list[int]] = defaultdict(list)
    for channel in scope.channels:
        channels_of[channel.unit_id].append(channel.pk)
    current = posts.get(("unit", True), {})
    path_of = {unit.pk: unit.path for unit in scope.units}
    rows = []
    for unit in scope.units:
        below = [pk for pk, path in path_of.items() if path.startswith(unit.path)]
        channel_figures = [
            figures.get(pk, _ChannelFigures()) for u in below for pk in channels_of[u]
        ]
        followers = _followers(channel_figures)
        post_figures = [current.get(u, EMPTY) for u in below]
        rows.append(
            (
                "— " * max(unit.depth - min(u.depth for u in scope.units), 0) + unit.name,
                sum(len(channels_of[u]) for u in below),
                followers,
                unit.population,
                _per_thousand(followers, unit.population),
                _add(*(f.reach for f in channel_figures)),
                # A post belongs to its own unit: counted once there, whatever channels.
                sum(p.posts for p in post_figures),
                _add(*(p.engagement for p in post_figures)),
            )
        )
    summary = ngettext(
        "%(count)s unit with the units below it.",
        "%(count)s units, each with the units below it.",
        len(rows),
    ) % {"count": len(rows)}
    shown = [row for row in rows if row[5] is not None][:CHART_BARS]
    return FigureTable(
        key="units",
        title=_("Per unit"),
        columns=(
            Column("unit", _("Unit")),
            Column("channels", _("Channels"), numeric=True),
            Column("followers", _("Followers"), numeric=True),
            Column("population", _("Population"), numeric=True),
            Column("followers_per_1000", _("Followers per 1,000 inhabitants"), numeric=True),
            Column("reach", _("Reach"), numeric=True),
            Column("publications", _("Posts published"), numeric=True),
            Column("engagement", _("Engagement"), numeric=True),
        ),
        rows=tuple(rows),
        summary=summary,
        chart=Chart(
            key="units",
            kind=BAR,
            title=_("Reach per unit"),
            description=summary,
            labels=tuple(row[0] for row in shown),
            series=(Series(_("This period"), tuple(row[5] for row in shown)),),
        )
        if shown
        else None,
        note=_("Population: set on the unit in the administration; empty when not set."),
    )


def _top_posts_table(top: list[TopPost]) -> FigureTable:
    rows = tuple(
        (
            Link(title, reverse("posts:detail", kwargs={"pk": pk})),
            date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT"),
            figures.variants,
            figures.reach,
            figures.engagement,
            figures.rate,
        )
        for pk, title, at, figures in top
    )
    if rows and rows[0][4] is not None:
        summary = _("“%(post)s” drew the most engagement: %(engagement)s.") % {
            "post": rows[0][0].text,
            "engagement": _num(rows[0][4]),
        }
    elif rows:
        summary = _("The platforms reported no engagement for the posts of this period.")
    else:
        summary = _("No posts were published in this period.")
    return FigureTable(
        key="top_posts",
        title=_("Top posts"),
        columns=(
            Column("post", _("Post")),
            Column("published", _("Published")),
            Column("channels", _("Channels"), numeric=True),
            Column("reach", _("Reach of the posts"), numeric=True),
            Column("engagement", _("Engagement"), numeric=True),
            Column("engagement_rate", _("Engagement rate (%)"), numeric=True),
        ),
        rows=rows,
        summary=summary,
        note=_("By engagement (likes, shares and replies) at the latest reading."),
    )


def _posting_times_table(posts: dict[tuple[str, bool], dict[Any, _PostFigures]]) -> FigureTable:
    slots = posts.get(("slot", True), {})
    rows = tuple(
        (
            str(WEEKDAYS_ABBR[dow - 1]),
            f"{hour:02d}:00",
            slots[(dow, hour)].variants,
            slots[(dow, hour)].average_engagement,
        )
        for dow, hour in sorted(slots)
    )
    ranked = sorted(
        (row for row in rows if row[3] is not None), key=lambda r: r[3] or 0, reverse=True
    )
    if ranked:
        summary = _(
            "Posts published on %(weekday)s at %(hour)s drew the most engagement on average"
            " (%(engagement)s)."
        ) % {"weekday": ranked[0][0], "hour": ranked[0][1], "engagement": _num(ranked[0][3], 1)}
    else:
        summary = _("Not enough figures to tell the best posting times.")
    hours = tuple(f"{hour:02d}" for hour in range(24))
    chart = Chart(
        key="posting-times",
        kind=HEATMAP,
        title=_("Average engagement by weekday and hour"),
        description=summary,
        labels=hours,
        series=tuple(
            Series(
                str(WEEKDAYS_ABBR[dow - 1]),
                tuple(slots.get((dow, hour), EMPTY).average_engagement for hour in range(24)),
            )
            for dow in range(1, 8)
        ),
    )
    return FigureTable(
        key="posting_times",
        title=_("Best posting times"),
        columns=(
            Column("weekday", _("Weekday")),
            Column("hour", _("Hour (German time)")),
            Column("publications", _("Posts published"), numeric=True, total=True),
            Column("average_engagement", _("Average engagement per post"), numeric=True),
        ),
        rows=rows,
        summary=summary,
        chart=chart if rows else None,
    )


def _service_table(current: ReportRow | None, previous: ReportRow | None) -> FigureTable:
    def figures(row: ReportRow | None) -> list[Figure]:
        if row is None:
            return [None] * 5
        return [
            row.total,
            _response_rate(row),
            _hours(row.median_first_response_hours),
            _hours(row.p90_first_response_hours),
            _share(row.met, row.met + row.breached),
        ]

    labels = (
        _("Items received"),
        _("Response rate (%)"),
        _("Median first response (service hours)"),
        _("90 % of first responses within (service hours)"),
        _("First responses within the target (%)"),
    )
    now, before = figures(current), figures(previous)
    rows = tuple(zip(labels, now, before, strict=True))
    if current is not None and current.total:
        summary = _(
            "%(items)s items came in; %(share)s of the first responses due were within the target."
        ) % {
            "items": _num(current.total),
            "share": f"{_num(now[4], 1)} %" if now[4] is not None else _("none"),
        }
    else:
        summary = _("No comments or messages came in on these channels in this period.")
    return FigureTable(
        key="service",
        title=_("Service (answers to citizens)"),
        columns=(
            Column("figure", _("Figure")),
            Column("current", _("This period"), numeric=True),
            Column("previous", _("Previous period"), numeric=True),
        ),
        rows=rows,
        summary=summary,
        note=_(
            "Times in service hours of each channel's unit (docs: service levels); items that"
            " need no answer count neither as answered nor as late."
        ),
    )


def _actions_table(actions: list[dict[str, Any]]) -> FigureTable:
    rows = []
    for row in actions:
        if row["rule_id"] is None:
            label = _("No rule cited (no action)")
        else:
            label = _("§ %(number)s %(title)s (version %(version)s)") % {
                "number": row["rule__number"],
                "title": row["rule__title"],
                "version": row["rule__netiquette__version"],
            }
        rows.append((label, row["current"], row["previous"]))
    total = sum(row[1] for row in rows)
    summary = ngettext(
        "%(count)s moderation decision in this period.",
        "%(count)s moderation decisions in this period.",
        total,
    ) % {"count": _num(total)}
    shown = sorted(rows, key=lambda row: row[1], reverse=True)[:CHART_BARS]
    return FigureTable(
        key="netiquette_actions",
        title=_("Moderation decisions by Netiquette rule"),
        columns=(
            Column("rule", _("Netiquette rule")),
            Column("current", _("This period"), numeric=True),
            Column("previous", _("Previous period"), numeric=True),
        ),
        rows=tuple(rows),
        summary=summary,
        chart=_bars_against_previous(
            "netiquette-actions",
            _("Moderation decisions by Netiquette rule"),
            summary,
            shown,
            1,
            2,
        )
        if shown
        else None,
    )


# --- The dashboard -------------------------------------------------------------------------------


def _tiles(
    scope: _Scope,
    figures: dict[int, _ChannelFigures],
    posts: dict[tuple[str, bool], dict[Any, _PostFigures]],
    service: tuple[ReportRow | None, ReportRow | None],
) -> tuple[Tile, ...]:
    channel_figures = list(figures.values())
    now = posts.get(("total", True), {}).get(None, EMPTY)
    before = posts.get(("total", False), {}).get(None, EMPTY)
    followers, followers_before = _followers(channel_figures), _followers(channel_figures, True)
    growth, growth_before = _growth(channel_figures), _growth(channel_figures, True)
    reach = _add(*(f.reach for f in channel_figures))
    reach_before = _add(*(f.previous_reach for f in channel_figures))
    tiles = [
        Tile(
            "followers",
            _("Followers"),
            followers,
            followers_before,
            _change(followers, followers_before),
        ),
        Tile(
            "follower_growth",
            _("Follower growth"),
            growth,
            growth_before,
            _change(growth, growth_before, points=True),
            "%",
        ),
    ]
    population = scope.focus.population if scope.focus else None
    if population:
        per, per_before = (
            _per_thousand(followers, population),
            _per_thousand(followers_before, population),
        )
        tiles.append(
            Tile(
                "followers_per_1000",
                _("Followers per 1,000 inhabitants"),
                per,
                per_before,
                _change(per, per_before),
                note=_("%(population)s inhabitants") % {"population": _num(population)},
            )
        )
    tiles += [
        Tile("reach", _("Reach"), reach, reach_before, _change(reach, reach_before)),
        Tile(
            "engagement_rate",
            _("Engagement rate"),
            now.rate,
            before.rate,
            _change(now.rate, before.rate, points=True),
            "%",
            note=_("Likes, shares and replies per reach (or impressions) of the posts"),
        ),
        Tile(
            "posts_published",
            _("Posts published"),
            now.posts,
            before.posts,
            _change(now.posts, before.posts),
        ),
    ]
    current, previous = service
    received = current.total if current else None
    received_before = previous.total if previous else None
    within = _share(current.met, current.met + current.breached) if current else None
    within_before = _share(previous.met, previous.met + previous.breached) if previous else None
    tiles += [
        Tile(
            "items_received",
            _("Comments and messages received"),
            received,
            received_before,
            _change(received, received_before),
        ),
        Tile(
            "responses_within_target",
            _("First responses within the target"),
            within,
            within_before,
            _change(within, within_before, points=True),
            "%",
        ),
    ]
    return tuple(tiles)


def _channels_note(scope: _Scope, insights_off: list[Channel], sandbox: list[Channel]) -> str:
    parts = []
    if insights_off:
        parts.append(
            ngettext(
                "Insights switched off for %(count)s channel (%(names)s): reach, impressions,"
                " clicks and video views not available there.",
                "Insights switched off for %(count)s channels (%(names)s): reach, impressions,"
                " clicks and video views not available there.",
                len(insights_off),
            )
            % {"count": len(insights_off), "names": ", ".join(c.name for c in insights_off)}
        )
    if sandbox:
        parts.append(
            ngettext(
                "%(count)s practice channel (sandbox) included: its figures are demo data.",
                "%(count)s practice channels (sandbox) included: their figures are demo data.",
                len(sandbox),
            )
            % {"count": len(sandbox)}
        )
    if scope.topic_ids:
        parts.append(_("The topic filter applies to posts; followers and reach are per channel."))
    return " ".join(parts)


@dataclass
class _Readings:
    figures: dict[int, _ChannelFigures] = field(default_factory=dict)
    days: list[Day] = field(default_factory=list)
    posts: dict[tuple[str, bool], dict[Any, _PostFigures]] = field(default_factory=dict)
    top: list[TopPost] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)


def dashboard_for(
    user: User,
    *,
    period: Period,
    unit_ids: list[int] | None = None,
    channel_ids: list[int] | None = None,
    topic_ids: list[int] | None = None,
    today: date | None = None,
) -> Dashboard:
    """The dashboard of the units the user reads (or of ``unit_ids`` among them, each with
    the units below it), optionally only some channels and topics, for ``period`` compared
    with ``period.previous()``. Units, channels and topics the user does not read are left
    out silently (the pages and the API refuse them before). Kept a short while per user
    and parameters (``analytics.dashboard.cache``: never older than the newest figures)."""
    parts = (
        "user",
        user.pk,
        period,
        tuple(unit_ids or ()),
        tuple(channel_ids or ()),
        tuple(topic_ids or ()),
        today or timezone.localdate(),
    )
    return cached_dashboard(
        parts,
        lambda: _dashboard(
            _scope(unit_ids_for_dashboard(user), unit_ids, channel_ids, topic_ids), period, today
        ),
    )


def dashboard_for_unit(unit: OrgUnit, *, period: Period, today: date | None = None) -> Dashboard:
    """The dashboard of exactly ``unit`` and the units below it, read as nobody in
    particular: the scheduled monthly report, whoever holds roles in the unit."""
    subtree = set(OrgUnit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))
    return _dashboard(_scope(subtree, [unit.pk], None, None), period, today)


def _dashboard(scope: _Scope, period: Period, today: date | None) -> Dashboard:
    readings = _Readings()
    if scope.channels:
        posts, top = _post_figures(scope, period)
        figures, days = _channel_figures(scope, period)
        readings = _Readings(
            figures=figures,
            days=days,
            posts=posts,
            top=top,
            actions=_actions_by_rule(scope, period),
        )
    service = (_service(scope, period), _service(scope, period.previous()))
    insights_off = [
        c
        for c in scope.channels
        if c.platform in INSIGHTS_PLATFORMS and getattr(c, "insights_switched_off", False)
    ]
    sandbox = [c for c in scope.channels if c.is_sandbox]
    tables = (
        _over_time_table(readings.days, period),
        _channels_table(
            scope, readings.figures, readings.posts, _channels_note(scope, insights_off, sandbox)
        ),
        _top_posts_table(readings.top),
        _posting_times_table(readings.posts),
        _topics_table(scope, readings.posts),
        _units_table(scope, readings.figures, readings.posts),
        _service_table(*service),
        _actions_table(readings.actions),
    )
    return Dashboard(
        period=period,
        previous_period=period.previous(),
        tiles=_tiles(scope, readings.figures, readings.posts, service),
        goals=_goals(scope, period, today),
        tables=tables,
        insights_off_channels=tuple(insights_off),
        sandbox_channels=tuple(sandbox),
        units=tuple(scope.units),
        channels_count=len(scope.channels),
        population=scope.focus.population if scope.focus else None,
    )
