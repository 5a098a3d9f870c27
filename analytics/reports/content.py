"""What the monthly report's PDF shows: the unit's dashboard for the month (``dashboard_for``,
the same figures the page shows), goals and their progress first with a sentence each, then
the KPI tiles, every table with its chart and summary, and what a reader must know (Insights
switched off, practice channels)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.common.pdf import render_pdf
from analytics.dashboard.selectors import Dashboard, GoalRow, dashboard_for, month_period
from analytics.models import ReportRun, ReportSettings
from analytics.reports.permissions import unit_ids_for_reading_reports
from analytics.reports.selectors import report_recipients_offered

TEMPLATE = "analytics/reports/report_pdf.html"


def _reads(user: User | None, unit_id: int) -> bool:
    return user is not None and user.is_active and unit_id in unit_ids_for_reading_reports(user)


def report_reader(run: ReportRun) -> User | None:
    """Whose reading of the figures the report is: who asked for it, else who set up the
    schedule, else anyone who reads the whole unit. Everyone with a role in the unit or above
    reads all of it, so the report is the same whoever it is built as."""
    settings = ReportSettings.objects.filter(unit_id=run.unit_id).first()
    for candidate in (run.created_by, settings.updated_by if settings else None):
        if _reads(candidate, run.unit_id):
            return candidate
    return report_recipients_offered(run.unit).first()


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


def report_dashboard(run: ReportRun) -> Dashboard | None:
    reader = report_reader(run)
    if reader is None:
        return None
    period = month_period(run.month.year, run.month.month)
    # Progress as it stood at the end of the month (or today, for the running month).
    today = min(period.end, timezone.localdate())
    return dashboard_for(reader, period=period, unit_ids=[run.unit_id], today=today)


def report_context(run: ReportRun) -> dict[str, Any]:
    # The tables' titles and summaries are sentences made while adding up: in the report's
    # language, not the worker's.
    with translation.override(run.language):
        dashboard = report_dashboard(run)
        return {
            "run": run,
            "unit": run.unit,
            "month": date_format(run.month, "YEAR_MONTH_FORMAT"),
            "produced": date_format(timezone.localtime(), "DATETIME_FORMAT"),
            "dashboard": dashboard,
            "goals": [(row, goal_explanation(row)) for row in dashboard.goals] if dashboard else [],
        }


def report_pdf(run: ReportRun) -> bytes:
    return render_pdf(TEMPLATE, report_context(run), language=run.language)
