"""What the monthly report's PDF shows: the unit's dashboard for the month (``dashboard_for_unit``,
the same figures the page shows), goals and their progress first with a sentence each, then
the KPI tiles, every table with its chart and summary, and what a reader must know (Insights
switched off, practice channels)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils import translation
from django.utils.formats import date_format
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from analytics.common.pdf import render_pdf
from analytics.common.tables import FigureTable
from analytics.common.tables import top_rows
from analytics.dashboard.selectors import Dashboard
from analytics.dashboard.selectors import GoalRow
from analytics.dashboard.selectors import dashboard_for_unit
from analytics.dashboard.selectors import month_period
from analytics.models import ReportRun

TEMPLATE = "analytics/reports/report_pdf.html"
# A printed table shows at most this many rows (WeasyPrint's time grows with the rows: a
# whole authority's 200 channels took most of 25 s); the rest is said in a line and the
# totals, and every row stays in the dashboard's CSV and XLSX downloads. A month's daily
# table (31 rows) is shown whole.
PDF_TABLE_ROWS = 20
PDF_TABLE_ROWS_OF = {"over_time": 31}
# The figure a shortened table keeps its largest rows by; the others keep their first rows.
PDF_RANK_BY = {
    "channels": "reach",
    "posting_times": "average_engagement",
    "topics": "engagement",
    "netiquette_actions": "current",
}
# The table with a row per day (its first cell an ISO date).
DAILY_TABLE = "over_time"


def _number(value: Any) -> str:
    places = 0 if value == int(value) else 1
    return number_format(round(value, places), places, force_grouping=True)


def goal_explanation(row: GoalRow) -> str:
    """One sentence on where a goal stands at the end of the month."""
    progress = row.progress
    values = {
        "actual": _number(progress.actual) if progress.actual is not None else "",
        "target": _number(progress.target) if progress.target is not None else "",
    }
    sentences = {
        "no_kpi": _("A goal in words: no figure is measured for it."),
        "not_started": _("The goal's period had not begun yet."),
        "no_data": _("No figure for it yet: the platforms did not provide one."),
        "on_track": _("On track: %(actual)s so far against a target of %(target)s."),
        "not_yet": _("Not reached yet: %(actual)s so far against a target of %(target)s."),
        "met": _("Reached: %(actual)s against a target of %(target)s."),
        "missed": _("Missed: %(actual)s against a target of %(target)s."),
    }
    return sentences.get(progress.state, "") % values


def report_dashboard(run: ReportRun) -> Dashboard:
    """The dashboard of the report's unit and every unit below it, whoever holds roles
    there (the scheduled report is built by nobody in particular)."""
    period = month_period(run.month.year, run.month.month)
    # Progress as it stood at the end of the month (or today, for the running month).
    today = min(period.end, timezone.localdate())
    return dashboard_for_unit(run.unit, period=period, today=today)


def _dates_in_words(dashboard: Dashboard) -> Dashboard:
    """The daily table's days in the report language's date format (German: 05.12.2026):
    the page, the API and the CSV keep ISO dates, a printed report is read by people."""

    def localised(table: FigureTable) -> FigureTable:
        if table.key != DAILY_TABLE:
            return table
        rows = tuple(
            (date_format(date.fromisoformat(row[0]), "SHORT_DATE_FORMAT"), *row[1:])
            for row in table.rows
        )
        return replace(table, rows=rows)

    return replace(dashboard, tables=tuple(localised(table) for table in dashboard.tables))


def report_context(run: ReportRun) -> dict[str, Any]:
    # The tables' titles and summaries are sentences made while adding up: in the report's
    # language, not the worker's.
    with translation.override(run.language):
        dashboard = _dates_in_words(report_dashboard(run))
        return {
            "run": run,
            "unit": run.unit,
            "month": date_format(run.month, "YEAR_MONTH_FORMAT"),
            "produced": date_format(timezone.localtime(), "DATETIME_FORMAT"),
            "dashboard": dashboard,
            "goals": [(row, goal_explanation(row)) for row in dashboard.goals],
            "tables": [
                top_rows(
                    table,
                    PDF_TABLE_ROWS_OF.get(table.key, PDF_TABLE_ROWS),
                    PDF_RANK_BY.get(table.key),
                )
                for table in dashboard.tables
            ],
        }


def report_pdf(run: ReportRun) -> bytes:
    return render_pdf(TEMPLATE, report_context(run), language=run.language)
