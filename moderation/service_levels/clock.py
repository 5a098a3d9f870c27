"""Service time: minutes counted only within a unit's service hours (Europe/Berlin), never on
its public holidays.

Pure: no database. A :class:`ServiceCalendar` is built once per unit (see
``selectors.service_calendar_for_units``) and then answers any number of questions.

Service ranges are local wall-clock times; each range is turned into an absolute interval
for the day, so that a day on which the clocks change counts the minutes that really pass
(a range 01:00-04:00 on the last Sunday of March holds two hours of service, not three).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

# How far ahead a deadline is looked for: a unit whose service hours are all empty has none,
# and a year is longer than any pause a real unit takes.
_SEARCH_DAYS = 400

Ranges = Sequence[tuple[time, time]]


def parse_service_hours(
    raw: Mapping[str, Sequence[Sequence[str]]],
) -> dict[int, list[tuple[time, time]]]:
    """``{"0": [["08:00", "16:00"]]}`` → ``{0: [(time(8), time(16))]}``, each day sorted.
    Malformed entries raise ``ValueError`` (the forms validate before anything is stored)."""
    hours: dict[int, list[tuple[time, time]]] = {}
    for day, ranges in raw.items():
        weekday = int(day)
        if not 0 <= weekday <= 6:
            raise ValueError(f"weekday out of range: {day!r}")
        parsed = [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in ranges]
        hours[weekday] = sorted(parsed)
    return hours


def range_problems(ranges: Ranges) -> list[str]:
    """Codes of what is wrong with one day's ranges: ``"order"`` (a range ends before it
    starts) and ``"overlap"`` (two ranges share time). Empty when the day is fine."""
    problems = []
    if any(end <= start for start, end in ranges):
        problems.append("order")
    ordered = sorted(ranges)
    if any(later[0] < earlier[1] for earlier, later in itertools.pairwise(ordered)):
        problems.append("overlap")
    return problems


@dataclass
class ServiceCalendar:
    """Service hours per weekday (Monday 0) and the public holidays on which there is none.

    ``holidays`` answers for one year at a time (computed lazily and kept), so one calendar
    serves a whole batch of items without asking again."""

    hours: Mapping[int, Ranges]
    holidays: Callable[[int], frozenset[date]] = lambda year: frozenset()
    tz: ZoneInfo = BERLIN
    _holiday_years: dict[int, frozenset[date]] = field(default_factory=dict, repr=False)
    # Each day's intervals are computed once: a report asks for the same days thousands of
    # times.
    _days: dict[date, list[tuple[datetime, datetime]]] = field(default_factory=dict, repr=False)

    def is_holiday(self, day: date) -> bool:
        if day.year not in self._holiday_years:
            self._holiday_years[day.year] = frozenset(self.holidays(day.year))
        return day in self._holiday_years[day.year]

    def has_service(self) -> bool:
        return any(self.hours.get(day) for day in range(7))

    def intervals_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's service as absolute (UTC) intervals, in order."""
        if day not in self._days:
            self._days[day] = self._compute_intervals(day)
        return self._days[day]

    def _compute_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        if self.is_holiday(day):
            return []
        intervals = []
        for start, end in self.hours.get(day.weekday(), ()):
            begin = _absolute(day, start, self.tz)
            finish = _absolute(day, end, self.tz)
            if finish > begin:
                intervals.append((begin, finish))
        return intervals

    def _intervals_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        day = moment.astimezone(self.tz).date()
        for offset in range(_SEARCH_DAYS):
            yield from self.intervals_on(day + timedelta(days=offset))

    def add(self, moment: datetime, minutes: float) -> datetime | None:
        """The moment ``minutes`` of service after ``moment``; ``None`` when the calendar
        has no service at all (nor within a year)."""
        _require_aware(moment)
        remaining = timedelta(minutes=minutes)
        for begin, finish in self._intervals_from(moment):
            if finish <= moment:
                continue
            start = max(begin, moment)
            available = finish - start
            if remaining <= available:
                # A target of zero minutes outside the hours is due when service opens.
                return start + remaining
            remaining -= available
        return None

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Service minutes from ``start`` to ``end`` (0 when ``end`` is not later)."""
        _require_aware(start)
        _require_aware(end)
        if end <= start:
            return 0.0
        total = timedelta()
        first = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        day = first
        while day <= last:
            for begin, finish in self.intervals_on(day):
                overlap = min(finish, end) - max(begin, start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total.total_seconds() / 60


def _absolute(day: date, at: time, tz: ZoneInfo) -> datetime:
    # ``fold=0``: an ambiguous local time (the repeated hour in October) is its first
    # occurrence; a missing one (the skipped hour in March) maps forward, as a clock would.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("service time needs timezone-aware datetimes")
