# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""A whole authority's report stays short: a table of more than ``PDF_TABLE_ROWS`` rows
prints its largest rows, a line on how many more there are and the totals of all rows; the
month's daily table is printed whole (the full tables stay in the dashboard's downloads)."""

from __future__ import annotations

from datetime import date

from analytics.models import ChannelDailyFigure
from analytics.models import ReportRun
from analytics.reports.content import PDF_TABLE_ROWS
from analytics.reports.content import report_context
from tests.analytics.reports.conftest import MONTH
from tests.analytics.reports.conftest import month_of_figures
from tests.conftest import Org
from tests.conftest import People
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _parts(org: Org, people: People) -> dict[str, object]:
    run = ReportRun.objects.create(
        unit=org.city,
        month=MONTH.start,
        language="en",
        trigger="request",
        created_by=people.approver,
    )
    return {part.table.key: part for part in report_context(run)["tables"]}


def test_the_channels_table_prints_the_largest_reach_and_totals(org: Org, people: People) -> None:
    month_of_figures(org)  # the Presseamt's channel: 31,000 reach in October
    for number in range(PDF_TABLE_ROWS + 2):
        channel = ChannelFactory(unit=org.social, name=f"Kanal {number:02d}")
        ChannelDailyFigure.objects.create(
            channel=channel, day=date(2026, 10, 5), followers=10, reach=100 + number
        )

    channels = _parts(org, people)["channels"]

    total_rows = len(channels.table.rows)
    assert len(channels.rows) == PDF_TABLE_ROWS
    assert channels.left_out == total_rows - PDF_TABLE_ROWS
    assert channels.rows[0][4] == 31_000  # the largest reach first
    assert not any("Kanal 00" in str(row[0]) for row in channels.rows)  # the smallest left out
    reach = [column.key for column in channels.table.columns].index("reach")
    assert channels.totals[reach] == 31_000 + sum(100 + n for n in range(PDF_TABLE_ROWS + 2))


def test_the_daily_table_of_a_month_is_printed_whole(org: Org, people: People) -> None:
    month_of_figures(org)

    daily = _parts(org, people)["over_time"]

    assert len(daily.rows) == 31
    assert daily.left_out == 0
