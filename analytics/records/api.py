"""REST API of records exports (``/api/v1/analytics/records/``): list and request exports,
follow one's state and progress, download its ZIP. Approvers, system admins and auditors
of a unit (403 for other roles); another authority's export is not found (404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from accounts.http import user_may
from analytics.models import RecordsExport
from analytics.records.permissions import user_may_use_records
from analytics.records.selectors import exports_for_user
from analytics.records.serializers import RecordsExportCreateSerializer
from analytics.records.serializers import RecordsExportSerializer
from analytics.records.services import records_export_request
from analytics.records.views import records_download

MayExportRecords = user_may(user_may_use_records)


class RecordsExportListView(generics.ListAPIView):
    """The exports of the user's units, newest first."""

    serializer_class = RecordsExportSerializer
    permission_classes = [*generics.ListAPIView.permission_classes, MayExportRecords]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[RecordsExport]:
        return exports_for_user(self.request.user)

    @extend_schema(request=RecordsExportCreateSerializer, responses={201: RecordsExportSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        """Request an export of a unit's channels (and of the units below) or of one channel
        for a period; it is built in the background (follow ``state`` and ``posts_done``)."""
        serializer = RecordsExportCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        export = records_export_request(
            actor=request.user,
            unit=data["unit"],
            channel=data["channel"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            request=request,
        )
        return Response(
            RecordsExportSerializer(export, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class RecordsExportDetailView(APIView):
    permission_classes = [*APIView.permission_classes, MayExportRecords]

    @extend_schema(responses=RecordsExportSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        """One export: its state and progress."""
        export = get_object_or_404(exports_for_user(request.user), pk=pk)
        return Response(RecordsExportSerializer(export, context={"request": request}).data)


class RecordsExportDownloadView(APIView):
    permission_classes = [*APIView.permission_classes, MayExportRecords]

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The ZIP; its SHA-256 in the Repr-Digest header (RFC 9530).",
            ),
            404: OpenApiResponse(description="Unknown, or not ready (yet)."),
        }
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
        """The export's ZIP (audited as a download)."""
        export = get_object_or_404(exports_for_user(request.user), pk=pk)
        return records_download(request, request.user, export)
