"""The Redaktionsplan as a grid of days (month, week, list) and its CSV export: layout only,
from entries the selectors read; no database, no request."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.exports import csv_download
from editorial.planning.selectors import CalendarEntry
from editorial.planning.selectors import Period
from editorial.planning.selectors import entries_by_day

# The week view shows at least these hours; earlier or later entries widen it.
WEEK_FIRST_HOUR = 7
WEEK_LAST_HOUR = 20


@dataclass
class DayCell:
    day: date
    entries: list[CalendarEntry]
    holidays: list[str]
    is_today: bool
    in_period: bool

    @property
    def is_weekend(self) -> bool:
        return self.day.weekday() >= 5


@dataclass
class WeekRow:
    label: str
    hour: int | None
    cells: list[DayCell] = field(default_factory=list)


def weekday_names() -> list[str]:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]


def _month_name(month: int) -> str:
    return [
        _("January"),
        _("February"),
        _("March"),
        _("April"),
        _("May"),
        _("June"),
        _("July"),
        _("August"),
        _("September"),
        _("October"),
        _("November"),
        _("December"),
    ][month - 1]


def period_title(period: Period) -> str:
    if period.view == "week":
        last = period.end - timedelta(days=1)
        return _("Week %(number)s: %(start)s to %(end)s") % {
            "number": period.start.isocalendar().week,
            "start": date_format(period.start, "SHORT_DATE_FORMAT"),
            "end": date_format(last, "SHORT_DATE_FORMAT"),
        }
    return f"{_month_name(period.anchor.month)} {period.anchor.year}"


def day_cells(
    period: Period,
    entries: list[CalendarEntry],
    holidays: dict[date, list[str]],
    today: date,
) -> list[DayCell]:
    """One cell per day of the period; in the month view, days of the neighbouring months
    that fill the first and last week are marked as outside the period."""
    grouped = entries_by_day(entries)
    in_month = period.view != "week"
    cells = []
    for offset in range((period.end - period.start).days):
        day = period.start + timedelta(days=offset)
        cells.append(
            DayCell(
                day=day,
                entries=grouped.get(day, []),
                holidays=holidays.get(day, []),
                is_today=day == today,
                in_period=not in_month or day.month == period.anchor.month,
            )
        )
    return cells


def week_rows(days: list[DayCell]) -> list[WeekRow]:
    """The week view's rows: one per hour (at least the office hours), and a first row for
    entries without a time when there are any."""
    timed = [e.at.hour for d in days for e in d.entries if e.at is not None]
    first = min([WEEK_FIRST_HOUR, *timed])
    last = max([WEEK_LAST_HOUR, *timed])
    untimed = WeekRow(_("No time yet"), None)
    rows = {hour: WeekRow(f"{hour:02d}:00", hour) for hour in range(first, last + 1)}
    for cell in days:
        by_hour: dict[int | None, list[CalendarEntry]] = {}
        for entry in cell.entries:
            by_hour.setdefault(entry.at.hour if entry.at else None, []).append(entry)
        untimed.cells.append(
            DayCell(cell.day, by_hour.get(None, []), cell.holidays, cell.is_today, True)
        )
        for hour, row in rows.items():
            row.cells.append(
                DayCell(cell.day, by_hour.get(hour, []), cell.holidays, cell.is_today, True)
            )
    result = list(rows.values())
    if any(c.entries for c in untimed.cells):
        result.insert(0, untimed)
    return result


CSV_HEADER = (
    "date",
    "time",
    "type",
    "id",
    "title",
    "status",
    "channels",
    "unit",
    "topic",
    "author",
    "url",
)


def csv_export(entries: list[CalendarEntry], period: Period) -> StreamingHttpResponse:
    def rows() -> Iterator[tuple[object, ...]]:
        for entry in entries:
            yield (
                entry.day.isoformat(),
                entry.at.strftime("%H:%M") if entry.at else "",
                entry.kind,
                entry.pk,
                entry.title,
                entry.status_label,
                ", ".join(tag.name for tag in entry.channels),
                entry.unit.name,
                entry.topic.name if entry.topic else "",
                str(entry.author) if entry.author else "",
                f"{settings.SITE_URL}{entry.url}" if entry.url else "",
            )

    name = f"redaktionsplan-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return csv_download(name, CSV_HEADER, rows())
