"""REST API of data-subject requests (``/api/v1/data-subject-requests/``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_schema import NOT_BLANK
from accounts.api_views import valid_body
from accounts.http import AuthenticatedRequest
from moderation.models import DataSubjectRequest
from moderation.privacy.permissions import channels_for_requests
from moderation.privacy.permissions import request_for_user
from moderation.privacy.permissions import unit_ids_for_seeing_requests
from moderation.privacy.permissions import units_for_requests
from moderation.privacy.permissions import user_may_handle_request
from moderation.privacy.selectors import authors_matching
from moderation.privacy.selectors import requests_for_units
from moderation.privacy.serializers import DataSubjectAuthorSerializer
from moderation.privacy.serializers import DataSubjectRequestSerializer
from moderation.privacy.serializers import EraseConfirmSerializer
from moderation.privacy.serializers import SearchQuerySerializer
from moderation.privacy.services import data_subject_erase
from moderation.privacy.services import data_subject_export_record
from moderation.privacy.services import data_subject_request_create


class RequestListView(generics.ListCreateAPIView):
    """Data-subject requests of the user's units. Community managers (of the channels
    they moderate) and system admins record one for authors found with ``search/``."""

    serializer_class = DataSubjectRequestSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[DataSubjectRequest]:
        return requests_for_units(unit_ids_for_seeing_requests(self.request.user)).prefetch_related(
            "authors"
        )

    def perform_create(self, serializer: DataSubjectRequestSerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        serializer.instance = data_subject_request_create(
            actor=self.request.user,
            unit=data["unit"],
            kind=data["kind"],
            authors=data["authors"],
            reference=data.get("reference", ""),
            received_on=data.get("received_on"),
            request=self.request,
        )

    def create(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        if not units_for_requests(request.user).exists():
            raise PermissionDenied
        return super().create(request, *args, **kwargs)


class AuthorSearchView(APIView):
    """Accounts on the unit's channels (that the user moderates) whose handle, display
    name, profile address or platform id matches ``q``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, required=True),
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": 1000, "pattern": NOT_BLANK},
                required=True,
                description="Text to look for (trimmed; blank is refused)",
            ),
        ],
        responses=DataSubjectAuthorSerializer(many=True),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = units_for_requests(request.user).filter(pk=query.validated_data["unit"]).first()
        if unit is None:
            raise Http404
        authors = authors_matching(
            query=query.validated_data["q"], channels=channels_for_requests(request.user, unit)
        )[:100]
        return Response(DataSubjectAuthorSerializer(authors, many=True).data)


class RequestDetailView(generics.RetrieveAPIView):
    serializer_class = DataSubjectRequestSerializer
    request: AuthenticatedRequest

    def get_object(self) -> DataSubjectRequest:
        return request_for_user(self.request.user, self.kwargs["pk"])


def _handled(request: AuthenticatedRequest, pk: int) -> DataSubjectRequest:
    subject_request = request_for_user(request.user, pk)
    if not user_may_handle_request(request.user, subject_request):
        raise PermissionDenied
    return subject_request


class RequestExportView(APIView):
    """Everything stored about the request's authors as one JSON document: accounts,
    items with revisions, our replies, decisions and flags, evidence content, block entries
    and objections. Audited (``moderation.privacy.access_exported``, counts only)."""

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        subject_request = _handled(request, pk)
        export = data_subject_export_record(
            actor=request.user, subject_request=subject_request, request=request
        )
        response = Response(export)
        response["Content-Disposition"] = (
            f'attachment; filename="data-subject-request-{subject_request.pk}.json"'
        )
        return response


class RequestEraseView(APIView):
    """Erase the request's authors (an erasure request): items, revisions, flags,
    evidence records and block entries. Kept and named in ``summary``: evidence on a legal
    hold and active blocks. Needs ``{"confirm": true}`` (the person's identity was
    checked), as the page does. Audited (``moderation.privacy.erased``, counts only)."""

    @extend_schema(request=EraseConfirmSerializer, responses={200: DataSubjectRequestSerializer})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        subject_request = _handled(request, pk)
        valid_body(EraseConfirmSerializer, request)
        data_subject_erase(actor=request.user, subject_request=subject_request, request=request)
        subject_request.refresh_from_db()
        return Response(
            DataSubjectRequestSerializer(subject_request, context={"request": request}).data,
            status=status.HTTP_200_OK,
        )
