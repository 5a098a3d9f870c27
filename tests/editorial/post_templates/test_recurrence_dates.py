"""The dates of a recurring post (editorial/post_templates/recurrence.py
recurrence_occurrences): Berlin wall-clock time across DST, month ends, count and until."""

from __future__ import annotations

from datetime import UTC
from datetime import date

from editorial.common.timeutil import BERLIN
from editorial.models import Recurrence
from editorial.post_templates.recurrence import recurrence_occurrences
from tests.editorial.post_templates.conftest import berlin

WEEKLY = Recurrence(frequency=Recurrence.Frequency.WEEKLY, interval=1)


def test_weekly_stays_at_nine_local_time_across_the_spring_change() -> None:
    spring = recurrence_occurrences(WEEKLY, berlin(2026, 3, 19, 9), 3)
    assert [m.astimezone(BERLIN).strftime("%d.%m. %H:%M") for m in spring] == [
        "19.03. 09:00",
        "26.03. 09:00",
        "02.04. 09:00",
    ]
    assert [m.astimezone(UTC).hour for m in spring] == [8, 8, 7]


def test_weekly_stays_at_nine_local_time_across_the_autumn_change() -> None:
    autumn = recurrence_occurrences(WEEKLY, berlin(2026, 10, 22, 9), 2)
    assert [m.astimezone(UTC).hour for m in autumn] == [7, 8]
    assert [m.astimezone(BERLIN).hour for m in autumn] == [9, 9]


def test_monthly_on_the_31st_takes_the_last_day_of_shorter_months() -> None:
    monthly = Recurrence(frequency=Recurrence.Frequency.MONTHLY, interval=1)
    days = [m.date() for m in recurrence_occurrences(monthly, berlin(2027, 12, 31, 10), 6)]
    assert days == [
        date(2027, 12, 31),
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 30),
        date(2028, 5, 31),
    ]


def test_every_second_month_on_the_31st_keeps_the_31st_where_there_is_one() -> None:
    every_second = Recurrence(frequency=Recurrence.Frequency.MONTHLY, interval=2)
    days = [m.date() for m in recurrence_occurrences(every_second, berlin(2026, 8, 31, 10), 3)]
    assert days == [date(2026, 8, 31), date(2026, 10, 31), date(2026, 12, 31)]


def test_a_time_in_the_spring_gap_moves_an_hour_later() -> None:
    daily = Recurrence(frequency=Recurrence.Frequency.DAILY, interval=1)
    moments = recurrence_occurrences(daily, berlin(2026, 3, 28, 2, 30), 3)
    assert [m.astimezone(BERLIN).strftime("%d. %H:%M") for m in moments] == [
        "28. 02:30",
        "29. 03:30",
        "30. 02:30",
    ]


def test_count_ends_the_series() -> None:
    by_count = Recurrence(frequency=Recurrence.Frequency.DAILY, interval=2, count=3)
    assert [m.day for m in recurrence_occurrences(by_count, berlin(2026, 3, 2, 9), 10)] == [
        2,
        4,
        6,
    ]


def test_until_ends_the_series_on_that_day() -> None:
    by_date = Recurrence(frequency=Recurrence.Frequency.WEEKLY, interval=1, until=date(2026, 3, 16))
    assert [m.day for m in recurrence_occurrences(by_date, berlin(2026, 3, 2, 9), 10)] == [
        2,
        9,
        16,
    ]
