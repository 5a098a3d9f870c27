"""Shared builders of the report tests: a month of the Presseamt's channel figures and a
goal measured by them."""

from __future__ import annotations

import io
from datetime import date
from datetime import timedelta
from decimal import Decimal

from pypdf import PdfReader

from analytics.models import ChannelDailyFigure
from analytics.models import Goal
from analytics.models import GoalMetric
from analytics.models import ReportRun
from analytics.reports.selectors import Month
from tests.conftest import Org

MONTH = Month(2026, 10)
GOAL_TITLE = "Mehr Menschen auf Mastodon erreichen"


def month_of_figures(org: Org, month: Month = MONTH) -> None:
    """Followers from 10,000 rising by 100 a day; reach 1,000 a day (31,000 in October)."""
    day = month.start
    count = 0
    while day <= month.end:
        ChannelDailyFigure.objects.create(
            channel=org.press_channel, day=day, followers=10_000 + 100 * count, reach=1_000
        )
        day += timedelta(days=1)
        count += 1


def reach_goal(org: Org) -> Goal:
    return Goal.objects.create(
        unit=org.press,
        title=GOAL_TITLE,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 12, 31),
        metric=GoalMetric.REACH,
        target_value=Decimal(50_000),
    )


def pdf_text(run: ReportRun) -> str:
    with run.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # Words of a table cell may wrap onto two lines.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
