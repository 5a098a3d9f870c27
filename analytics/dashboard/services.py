"""Writes of the dashboard: it only reads figures, but a table taken away as a file is a
copy of them leaving the system, so each download is recorded in the audit log (like a
monthly report downloaded, ``analytics.reports.services.report_downloaded``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.audit import audit_log
from accounts.models import User
from analytics.common.tables import FigureTable
from analytics.dashboard.permissions import user_may_see_dashboard
from analytics.dashboard.selectors import Dashboard


def table_exported(
    *,
    actor: User,
    dashboard: Dashboard,
    table: FigureTable,
    file_format: str,
    channel_id: int | None = None,
    topic_id: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Who downloaded which table of the dashboard, for which period and which units (the
    top units of the scope, each with the units below it; the entry is filed under the unit
    when there is exactly one)."""
    if not user_may_see_dashboard(actor):
        raise PermissionDenied
    in_scope = {unit.pk for unit in dashboard.units}
    roots = [unit for unit in dashboard.units if unit.parent_id not in in_scope]
    audit_log(
        action="analytics.dashboard.exported",
        actor=actor,
        request=request,
        unit=roots[0] if len(roots) == 1 else None,
        data={
            "table": table.key,
            "format": file_format,
            "period_start": dashboard.period.start.isoformat(),
            "period_end": dashboard.period.end.isoformat(),
            "units": [unit.pk for unit in roots],
            "channel": channel_id,
            "topic": topic_id,
            "rows": len(table.rows),
        },
    )
