"""Pages of the service levels: overview with storm alerts, one settings page per unit, the
report of met and breached first responses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.views.base import PermissionMixin
from accounts.views.submissions import submit_form
from moderation.common.permissions import channels_for_reading
from moderation.common.permissions import units_for_moderating
from moderation.common.selectors import settings_for_units
from moderation.common.selectors import settings_origin
from moderation.common.settings_page import render_unit_settings
from moderation.service_levels.forms import ReportForm
from moderation.service_levels.forms import ServiceLevelsForm
from moderation.service_levels.forms import default_period
from moderation.service_levels.permissions import unit_for_service_levels
from moderation.service_levels.permissions import units_for_service_levels
from moderation.service_levels.permissions import user_may_edit_service_levels
from moderation.service_levels.selectors import service_level_report
from moderation.service_levels.selectors import storm_alerts_for_units
from moderation.service_levels.services import SERVICE_LEVEL_FIELDS
from moderation.service_levels.services import moderation_settings_update


class OverviewView(PermissionMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        units = list(units_for_service_levels(request.user))
        if not units:
            raise PermissionDenied
        settings = settings_for_units(units)
        editable = set(units_for_moderating(request.user).values_list("id", flat=True))
        rows = [
            (
                unit,
                settings[unit.pk],
                unit.pk in editable,
                settings_origin(settings[unit.pk], SERVICE_LEVEL_FIELDS),
            )
            for unit in units
        ]
        alerts = storm_alerts_for_units(units_for_service_levels(request.user))[:20]
        return render(
            request,
            "moderation/service_levels/overview.html",
            {"rows": rows, "alerts": alerts},
        )


class UnitSettingsView(PermissionMixin, View):
    template_name = "moderation/service_levels/unit.html"

    def _render(
        self, request: AuthenticatedHttpRequest, unit_id: int, form: ServiceLevelsForm | None
    ) -> HttpResponse:
        unit = unit_for_service_levels(request.user, unit_id)
        settings = settings_for_units([unit])[unit.pk]
        may_edit = user_may_edit_service_levels(request.user, unit)
        return render_unit_settings(
            request,
            self.template_name,
            unit=unit,
            settings=settings,
            form=form or ServiceLevelsForm(settings=settings),
            may_edit=may_edit,
            fields=SERVICE_LEVEL_FIELDS,
        )

    def get(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        return self._render(request, unit_id, None)

    def post(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = unit_for_service_levels(request.user, unit_id)
        if not user_may_edit_service_levels(request.user, unit):
            raise PermissionDenied
        settings = settings_for_units([unit])[unit.pk]
        form = ServiceLevelsForm(request.POST, settings=settings)
        saved = submit_form(
            request,
            form,
            lambda data: moderation_settings_update(
                actor=request.user, unit=unit, values=form.values(), request=request
            ),
            success=_("The service levels of %(unit)s were saved.") % {"unit": unit.name},
            refusals=(ValidationError,),
        )
        if saved is not None:
            return redirect("service_levels:unit", unit_id=unit.pk)
        return self._render(request, unit_id, form)


class ReportView(PermissionMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        units = units_for_service_levels(request.user)
        if not units.exists():
            raise PermissionDenied
        start, end = default_period()
        data = request.GET if "unit" in request.GET else None
        form = ReportForm(
            data, units=units, initial={"unit": units.first(), "start": start, "end": end}
        )
        report = None
        if data is None:
            unit = units.first()
            assert unit is not None
            report = service_level_report(
                unit=unit, start=start, end=end, channels=channels_for_reading(request.user)
            )
        elif form.is_valid():
            report = service_level_report(
                unit=form.cleaned_data["unit"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                channels=channels_for_reading(request.user),
            )
        return render(
            request,
            "moderation/service_levels/report.html",
            {"form": form, "report": report},
            status=400 if form.is_bound and form.errors else 200,
        )
