"""Netiquette pages: the management pages (community managers edit and publish, auditors
read) and the public page every channel links to (no login)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.models import OrgUnit
from accounts.views.base import PermissionMixin
from accounts.views.outcomes import carry_out
from accounts.views.submissions import submit_form
from moderation.common.permissions import units_for_reading
from moderation.common.permissions import user_may_use_inbox
from moderation.netiquette.forms import NetiquetteDraftForm
from moderation.netiquette.forms import RuleFormSet
from moderation.netiquette.forms import draft_initial
from moderation.netiquette.permissions import user_may_edit_netiquette
from moderation.netiquette.selectors import netiquette_current_for
from moderation.netiquette.selectors import netiquette_draft_for
from moderation.netiquette.selectors import netiquette_overview_for
from moderation.netiquette.selectors import netiquette_starter
from moderation.netiquette.selectors import netiquette_starter_comparison
from moderation.netiquette.selectors import netiquette_version
from moderation.netiquette.selectors import netiquette_versions
from moderation.netiquette.selectors import netiquettes_for_user
from moderation.netiquette.selectors import public_netiquette_path
from moderation.netiquette.services import netiquette_adopt_starter
from moderation.netiquette.services import netiquette_draft_save
from moderation.netiquette.services import netiquette_publish


def _unit(request: AuthenticatedHttpRequest, unit_id: int) -> OrgUnit:
    return get_object_or_404(units_for_reading(request.user), pk=unit_id)


class NetiquetteIndexView(PermissionMixin, View):
    """Every unit the user reads, with the Netiquette that applies to it (own or inherited)."""

    permission = staticmethod(user_may_use_inbox)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        rows = [
            {
                **vars(row),
                "public_url": request.build_absolute_uri(public_netiquette_path(row.unit.pk)),
            }
            for row in netiquette_overview_for(request.user)
        ]
        return render(request, "moderation/netiquette/index.html", {"rows": rows})


class NetiquetteUnitView(PermissionMixin, View):
    """One unit: the address to link, the versions, the draft."""

    def get(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = _unit(request, unit_id)
        current = netiquette_current_for(unit)
        return render(
            request,
            "moderation/netiquette/unit.html",
            {
                "unit": unit,
                "current": current,
                "inherited": current is not None and current.unit_id != unit.pk,
                "versions": netiquette_versions(unit).select_related("published_by"),
                "draft": netiquette_draft_for(unit),
                "may_edit": user_may_edit_netiquette(request.user, unit),
                "public_url": request.build_absolute_uri(public_netiquette_path(unit.pk)),
            },
        )


class NetiquetteStarterView(PermissionMixin, View):
    """The starter library's Netiquette next to the unit's own (by rule number); adopting it
    starts the unit's draft, only if the unit has no Netiquette of its own."""

    def get(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = _unit(request, unit_id)
        own, rows = netiquette_starter_comparison(unit)
        return render(
            request,
            "moderation/netiquette/starter.html",
            {
                "unit": unit,
                "own": own,
                "rows": rows,
                "starter": netiquette_starter(),
                "may_edit": user_may_edit_netiquette(request.user, unit),
            },
        )

    def post(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = _unit(request, unit_id)
        if not carry_out(
            request,
            lambda: netiquette_adopt_starter(actor=request.user, unit=unit, request=request),
            success=_("The draft starts from the library's Netiquette. Adapt it, then publish it."),
        ):
            return redirect("netiquette:starter", unit_id=unit.pk)
        return redirect("netiquette:draft", unit_id=unit.pk)


class NetiquetteDraftView(PermissionMixin, View):
    """Edit the unit's draft; the first edit starts from the version that applies now."""

    template_name = "moderation/netiquette/draft.html"

    def _checked_unit(self, request: AuthenticatedHttpRequest, unit_id: int) -> OrgUnit:
        unit = _unit(request, unit_id)
        if not user_may_edit_netiquette(request.user, unit):
            raise PermissionDenied
        return unit

    def _render(
        self, request: HttpRequest, unit: OrgUnit, form: Any, rules: Any, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"unit": unit, "form": form, "rules": rules, "draft": netiquette_draft_for(unit)},
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = self._checked_unit(request, unit_id)
        initial, rules = draft_initial(netiquette_draft_for(unit) or netiquette_current_for(unit))
        return self._render(
            request,
            unit,
            NetiquetteDraftForm(initial=initial),
            RuleFormSet(initial=rules, prefix="rules"),
        )

    def post(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = self._checked_unit(request, unit_id)
        form = NetiquetteDraftForm(request.POST)
        rules = RuleFormSet(request.POST, prefix="rules")
        if rules.is_valid():
            draft = submit_form(
                request,
                form,
                lambda data: netiquette_draft_save(
                    actor=request.user,
                    unit=unit,
                    title=data["title"],
                    preamble=data["preamble"],
                    rules=rules.rules(),
                    request=request,
                ),
                success=_("Draft saved. It is not public until you publish it."),
            )
            if draft is not None:
                return redirect("netiquette:unit", unit_id=unit.pk)
        return self._render(request, unit, form, rules, status=400)


class NetiquettePublishView(PermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = _unit(request, unit_id)
        if not user_may_edit_netiquette(request.user, unit):
            raise PermissionDenied
        draft = netiquette_draft_for(unit)
        if draft is None:
            messages.error(request, _("There is no draft to publish."))
            return redirect("netiquette:unit", unit_id=unit.pk)
        carry_out(
            request,
            lambda: netiquette_publish(actor=request.user, netiquette=draft, request=request),
            success=lambda published: (
                _("Version %(version)s is published and applies from now on.")
                % {"version": published.version}
            ),
        )
        return redirect("netiquette:unit", unit_id=unit.pk)


class NetiquetteDetailView(PermissionMixin, View):
    """One version or the draft, for staff."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        netiquette = get_object_or_404(netiquettes_for_user(request.user), pk=pk)
        return render(
            request,
            "moderation/netiquette/detail.html",
            {
                "netiquette": netiquette,
                "public_url": request.build_absolute_uri(
                    public_netiquette_path(netiquette.unit_id, netiquette.version)
                )
                if netiquette.published_at
                else "",
            },
        )


def public_netiquette(
    request: HttpRequest, unit_id: int, version: int | None = None
) -> HttpResponse:
    """The Netiquette as the public reads it (no login): the version that applies to the
    unit now (its own or inherited), or an earlier published version; never a draft."""
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    shown = netiquette_current_for(unit) if version is None else netiquette_version(unit, version)
    if shown is None:
        raise Http404
    current = netiquette_current_for(shown.unit) if version is not None else shown
    return render(
        request,
        "moderation/netiquette/public.html",
        {
            "unit": unit,
            "netiquette": shown,
            "is_current": current is not None and current.pk == shown.pk,
            "versions": netiquette_versions(shown.unit),
            "owner": shown.unit,
        },
    )
