"""REST API of the evidence records (``/api/v1/evidence-records/``): list and read
(community managers and auditors of the channel or of the handling unit), secure an item,
download the PDF or the JSON package (audited), mark criminally relevant, record a filed
complaint, release the legal hold (community managers)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_views import ObjectActionView
from accounts.api_views import valid_body
from accounts.http import AuthenticatedRequest
from accounts.input import parse_int
from moderation.evidence.permissions import user_may_handle_evidence
from moderation.evidence.selectors import evidence_records_for_user
from moderation.evidence.serializers import ComplaintFiledSerializer
from moderation.evidence.serializers import EvidenceCreateSerializer
from moderation.evidence.serializers import EvidenceRecordDetailSerializer
from moderation.evidence.serializers import EvidenceRecordSerializer
from moderation.evidence.serializers import MarkCriminalSerializer
from moderation.evidence.serializers import ReleaseHoldSerializer
from moderation.evidence.services import evidence_complaint_filed
from moderation.evidence.services import evidence_export
from moderation.evidence.services import evidence_mark_criminal
from moderation.evidence.services import evidence_record
from moderation.evidence.services import evidence_release_legal_hold
from moderation.models import EvidenceRecord


class EvidenceRecordListView(generics.ListAPIView):
    """``?item=<id>``: the records of one item; ``?criminal=true``: criminally relevant ones."""

    serializer_class = EvidenceRecordSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[EvidenceRecord]:
        records = evidence_records_for_user(self.request.user)
        item = parse_int(self.request.query_params.get("item", ""))
        if item is not None:
            records = records.filter(item_id=item)
        if self.request.query_params.get("criminal") == "true":
            records = records.filter(criminal_relevant=True)
        return records

    @extend_schema(
        request=EvidenceCreateSerializer, responses={201: EvidenceRecordDetailSerializer}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        """Secure an item now (without removing anything)."""
        data = valid_body(EvidenceCreateSerializer, request, request=request)
        record = evidence_record(actor=request.user, item=data["item"], request=request)
        record = evidence_records_for_user(request.user).get(pk=record.pk)
        return Response(EvidenceRecordDetailSerializer(record).data, status=status.HTTP_201_CREATED)


class EvidenceRecordDetailView(generics.RetrieveAPIView):
    serializer_class = EvidenceRecordDetailSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[EvidenceRecord]:
        return evidence_records_for_user(self.request.user)


class _ExportView(APIView):
    kind = ""

    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(evidence_records_for_user(request.user), pk=pk)
        if not user_may_handle_evidence(request.user, record):
            raise PermissionDenied
        export = evidence_export(actor=request.user, record=record, kind=self.kind, request=request)
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store"
        return response


class EvidencePdfView(_ExportView):
    """The record as a PDF in German (audited as ``moderation.evidence.exported``)."""

    kind = "pdf"

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        return super().get(request, pk)


class EvidencePackageView(_ExportView):
    """The JSON evidence package: the content as secured, its SHA-256 and how to recompute
    it (audited as ``moderation.evidence.exported``)."""

    kind = "json"

    @extend_schema(responses={(200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT)})
    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        return super().get(request, pk)


class _EvidenceActionView(ObjectActionView[EvidenceRecord]):
    answer = EvidenceRecordSerializer

    def target(self, pk: int) -> EvidenceRecord:
        return get_object_or_404(evidence_records_for_user(self.request.user), pk=pk)


class EvidenceMarkCriminalView(_EvidenceActionView):
    body = MarkCriminalSerializer

    def act(self, target: EvidenceRecord, data: dict[str, Any]) -> EvidenceRecord:
        return evidence_mark_criminal(
            actor=self.request.user,
            record=target,
            known_since=data.get("known_since"),
            request=self.request,
        )


class EvidenceComplaintFiledView(_EvidenceActionView):
    body = ComplaintFiledSerializer

    def act(self, target: EvidenceRecord, data: dict[str, Any]) -> EvidenceRecord:
        return evidence_complaint_filed(
            actor=self.request.user,
            record=target,
            reference=data.get("reference", ""),
            request=self.request,
        )


class EvidenceReleaseHoldView(_EvidenceActionView):
    """End the legal hold, with the reason (community managers of the channel's unit or of
    the handling unit); from then on the record is kept until ``retain_until``."""

    body = ReleaseHoldSerializer

    def act(self, target: EvidenceRecord, data: dict[str, Any]) -> EvidenceRecord:
        return evidence_release_legal_hold(
            actor=self.request.user, record=target, reason=data["reason"], request=self.request
        )
