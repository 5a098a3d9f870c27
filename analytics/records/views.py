"""Records export pages: the exports of the user's units with their state and progress, the
request form, and the download. Approvers, system admins and auditors
(``analytics/records/permissions.py``)."""

from __future__ import annotations

from base64 import b64encode

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.views.base import PermissionMixin
from accounts.views.submissions import submit_form
from analytics.common.downloads import built_file_response
from analytics.models import RecordsExport
from analytics.records.forms import RecordsExportForm
from analytics.records.permissions import channels_for_records
from analytics.records.permissions import units_for_records
from analytics.records.permissions import user_may_use_records
from analytics.records.selectors import exports_for_user
from analytics.records.services import records_export_downloaded
from analytics.records.services import records_export_request

PAGE_SIZE = 25


def records_file_response(export: RecordsExport) -> FileResponse:
    """The ZIP as an attachment, for the page and the API alike."""
    response = built_file_response(
        export.file,
        ready=export.state == RecordsExport.State.READY,
        filename=f"records-export-{export.pk}.zip",
        content_type="application/zip",
    )
    # RFC 9530: the checksum an e-file system can verify on receipt, in base64.
    response["Repr-Digest"] = f"sha-256=:{b64encode(bytes.fromhex(export.sha256)).decode()}:"
    return response


def records_download(request: HttpRequest, user: User, export: RecordsExport) -> FileResponse:
    """The ZIP, audited as a download (page and API)."""
    response = records_file_response(export)
    records_export_downloaded(actor=user, export=export, request=request)
    return response


class RecordsBase(PermissionMixin, View):
    permission = staticmethod(user_may_use_records)


class RecordsIndexView(RecordsBase):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = Paginator(exports_for_user(request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "analytics/records/index.html", {"page": page})


class RecordsExportCreateView(RecordsBase):
    def _form(self, data: object = None) -> RecordsExportForm:
        return RecordsExportForm(
            data,
            units=units_for_records(self.request.user),
            channels=channels_for_records(self.request.user)
            .select_related("unit")
            .order_by("unit__path", "name"),
        )

    def _page(self, form: RecordsExportForm, status: int = 200) -> HttpResponse:
        return render(
            request=self.request,
            template_name="analytics/records/new.html",
            context={"form": form},
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return self._page(self._form())

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        export = submit_form(
            request,
            form,
            lambda data: records_export_request(
                actor=request.user,
                unit=data["unit"],
                channel=data["channel"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                request=request,
            ),
            success=_("The records export is being built. This page shows its progress."),
            refusals=(ValidationError, DomainError, PermissionDenied),
        )
        if export is not None:
            return redirect("records:index")
        return self._page(form, status=400)


class RecordsDownloadView(RecordsBase):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
        export = get_object_or_404(exports_for_user(request.user), pk=pk)
        return records_download(request, request.user, export)
