"""Report pages: the archive of the units' monthly reports, one report (its state while it
is built: the page says so and offers a refresh link, no script needed), its PDF, a report
built on request, and each unit's report settings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.models import OrgUnit
from accounts.models import User
from accounts.views.base import PermissionMixin
from accounts.views.submissions import submit_form
from analytics.common.downloads import built_file_response
from analytics.models import ReportRun
from analytics.reports.forms import ReportRequestForm
from analytics.reports.forms import ReportSettingsForm
from analytics.reports.mail import report_file_name
from analytics.reports.permissions import units_for_editing_reports
from analytics.reports.permissions import units_for_reading_reports
from analytics.reports.permissions import user_may_edit_reports
from analytics.reports.permissions import user_may_edit_reports_of
from analytics.reports.permissions import user_may_see_reports
from analytics.reports.selectors import Month
from analytics.reports.selectors import report_recipients_offered
from analytics.reports.selectors import report_runs_for_user
from analytics.reports.selectors import report_settings_for_units
from analytics.reports.selectors import report_settings_of
from analytics.reports.services import report_downloaded
from analytics.reports.services import report_request
from analytics.reports.services import report_settings_update

PAGE_SIZE = 25


class ReportBase(PermissionMixin, View):
    permission = staticmethod(user_may_see_reports)

    def run(self, pk: int) -> ReportRun:
        return get_object_or_404(report_runs_for_user(self.request.user), pk=pk)


def _request_form(request: AuthenticatedHttpRequest, data: Any = None) -> ReportRequestForm:
    last_month = Month.of(timezone.localdate()).previous()
    return ReportRequestForm(
        data, units=units_for_editing_reports(request.user), initial={"month": str(last_month)}
    )


class ReportIndexView(ReportBase):
    """The archive: every report of the user's units, newest month first."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = Paginator(report_runs_for_user(request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "analytics/reports/index.html",
            {"page": page, "may_build": user_may_edit_reports(request.user)},
        )


class ReportCreateView(ReportBase):
    permission = staticmethod(user_may_edit_reports)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, "analytics/reports/new.html", {"form": _request_form(request)})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = _request_form(request, request.POST)
        run = submit_form(
            request,
            form,
            lambda data: report_request(
                actor=request.user, unit=data["unit"], month=data["month"], request=request
            ),
            success=_("The report is being built."),
            refusals=(ValidationError, DomainError, PermissionDenied),
        )
        if run is not None:
            return redirect("reports:detail", pk=run.pk)
        return render(request, "analytics/reports/new.html", {"form": form}, status=400)


class ReportDetailView(ReportBase):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return render(request, "analytics/reports/detail.html", {"run": self.run(pk)})


def report_file_response(run: ReportRun) -> FileResponse:
    return built_file_response(
        run.file,
        ready=run.status == ReportRun.Status.READY,
        filename=report_file_name(run),
        content_type="application/pdf",
    )


def report_download(request: HttpRequest, user: User, run: ReportRun) -> FileResponse:
    """The PDF, audited as a download (page and API)."""
    response = report_file_response(run)
    report_downloaded(actor=user, run=run, request=request)
    return response


class ReportDownloadView(ReportBase):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        return report_download(request, request.user, self.run(pk))


class ReportSettingsListView(ReportBase):
    """Each unit the user reads with its report settings (O(page): two queries for the
    settings of the page's units)."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = Paginator(units_for_reading_reports(request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        found = report_settings_for_units([unit.pk for unit in page])
        editable = set(units_for_editing_reports(request.user).values_list("pk", flat=True))
        rows = [(unit, found.get(unit.pk), unit.pk in editable) for unit in page]
        return render(request, "analytics/reports/settings_list.html", {"page": page, "rows": rows})


class ReportSettingsEditView(ReportBase):
    def _unit(self, unit_id: int) -> OrgUnit:
        unit = get_object_or_404(units_for_reading_reports(self.request.user), pk=unit_id)
        if not user_may_edit_reports_of(self.request.user, unit.pk):
            raise PermissionDenied
        return unit

    def _form(self, unit: OrgUnit, data: Any = None) -> ReportSettingsForm:
        current = report_settings_of(unit)
        initial = {
            "enabled": current.enabled,
            "language": current.language,
            "recipients": list(current.recipients.all()) if current.pk else [],
            "extra_addresses": current.extra_addresses,
        }
        return ReportSettingsForm(data, initial=initial, recipients=report_recipients_offered(unit))

    def _page(self, unit: OrgUnit, form: ReportSettingsForm, status: int = 200) -> HttpResponse:
        return render(
            request=self.request,
            template_name="analytics/reports/settings_form.html",
            context={"form": form, "unit": unit},
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = self._unit(unit_id)
        return self._page(unit, self._form(unit))

    def post(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = self._unit(unit_id)
        form = self._form(unit, request.POST)
        report_settings = submit_form(
            request,
            form,
            lambda data: report_settings_update(
                actor=request.user,
                unit=unit,
                enabled=data["enabled"],
                language=data["language"],
                recipients=list(data["recipients"]),
                extra_addresses=data["extra_addresses"],
                request=request,
            ),
            success=_("The report settings have been saved."),
        )
        if report_settings is not None:
            return redirect("reports:settings")
        return self._page(unit, form, status=400)
