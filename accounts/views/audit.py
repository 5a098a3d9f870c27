from __future__ import annotations

import json
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View

from accounts.audit import SITE_TIME_ZONE
from accounts.audit import audit_action_label
from accounts.audit import audit_changes
from accounts.audit import audit_changes_text
from accounts.exports import csv_download
from accounts.exports import xlsx_download
from accounts.forms import AuditFilterForm
from accounts.guidance.services import audit_log_exported
from accounts.guidance.services import audit_log_first_read
from accounts.http import AuthenticatedHttpRequest
from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import User
from accounts.practice.selectors import practice_unit_in_force
from accounts.selectors import AUDIT_VIEW_ROLES
from accounts.selectors import audit_entries_for_user
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import units_visible_to
from accounts.selectors import user_home_unit
from accounts.selectors import user_may_view_audit
from accounts.views.base import PermissionMixin
from accounts.views.paging import query_without_page


class AuditLogView(PermissionMixin, View):
    permission = user_may_view_audit

    def _entries(
        self, request: AuthenticatedHttpRequest
    ) -> tuple[AuditFilterForm, QuerySet[AuditEntry], OrgUnit | None]:
        user = request.user
        units = units_visible_to(user).filter(id__in=unit_ids_for_roles(user, AUDIT_VIEW_ROLES))
        actors = User.objects.filter(role_assignments__unit__in=units).distinct()
        form = AuditFilterForm(request.GET or None, units=units, actors=actors)
        filters: dict[str, Any] = {}
        unit = None
        if form.is_valid():
            data = form.cleaned_data
            unit = data["unit"]
            tz = timezone.get_current_timezone()
            filters = {
                "actor_id": data["actor"].pk if data["actor"] else None,
                "action": data["action"].strip(),
                "unit_id": data["unit"].pk if data["unit"] else None,
                "target_type": data["target_type"].strip().lower(),
                "target_id": data["target_id"].strip(),
                "since": datetime.combine(data["since"], time.min, tz) if data["since"] else None,
                "until": datetime.combine(data["until"] + timedelta(days=1), time.min, tz)
                if data["until"]
                else None,
            }
        return form, audit_entries_for_user(user, **filters), unit

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        form, entries, unit = self._entries(request)
        export = request.GET.get("format")
        if export in EXPORTS:
            audit_log_exported(
                actor=request.user,
                export=export,
                unit=unit or practice_unit_in_force(request.user) or user_home_unit(request.user),
                request=request,
            )
            return _export(entries, export)
        audit_log_first_read(actor=request.user, request=request)
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "audit/list.html",
            {
                "form": form,
                "page": page,
                "rows": [
                    (entry, audit_action_label(entry.action), audit_changes(entry))
                    for entry in page
                ],
                "query": query_without_page(request),
            },
        )


EXPORTS = ("csv", "xlsx")
# Column names stay the same in every language: scripts that check the hash chain read them.
EXPORT_HEADER = [
    "sequence",
    "time",
    "actor",
    "token",
    "action",
    "description",
    "object_type",
    "object_id",
    "object",
    "unit",
    "ip",
    "changes",
    "data",
    "previous_hash",
    "entry_hash",
    # Which HMAC key the hash was made with: a script checking the chain needs it.
    "key_id",
]


def _export_row(entry: AuditEntry) -> list[Any]:
    return [
        entry.sequence,
        # Europe/Berlin with its offset: readable, and still the exact instant.
        timezone.localtime(entry.created_at, SITE_TIME_ZONE).isoformat(sep=" "),
        entry.actor_label,
        entry.actor_token.prefix if entry.actor_token else "",
        entry.action,
        audit_action_label(entry.action),
        f"{entry.target_type.app_label}.{entry.target_type.model}" if entry.target_type else "",
        entry.target_id,
        entry.target_repr,
        entry.unit.name if entry.unit else "",
        entry.ip_address,
        audit_changes_text(audit_changes(entry)),
        json.dumps(entry.data, ensure_ascii=False, sort_keys=True),
        entry.previous_hash,
        entry.entry_hash,
        entry.key_id,
    ]


def _export(entries: QuerySet[AuditEntry], export: str) -> HttpResponseBase:
    rows = (_export_row(entry) for entry in entries.iterator(chunk_size=1000))
    name = f"audit-{timezone.localtime(timezone=SITE_TIME_ZONE):%Y%m%d-%H%M}"
    if export == "xlsx":
        return xlsx_download(f"{name}.xlsx", EXPORT_HEADER, rows, title=gettext("Audit log"))
    return csv_download(f"{name}.csv", EXPORT_HEADER, rows)
