"""REST API of the service levels (``/api/v1/moderation-settings/<unit>/``,
``/api/v1/service-level-report/``, ``/api/v1/storm-alerts/``)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from moderation.common.permissions import channels_for_reading
from moderation.common.selectors import settings_for_units
from moderation.models import StormAlert
from moderation.service_levels.permissions import unit_for_service_levels
from moderation.service_levels.permissions import units_for_service_levels
from moderation.service_levels.permissions import user_may_edit_service_levels
from moderation.service_levels.permissions import user_may_govern
from moderation.service_levels.selectors import service_level_report
from moderation.service_levels.selectors import storm_alerts_for_units
from moderation.service_levels.serializers import ModerationSettingsSerializer
from moderation.service_levels.serializers import ReportQuerySerializer
from moderation.service_levels.serializers import ServiceLevelReportSerializer
from moderation.service_levels.serializers import StormAlertSerializer
from moderation.service_levels.services import PRIVACY_FIELDS
from moderation.service_levels.services import SERVICE_LEVEL_FIELDS
from moderation.service_levels.services import moderation_settings_update


class ModerationSettingsView(APIView):
    """A unit's effective moderation settings (its own or inherited). Community managers
    of the unit change the service levels; retention periods, the criminal unit and the
    per-employee figures switch are for system admins. Auditors read."""

    def _respond(self, request: AuthenticatedRequest, unit_id: int) -> Response:
        unit = unit_for_service_levels(request.user, unit_id)
        settings = settings_for_units([unit])[unit.pk]
        return Response(
            ModerationSettingsSerializer(settings, context={"request": request, "unit": unit}).data
        )

    @extend_schema(responses=ModerationSettingsSerializer)
    def get(self, request: AuthenticatedRequest, unit_id: int) -> Response:
        return self._respond(request, unit_id)

    @extend_schema(request=ModerationSettingsSerializer, responses=ModerationSettingsSerializer)
    def patch(self, request: AuthenticatedRequest, unit_id: int) -> Response:
        unit = unit_for_service_levels(request.user, unit_id)
        settings = settings_for_units([unit])[unit.pk]
        serializer = ModerationSettingsSerializer(
            settings,
            data=request.data,
            partial=True,
            context={"request": request, "unit": unit},
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service = {k: v for k, v in data.items() if k in SERVICE_LEVEL_FIELDS}
        privacy = {k: v for k, v in data.items() if k in PRIVACY_FIELDS}
        if service and not user_may_edit_service_levels(request.user, unit):
            raise PermissionDenied
        if privacy and not user_may_govern(request.user, unit):
            raise PermissionDenied
        if service:
            moderation_settings_update(
                actor=request.user, unit=unit, values=service, request=request
            )
        if privacy:
            moderation_settings_update(
                actor=request.user,
                unit=unit,
                values=privacy,
                action="moderation.privacy.settings_updated",
                request=request,
            )
        return self._respond(request, unit_id)


class ServiceLevelReportView(APIView):
    """First responses met, breached and open per unit and channel for a period (days in
    Europe/Berlin, both included), with the median first response in service hours. Rows
    per employee count only the channels whose own unit has the switch on
    (``employee_channels``); ``employees`` is null when none has."""

    @extend_schema(
        parameters=[ReportQuerySerializer],
        responses=ServiceLevelReportSerializer,
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = unit_for_service_levels(request.user, query.validated_data["unit"])
        report = service_level_report(
            unit=unit,
            start=query.validated_data["start"],
            end=query.validated_data["end"],
            channels=channels_for_reading(request.user),
        )
        return Response(
            {
                "unit": unit.pk,
                "start": report.start,
                "end": report.end,
                "total": report.total.as_dict(),
                "channels": [row.as_dict() for row in report.channels],
                "employees": None
                if report.employees is None
                else [row.as_dict() for row in report.employees],
                "employee_channels": [channel.pk for channel in report.employee_channels],
            }
        )


class StormAlertListView(generics.ListAPIView):
    """Storm alerts on the channels of the user's units, newest first."""

    serializer_class = StormAlertSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[StormAlert]:
        return storm_alerts_for_units(units_for_service_levels(self.request.user))
