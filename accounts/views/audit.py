from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from accounts.audit import audit_action_label
from accounts.exports import csv_download
from accounts.forms import AuditFilterForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import AuditEntry, User
from accounts.selectors import (
    AUDIT_VIEW_ROLES,
    audit_entries_for_user,
    unit_ids_for_roles,
    units_visible_to,
    user_may_view_audit,
)
from accounts.views.base import PermissionMixin


class AuditLogView(PermissionMixin, View):
    permission = user_may_view_audit

    def _entries(
        self, request: AuthenticatedHttpRequest
    ) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
        user = request.user
        units = units_visible_to(user).filter(id__in=unit_ids_for_roles(user, AUDIT_VIEW_ROLES))
        actors = User.objects.filter(role_assignments__unit__in=units).distinct()
        form = AuditFilterForm(request.GET or None, units=units, actors=actors)
        filters: dict[str, Any] = {}
        if form.is_valid():
            data = form.cleaned_data
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
        return form, audit_entries_for_user(user, **filters)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form, entries = self._entries(request)
        if request.GET.get("format") == "csv":
            return self._csv(entries)
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "audit/list.html",
            {
                "form": form,
                "page": page,
                "rows": [(entry, audit_action_label(entry.action)) for entry in page],
                "query": query.urlencode(),
            },
        )

    def _csv(self, entries: QuerySet[AuditEntry]) -> StreamingHttpResponse:
        header = [
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
            "data",
            "entry_hash",
        ]
        rows = (
            (
                entry.sequence,
                timezone.localtime(entry.created_at).isoformat(),
                entry.actor_label,
                entry.actor_token.prefix if entry.actor_token else "",
                entry.action,
                audit_action_label(entry.action),
                f"{entry.target_type.app_label}.{entry.target_type.model}"
                if entry.target_type
                else "",
                entry.target_id,
                entry.target_repr,
                entry.unit.name if entry.unit else "",
                entry.ip_address,
                json.dumps(entry.data, ensure_ascii=False, sort_keys=True),
                entry.entry_hash,
            )
            for entry in entries.iterator(chunk_size=1000)
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return csv_download(f"audit-{stamp}.csv", header, rows)
