"""REST API of the starter library: a unit's documents (``/api/v1/unit-documents/``, read by
everyone with a role in the unit, changed by its system admins) and adopting a starter
(``/api/v1/starters/adopt/``), with the same rules as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_views import valid_body
from accounts.http import AuthenticatedRequest
from accounts.input import int_param
from editorial.models import UnitDocument
from editorial.starters.selectors import documents_for_user
from editorial.starters.serializers import StarterAdoptResultSerializer
from editorial.starters.serializers import StarterAdoptSerializer
from editorial.starters.serializers import UnitDocumentSerializer
from editorial.starters.serializers import UnitDocumentWriteSerializer
from editorial.starters.services import document_adopt
from editorial.starters.services import document_update
from editorial.starters.services import emergency_templates_adopt
from editorial.starters.services import rhythm_adopt


@extend_schema(
    parameters=[
        OpenApiParameter("unit", int, description="only this unit's documents"),
        OpenApiParameter("kind", str, enum=UnitDocument.Kind.values),
    ]
)
class UnitDocumentListView(generics.ListAPIView):
    """The guidelines and crisis checklists of the units the user holds a role in."""

    serializer_class = UnitDocumentSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[UnitDocument]:
        documents = documents_for_user(self.request.user)
        unit = int_param(self.request.query_params, "unit")
        if unit is not None:
            documents = documents.filter(unit_id=unit)
        kind = self.request.query_params.get("kind", "")
        if kind and kind not in UnitDocument.Kind.values:
            raise ValidationError({"kind": [_("Unknown kind.")]})
        if kind:
            documents = documents.filter(kind=kind)
        return documents


class UnitDocumentDetailView(APIView):
    def _get(self, request: AuthenticatedRequest, pk: int) -> UnitDocument:
        return get_object_or_404(documents_for_user(request.user), pk=pk)

    @extend_schema(responses=UnitDocumentSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(UnitDocumentSerializer(self._get(request, pk)).data)

    @extend_schema(request=UnitDocumentWriteSerializer, responses=UnitDocumentSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Change the title and/or text (system admins of the unit; audited before/after)."""
        document = self._get(request, pk)
        data = valid_body(UnitDocumentWriteSerializer, request, partial=True)
        document = document_update(
            actor=request.user,
            document=document,
            title=data.get("title", document.title),
            body=data.get("body", document.body),
            request=request,
        )
        return Response(UnitDocumentSerializer(document).data)


class StarterAdoptView(APIView):
    """Adopt a starter in a unit: a document (409 if the unit has its own already, it is never
    overwritten), the emergency templates the unit lacks, or the weekly formats as slots."""

    @extend_schema(request=StarterAdoptSerializer, responses={201: StarterAdoptResultSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = valid_body(StarterAdoptSerializer, request, request=request)
        unit, starter = data["unit"], data["starter"]
        result: dict[str, Any] = {
            "starter": starter,
            "unit": unit.pk,
            "document": None,
            "post_templates": [],
            "slots": [],
        }
        if starter == "emergency_templates":
            created = emergency_templates_adopt(actor=request.user, unit=unit, request=request)
            result["post_templates"] = [t.pk for t in created]
        elif starter == "rhythm":
            slots = rhythm_adopt(
                actor=request.user,
                unit=unit,
                start=data.get("start") or timezone.localdate(),
                weeks=data["weeks"],
                request=request,
            )
            result["slots"] = [s.pk for s in slots]
        else:
            document = document_adopt(actor=request.user, unit=unit, kind=starter, request=request)
            result["document"] = UnitDocumentSerializer(document).data
        return Response(result, status=status.HTTP_201_CREATED)
