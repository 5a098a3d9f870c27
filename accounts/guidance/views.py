"""Pages of guidance: the role guides, one's checklist, the training records (and their
download, the proof of instruction)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View

from accounts.audit import SITE_TIME_ZONE
from accounts.exports import csv_download
from accounts.exports import xlsx_download
from accounts.guidance.forms import TrainingFilterForm
from accounts.guidance.guides import GUIDES
from accounts.guidance.guides import INDEX
from accounts.guidance.guides import ROLE_GUIDES
from accounts.guidance.guides import guide_render
from accounts.guidance.guides import role_guide
from accounts.guidance.permissions import user_may_view_training_of
from accounts.guidance.permissions import user_may_view_training_records
from accounts.guidance.selectors import TRAINING_VIEW_ROLES
from accounts.guidance.selectors import Checklist
from accounts.guidance.selectors import checklist_for
from accounts.guidance.selectors import training_record_of
from accounts.guidance.selectors import training_records
from accounts.guidance.selectors import training_rows
from accounts.guidance.services import training_record_exported
from accounts.http import AuthenticatedHttpRequest
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_roles
from accounts.views.base import PermissionMixin


def _guides() -> list[tuple[str, str]]:
    labels = dict(Role.choices)
    return [(name, str(labels[role])) for role, name in ROLE_GUIDES.items()]


def _guide_page(request: AuthenticatedHttpRequest, name: str) -> HttpResponseBase:
    """A guide with the list of all guides beside it and the reader's own one marked."""
    title, body = guide_render(name)
    return render(
        request,
        "accounts/guidance/guide.html",
        {
            "title": title,
            "body": body,
            "guides": _guides(),
            "current": name,
            "own_guide": role_guide(user_roles(request.user)),
        },
    )


class GuideIndexView(PermissionMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        return _guide_page(request, INDEX)


class GuideView(PermissionMixin, View):
    def get(self, request: AuthenticatedHttpRequest, name: str) -> HttpResponseBase:
        if name not in GUIDES:
            raise Http404
        return _guide_page(request, name)


class ChecklistView(PermissionMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        return render(
            request, "accounts/guidance/checklist.html", {"checklist": checklist_for(request.user)}
        )


EXPORTS = ("csv", "xlsx")
# Column names stay the same in every language: scripts read them.
EXPORT_HEADER = ["person", "email", "role", "item", "task", "completed_at"]


def _export_rows(records: list[Checklist]) -> list[list[Any]]:
    return [
        [
            str(person),
            person.email,
            entry.item.role,
            entry.item.key,
            str(entry.item.label),
            timezone.localtime(entry.completed_at, SITE_TIME_ZONE).isoformat(sep=" ")
            if entry.completed_at
            else "",
        ]
        for person, entry in training_rows(records)
    ]


class TrainingRecordListView(PermissionMixin, View):
    permission = user_may_view_training_records

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        user = request.user
        units = OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, TRAINING_VIEW_ROLES))
        form = TrainingFilterForm(request.GET or None, units=units)
        unit = form.cleaned_data["unit"] if form.is_valid() else None
        records = training_records(user, unit_id=unit.pk if unit else None)
        export = request.GET.get("format")
        if export in EXPORTS:
            training_record_exported(
                actor=user, export=export, people=len(records), unit=unit, request=request
            )
            rows = _export_rows(records)
            name = f"training-record-{timezone.localtime(timezone=SITE_TIME_ZONE):%Y%m%d-%H%M}"
            if export == "xlsx":
                return xlsx_download(
                    f"{name}.xlsx", EXPORT_HEADER, rows, title=gettext("Training record")
                )
            return csv_download(f"{name}.csv", EXPORT_HEADER, rows)
        query = request.GET.copy()
        query.pop("format", None)
        return render(
            request,
            "accounts/guidance/records.html",
            {"form": form, "records": records, "query": query.urlencode()},
        )


class TrainingRecordDetailView(PermissionMixin, View):
    permission = user_may_view_training_records

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        person = get_object_or_404(User, pk=pk)
        if not user_may_view_training_of(request.user, person):
            raise Http404
        return render(
            request,
            "accounts/guidance/record.html",
            {"checklist": training_record_of(person), "person": person},
        )
