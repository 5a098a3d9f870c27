"""The dashboard page (``/analytics/``): the filter, progress against the goals, KPI tiles,
and each table with its chart and summary; ``?export=<table key>&format=csv|xlsx``
downloads one table (``accounts/exports.py``: formulas neutralised, CSV for German Excel),
recorded in the audit log (``analytics.dashboard.exported``)."""

from __future__ import annotations

from django.http import Http404
from django.http import HttpResponseBase
from django.shortcuts import render
from django.views import View

from accounts.exports import csv_download
from accounts.exports import xlsx_download
from accounts.http import AuthenticatedHttpRequest
from accounts.views.base import PermissionMixin
from analytics.common.tables import FigureTable
from analytics.dashboard.forms import DashboardFilterForm
from analytics.dashboard.permissions import unit_ids_for_dashboard
from analytics.dashboard.permissions import user_may_see_dashboard
from analytics.dashboard.selectors import DEFAULT_PRESET
from analytics.dashboard.selectors import Period
from analytics.dashboard.selectors import dashboard_for
from analytics.dashboard.services import table_exported

EXPORT_FORMATS = ("csv", "xlsx")


def table_download(table: FigureTable, period: Period, file_format: str) -> HttpResponseBase:
    name = f"{table.key}-{period.start.isoformat()}-{period.end.isoformat()}"
    if file_format == "xlsx":
        return xlsx_download(f"{name}.xlsx", table.header, table.export_rows(), title=table.title)
    return csv_download(f"{name}.csv", table.header, table.export_rows())


class DashboardView(PermissionMixin, View):
    permission = staticmethod(user_may_see_dashboard)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        data = request.GET if "preset" in request.GET else {"preset": DEFAULT_PRESET}
        form = DashboardFilterForm(data, unit_ids=unit_ids_for_dashboard(request.user))
        if not form.is_valid():
            return render(request, "analytics/dashboard/index.html", {"form": form}, status=400)
        period = form.period()
        dashboard = dashboard_for(request.user, period=period, **form.selection())
        export = request.GET.get("export")
        if export is not None:
            table = dashboard.table(export)
            file_format = request.GET.get("format", "csv")
            if table is None or file_format not in EXPORT_FORMATS:
                raise Http404
            selection = form.cleaned_data
            table_exported(
                actor=request.user,
                dashboard=dashboard,
                table=table,
                file_format=file_format,
                channel_id=selection["channel"].pk if selection.get("channel") else None,
                topic_id=selection["topic"].pk if selection.get("topic") else None,
                request=request,
            )
            return table_download(table, period, file_format)
        query = request.GET.copy()
        query.pop("export", None)
        query.pop("format", None)
        if "preset" not in query:
            query["preset"] = DEFAULT_PRESET
        return render(
            request,
            "analytics/dashboard/index.html",
            {"form": form, "dashboard": dashboard, "query": query.urlencode()},
        )
