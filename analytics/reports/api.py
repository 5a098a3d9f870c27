"""REST API of the monthly reports (``/api/v1/analytics/reports/``): the archive, one
report's state, its PDF, and a report built on request for a month. Everyone with a role in
a unit reads its reports; approvers and system admins request one (403 otherwise); another
authority's report is not found (404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_view
from rest_framework import generics
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from accounts.http import user_may
from accounts.input import int_param
from accounts.models import OrgUnit
from analytics.models import ReportRun
from analytics.reports.permissions import units_for_reading_reports
from analytics.reports.permissions import user_may_see_reports
from analytics.reports.selectors import report_runs_for_user
from analytics.reports.selectors import report_settings_of
from analytics.reports.serializers import ReportRequestSerializer
from analytics.reports.serializers import ReportRunSerializer
from analytics.reports.serializers import ReportSettingsSerializer
from analytics.reports.serializers import ReportSettingsWriteSerializer
from analytics.reports.services import report_request
from analytics.reports.services import report_settings_update
from analytics.reports.views import report_download

MaySeeReports = user_may(user_may_see_reports)


@extend_schema_view(
    get=extend_schema(
        parameters=[OpenApiParameter("unit", OpenApiTypes.INT, description="Only this unit's.")]
    )
)
class ReportListView(generics.ListAPIView):
    """The reports of the user's units, newest month first."""

    serializer_class = ReportRunSerializer
    permission_classes = [*generics.ListAPIView.permission_classes, MaySeeReports]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[ReportRun]:
        unit = int_param(self.request.query_params, "unit")
        return report_runs_for_user(self.request.user, unit_id=unit)

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportRunSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        """Build the report of a unit for a month now (in the background: follow
        ``status`` until it is ``ready``, then fetch ``download``). Not e-mailed."""
        serializer = ReportRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        run = report_request(
            actor=request.user,
            unit=serializer.validated_data["unit"],
            month=serializer.validated_data["month"],
            request=request,
        )
        return Response(
            ReportRunSerializer(run, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class ReportDetailView(APIView):
    permission_classes = [*APIView.permission_classes, MaySeeReports]

    @extend_schema(responses=ReportRunSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        """One report: its state, and its SHA-256 once built."""
        run = get_object_or_404(report_runs_for_user(request.user), pk=pk)
        return Response(ReportRunSerializer(run, context={"request": request}).data)


class ReportDownloadView(APIView):
    permission_classes = [*APIView.permission_classes, MaySeeReports]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The report as a tagged PDF."
            ),
            404: OpenApiResponse(description="Unknown, or not built (yet)."),
        }
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
        """The report's PDF (audited as a download)."""
        run = get_object_or_404(report_runs_for_user(request.user), pk=pk)
        return report_download(request, request.user, run)


class ReportSettingsView(APIView):
    """A unit's report settings, as on the page ``/analytics/reports/settings/<unit>/``:
    everyone with a role in the unit reads them, approvers and system admins replace them
    (403 otherwise; another authority's unit is not found)."""

    permission_classes = [*APIView.permission_classes, MaySeeReports]

    def _unit(self, request: AuthenticatedRequest, unit_id: int) -> OrgUnit:
        return get_object_or_404(units_for_reading_reports(request.user), pk=unit_id)

    def _answer(self, unit: OrgUnit) -> Response:
        return Response(ReportSettingsSerializer(report_settings_of(unit)).data)

    @extend_schema(responses=ReportSettingsSerializer)
    def get(self, request: AuthenticatedRequest, unit_id: int) -> Response:
        return self._answer(self._unit(request, unit_id))

    @extend_schema(request=ReportSettingsWriteSerializer, responses=ReportSettingsSerializer)
    def put(self, request: AuthenticatedRequest, unit_id: int) -> Response:
        """Replace the settings: on/off, language, recipients, further addresses (audited).
        Switching on without any recipient or address is refused."""
        unit = self._unit(request, unit_id)
        serializer = ReportSettingsWriteSerializer(
            data=request.data, context={"request": request, "unit": unit}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report_settings_update(
            actor=request.user,
            unit=unit,
            enabled=data["enabled"],
            language=data["language"],
            recipients=list(data["recipients"]),
            extra_addresses="\n".join(data["extra_addresses"]),
            request=request,
        )
        return self._answer(unit)
