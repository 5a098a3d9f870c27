"""The service clock: minutes counted only in service hours, Europe/Berlin, no holidays."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time

import pytest

from editorial.planning.holidays import public_holidays
from moderation.service_levels.clock import BERLIN
from moderation.service_levels.clock import ServiceCalendar
from moderation.service_levels.clock import parse_service_hours
from moderation.service_levels.clock import range_problems

OFFICE = parse_service_hours({str(day): [["08:00", "16:00"]] for day in range(5)})


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def nrw() -> ServiceCalendar:
    return ServiceCalendar(
        hours=OFFICE, holidays=lambda year: frozenset(public_holidays("NW", year))
    )


def test_within_hours_adds_plainly() -> None:
    assert nrw().add(berlin(2026, 12, 1, 9, 0), 90) == berlin(2026, 12, 1, 10, 30)


def test_outside_hours_starts_counting_at_opening() -> None:
    assert nrw().add(berlin(2026, 12, 1, 20, 0), 30) == berlin(2026, 12, 2, 8, 30)


def test_before_opening_starts_counting_at_opening() -> None:
    assert nrw().add(berlin(2026, 12, 2, 6, 15), 60) == berlin(2026, 12, 2, 9, 0)


def test_across_a_weekend() -> None:
    # Friday 15:00 + 4 h: one hour on Friday, three on Monday.
    assert nrw().add(berlin(2026, 12, 4, 15, 0), 240) == berlin(2026, 12, 7, 11, 0)


def test_a_comment_on_saturday_is_due_on_monday() -> None:
    assert nrw().add(berlin(2026, 12, 5, 11, 0), 240) == berlin(2026, 12, 7, 12, 0)


def test_skips_fronleichnam_in_nrw() -> None:
    # Fronleichnam 2026 is Thursday 4 June, a holiday in North Rhine-Westphalia.
    assert nrw().add(berlin(2026, 6, 3, 15, 0), 120) == berlin(2026, 6, 5, 9, 0)


def test_fronleichnam_is_a_working_day_in_berlin() -> None:
    calendar = ServiceCalendar(
        hours=OFFICE, holidays=lambda year: frozenset(public_holidays("BE", year))
    )
    assert calendar.add(berlin(2026, 6, 3, 15, 0), 120) == berlin(2026, 6, 4, 9, 0)


def test_across_the_spring_dst_change() -> None:
    # Friday 27 March 2026 15:00 CET; clocks go forward on Sunday 29 March.
    due = nrw().add(berlin(2026, 3, 27, 15, 0), 120)
    assert due == berlin(2026, 3, 30, 9, 0)
    assert due is not None and due.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


def test_across_the_autumn_dst_change() -> None:
    due = nrw().add(berlin(2026, 10, 23, 15, 30), 60)
    assert due is not None and due.astimezone(UTC) == datetime(2026, 10, 26, 7, 30, tzinfo=UTC)


def test_range_over_the_skipped_hour_holds_the_real_time() -> None:
    # 01:00-05:00 on 29 March 2026 is three real hours: 02:00-03:00 does not exist.
    night = ServiceCalendar(hours={6: [(time(1), time(5))]})
    start = berlin(2026, 3, 29, 0, 0)
    assert night.minutes_between(start, berlin(2026, 3, 29, 6, 0)) == 180
    assert night.add(start, 120) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)


def test_range_over_the_repeated_hour_holds_the_real_time() -> None:
    night = ServiceCalendar(hours={6: [(time(1), time(5))]})
    assert night.minutes_between(berlin(2026, 10, 25, 0), berlin(2026, 10, 25, 6)) == 300


def test_several_ranges_a_day() -> None:
    split = ServiceCalendar(hours={1: [(time(8), time(12)), (time(13), time(17))]})
    assert split.add(berlin(2026, 12, 1, 11, 0), 120) == berlin(2026, 12, 1, 14, 0)


def test_minutes_between_counts_only_service_time() -> None:
    # Friday 15:00 to Monday 09:00: one hour on Friday, one on Monday.
    assert nrw().minutes_between(berlin(2026, 12, 4, 15, 0), berlin(2026, 12, 7, 9, 0)) == 120


def test_minutes_between_skips_holidays() -> None:
    assert nrw().minutes_between(berlin(2026, 6, 3, 15, 0), berlin(2026, 6, 5, 9, 0)) == 120


def test_minutes_between_outside_hours_is_zero() -> None:
    assert nrw().minutes_between(berlin(2026, 12, 5, 9, 0), berlin(2026, 12, 6, 18, 0)) == 0


def test_minutes_between_reversed_is_zero() -> None:
    assert nrw().minutes_between(berlin(2026, 12, 2, 9), berlin(2026, 12, 1, 9)) == 0


def test_add_and_minutes_between_agree() -> None:
    calendar = nrw()
    start = berlin(2026, 12, 18, 14, 20)  # into the Christmas holidays
    due = calendar.add(start, 600)
    assert due is not None and calendar.minutes_between(start, due) == 600


def test_no_service_hours_means_no_deadline() -> None:
    assert ServiceCalendar(hours={}).add(berlin(2026, 12, 1, 9), 30) is None


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        nrw().add(datetime(2026, 12, 1, 9, 0), 30)  # noqa: DTZ001


def test_holidays_are_asked_once_per_year() -> None:
    asked: list[int] = []

    def holidays(year: int) -> frozenset[date]:
        asked.append(year)
        return frozenset()

    calendar = ServiceCalendar(hours=OFFICE, holidays=holidays)
    for day in range(1, 20):
        calendar.add(berlin(2026, 11, day, 9), 60)
    assert asked == [2026]


@pytest.mark.parametrize(
    ("ranges", "problems"),
    [
        ([(time(8), time(12)), (time(13), time(17))], []),
        ([(time(12), time(8))], ["order"]),
        ([(time(8), time(12)), (time(11), time(14))], ["overlap"]),
        ([(time(8), time(8))], ["order"]),
    ],
)
def test_range_problems(ranges: list[tuple[time, time]], problems: list[str]) -> None:
    assert range_problems(ranges) == problems
