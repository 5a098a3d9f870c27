"""Evidence pages: the list, one record (with its hash check), downloads (PDF and JSON),
marking criminally relevant, recording a filed complaint and releasing the legal hold.
Records the user may not see answer 404; acts of a reader answer 403."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models.fields.json import KT
from django.db.models.functions import Left
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.input import parse_int
from accounts.views.base import PermissionMixin
from accounts.views.form_messages import report_form_errors
from accounts.views.outcomes import carry_out
from moderation.common.permissions import user_may_use_inbox
from moderation.evidence.forms import ComplaintFiledForm
from moderation.evidence.forms import MarkCriminalForm
from moderation.evidence.forms import ReleaseHoldForm
from moderation.evidence.permissions import user_may_handle_evidence
from moderation.evidence.selectors import evidence_hash_matches
from moderation.evidence.selectors import evidence_is_on_legal_hold
from moderation.evidence.selectors import evidence_records_for_user
from moderation.evidence.services import evidence_complaint_filed
from moderation.evidence.services import evidence_export
from moderation.evidence.services import evidence_mark_criminal
from moderation.evidence.services import evidence_release_legal_hold
from moderation.models import EvidenceRecord


def _record(request: AuthenticatedHttpRequest, pk: int) -> EvidenceRecord:
    return get_object_or_404(evidence_records_for_user(request.user), pk=pk)


def _handled_record(request: AuthenticatedHttpRequest, pk: int) -> EvidenceRecord:
    """A record the user handles: 404 when they cannot see it, 403 when they only read it."""
    record = _record(request, pk)
    if not user_may_handle_evidence(request.user, record):
        raise PermissionDenied
    return record


def _http(value: object) -> str:
    """Only web addresses become links: a ``javascript:`` URL from a platform payload must
    never be clickable."""
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else ""


def _links(content: dict[str, Any]) -> dict[str, str]:
    return {
        "item": _http(content.get("item", {}).get("url")),
        "profile": _http(content.get("author", {}).get("profile_url")),
        "post": _http(content.get("thread", {}).get("post", {}).get("url")),
    }


class EvidenceListView(PermissionMixin, View):
    permission = staticmethod(user_may_use_inbox)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        records = evidence_records_for_user(request.user)
        criminal = request.GET.get("criminal") == "1"
        if criminal:
            records = records.filter(criminal_relevant=True).order_by(
                "complaint_filed_at", "prosecution_deadline", "-id"
            )
        item = parse_int(request.GET.get("item", ""))
        if item is not None:
            records = records.filter(item_id=item)
        # The list shows an excerpt: the full content (up to megabytes each) stays unloaded.
        records = records.defer("content").annotate(
            excerpt=Left(KT("content__item__text"), 200),
            handle=KT("content__author__handle"),
        )
        page = Paginator(records, 25).get_page(request.GET.get("page"))
        query = "criminal=1" if criminal else ""
        return render(
            request,
            "moderation/evidence/list.html",
            {"page": page, "criminal": criminal, "query": query},
        )


class EvidenceDetailView(PermissionMixin, View):
    template_name = "moderation/evidence/detail.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        record = _record(request, pk)
        return render(
            request,
            self.template_name,
            {
                "record": record,
                "content": record.content,
                "links": _links(record.content),
                "content_json": json.dumps(
                    record.content, ensure_ascii=False, indent=2, sort_keys=True
                ),
                "hash_matches": evidence_hash_matches(record),
                "may_handle": user_may_handle_evidence(request.user, record),
                "criminal_form": MarkCriminalForm(),
                "complaint_form": ComplaintFiledForm(),
                "legal_hold": evidence_is_on_legal_hold(record, timezone.localdate()),
                "release_form": ReleaseHoldForm(),
                "actions": record.actions.select_related("rule__netiquette", "actor"),
            },
        )


class EvidenceExportView(PermissionMixin, View):
    """Download the PDF or the JSON evidence package (audited)."""

    def get(self, request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
        record = _handled_record(request, pk)
        export = evidence_export(actor=request.user, record=record, kind=kind, request=request)
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store"
        return response


class EvidenceMarkCriminalView(PermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        record = _handled_record(request, pk)
        form = MarkCriminalForm(request.POST)
        if not form.is_valid():
            report_form_errors(request, form)
            return redirect("evidence:detail", pk=record.pk)
        known_since = form.cleaned_data["known_since"]
        carry_out(
            request,
            lambda: evidence_mark_criminal(
                actor=request.user, record=record, known_since=known_since, request=request
            ),
            success=lambda marked: (
                _(
                    "Marked criminally relevant and handed to %(unit)s. The request to"
                    " prosecute is due by %(deadline)s."
                )
                % {
                    "unit": marked.criminal_unit.name if marked.criminal_unit else "",
                    "deadline": marked.prosecution_deadline,
                }
            ),
        )
        return redirect("evidence:detail", pk=record.pk)


class EvidenceComplaintFiledView(PermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        record = _handled_record(request, pk)
        form = ComplaintFiledForm(request.POST)
        reference = form.cleaned_data["reference"] if form.is_valid() else ""
        carry_out(
            request,
            lambda: evidence_complaint_filed(
                actor=request.user, record=record, reference=reference, request=request
            ),
            success=_("The complaint is recorded as filed."),
        )
        return redirect("evidence:detail", pk=record.pk)


class EvidenceReleaseHoldView(PermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        record = _handled_record(request, pk)
        form = ReleaseHoldForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        carry_out(
            request,
            lambda: evidence_release_legal_hold(
                actor=request.user, record=record, reason=reason, request=request
            ),
            success=lambda released: (
                _("The legal hold is released. The record is kept until %(date)s.")
                % {"date": date_format(released.retain_until, "DATE_FORMAT")}
            ),
        )
        return redirect("evidence:detail", pk=record.pk)
