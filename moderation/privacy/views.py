"""Pages of data protection: retention settings per unit, data-subject requests (find a
person's data, export it, erase it)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.models import OrgUnit
from accounts.models import User
from accounts.selectors import units_visible_to
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.form_messages import report_form_errors
from accounts.views.outcomes import carry_out
from moderation.common.selectors import settings_for_units
from moderation.common.settings_page import render_unit_settings
from moderation.models import Author
from moderation.models import DataSubjectRequest
from moderation.privacy.forms import AuthorSearchForm
from moderation.privacy.forms import EraseConfirmForm
from moderation.privacy.forms import PrivacySettingsForm
from moderation.privacy.forms import RequestCreateForm
from moderation.privacy.permissions import channels_for_requests
from moderation.privacy.permissions import request_for_user
from moderation.privacy.permissions import unit_ids_for_seeing_requests
from moderation.privacy.permissions import units_for_privacy_settings
from moderation.privacy.permissions import units_for_requests
from moderation.privacy.permissions import user_may_handle_request
from moderation.privacy.permissions import user_may_use_privacy
from moderation.privacy.selectors import authors_matching
from moderation.privacy.selectors import authors_of_request
from moderation.privacy.selectors import evidence_counts
from moderation.privacy.selectors import requests_for_units
from moderation.privacy.selectors import retention_last_erasure
from moderation.privacy.selectors import retention_last_run
from moderation.privacy.services import data_subject_erase
from moderation.privacy.services import data_subject_export_record
from moderation.privacy.services import data_subject_request_create
from moderation.service_levels.services import PRIVACY_FIELDS
from moderation.service_levels.services import moderation_settings_update


class OverviewView(PermissionMixin, View):
    permission = staticmethod(user_may_use_privacy)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        units = list(OrgUnit.objects.filter(pk__in=unit_ids_for_seeing_requests(user)))
        settings = settings_for_units(units)
        governed = set(units_for_privacy_settings(user).values_list("pk", flat=True))
        return render(
            request,
            "moderation/privacy/overview.html",
            {
                "rows": [(unit, settings[unit.pk], unit.pk in governed) for unit in units],
                "last_run": retention_last_run(),
                "last_erasure": retention_last_erasure(),
                "may_handle_requests": units_for_requests(user).exists(),
            },
        )


class UnitSettingsView(PermissionMixin, View):
    """Retention periods, the criminal unit and the per-employee figures switch of one
    unit: system admins change them, others who see the unit read them."""

    template_name = "moderation/privacy/unit.html"

    def _unit(self, request: AuthenticatedHttpRequest, unit_id: int) -> tuple[OrgUnit, bool]:
        user = request.user
        unit = OrgUnit.objects.filter(pk=unit_id, pk__in=unit_ids_for_seeing_requests(user)).first()
        if unit is None:
            raise Http404
        return unit, units_for_privacy_settings(user).filter(pk=unit.pk).exists()

    def _render(
        self,
        request: AuthenticatedHttpRequest,
        unit: OrgUnit,
        may_edit: bool,
        form: PrivacySettingsForm | None = None,
    ) -> HttpResponse:
        settings = settings_for_units([unit])[unit.pk]
        form = form or PrivacySettingsForm(settings=settings, units=units_visible_to(request.user))
        return render_unit_settings(
            request,
            self.template_name,
            unit=unit,
            settings=settings,
            form=form,
            may_edit=may_edit,
            fields=PRIVACY_FIELDS,
        )

    def get(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit, may_edit = self._unit(request, unit_id)
        return self._render(request, unit, may_edit)

    def post(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit, may_edit = self._unit(request, unit_id)
        if not may_edit:
            raise PermissionDenied
        settings = settings_for_units([unit])[unit.pk]
        form = PrivacySettingsForm(
            request.POST, settings=settings, units=units_visible_to(request.user)
        )
        if form.is_valid():
            moderation_settings_update(
                actor=request.user,
                unit=unit,
                values=dict(form.cleaned_data),
                action="moderation.privacy.settings_updated",
                request=request,
            )
            messages.success(request, _("The data protection settings were saved."))
            return redirect("privacy:unit", unit_id=unit.pk)
        return self._render(request, unit, may_edit, form)


class RequestListView(PermissionMixin, View):
    permission = staticmethod(user_may_use_privacy)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        requests = requests_for_units(unit_ids_for_seeing_requests(request.user))
        page = Paginator(requests, 25).get_page(request.GET.get("page"))
        return render(
            request,
            "moderation/privacy/requests.html",
            {"page": page, "may_create": units_for_requests(request.user).exists()},
        )


def _may_create(user: User) -> bool:
    return units_for_requests(user).exists()


class RequestCreateView(PermissionMixin, View):
    """Find a person's accounts on the unit's channels, choose them, record the request."""

    permission = staticmethod(_may_create)
    template_name = "moderation/privacy/request_new.html"

    def _context(self, request: AuthenticatedHttpRequest, data: Any) -> dict[str, Any]:
        units = units_for_requests(request.user)
        search = AuthorSearchForm(data if "q" in data else None, units=units)
        context: dict[str, Any] = {"search": search, "form": None, "authors": []}
        if search.is_bound and search.is_valid():
            unit = search.cleaned_data["unit"]
            channels = channels_for_requests(request.user, unit)
            authors = list(
                authors_matching(query=search.cleaned_data["q"], channels=channels)[:100]
            )
            evidence = evidence_counts(authors)
            context["authors"] = [(author, evidence[author.pk]) for author in authors]
            context["form"] = RequestCreateForm(
                data if request.method == "POST" else None,
                units=units,
                authors=Author.objects.filter(pk__in=[a.pk for a in authors]),
                initial={
                    "unit": unit,
                    "kind": DataSubjectRequest.Kind.ACCESS,
                    "received_on": timezone.localdate(),
                },
            )
        return context

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        context = self._context(request, request.GET)
        status = 400 if context["search"].is_bound and context["search"].errors else 200
        return render(request, self.template_name, context, status=status)

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        context = self._context(request, request.POST)
        form = context["form"]
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                subject_request = data_subject_request_create(
                    actor=request.user,
                    unit=data["unit"],
                    kind=data["kind"],
                    authors=data["authors"],
                    reference=data["reference"],
                    received_on=data["received_on"],
                    request=request,
                )
            except ValidationError as error:
                report_errors(request, error, form)
            else:
                return redirect("privacy:request", pk=subject_request.pk)
        return render(request, self.template_name, context, status=400)


class RequestDetailView(PermissionMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        subject_request = request_for_user(request.user, pk)
        authors = list(authors_of_request(subject_request).select_related("channel"))
        evidence = evidence_counts(authors)
        return render(
            request,
            "moderation/privacy/request.html",
            {
                "subject_request": subject_request,
                "authors": [(author, evidence[author.pk]) for author in authors],
                "may_handle": user_may_handle_request(request.user, subject_request),
                "erase_form": EraseConfirmForm(),
            },
        )


def _handled(request: AuthenticatedHttpRequest, pk: int) -> DataSubjectRequest:
    subject_request = request_for_user(request.user, pk)
    if not user_may_handle_request(request.user, subject_request):
        raise PermissionDenied
    return subject_request


class RequestExportView(PermissionMixin, View):
    """The JSON download of everything stored about the request's authors (POST: every
    export is audited)."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        subject_request = _handled(request, pk)
        export = data_subject_export_record(
            actor=request.user, subject_request=subject_request, request=request
        )
        response = HttpResponse(
            json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="data-subject-request-{subject_request.pk}.json"'
        )
        return response


class RequestEraseView(PermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        subject_request = _handled(request, pk)
        form = EraseConfirmForm(request.POST)
        if not form.is_valid():
            report_form_errors(request, form)
            return redirect("privacy:request", pk=subject_request.pk)
        carry_out(
            request,
            lambda: data_subject_erase(
                actor=request.user, subject_request=subject_request, request=request
            ),
            success=_("The person's data was erased. See the summary below."),
            refusals=(DomainError,),
        )
        return redirect("privacy:request", pk=subject_request.pk)
