"""REST API of the Netiquette (``/api/v1/netiquettes/``): list and read versions and
drafts (community managers and auditors), create and update the unit's draft, publish it
(community managers). A published version is never changed (409)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_views import ObjectActionView
from accounts.api_views import valid_body
from accounts.errors import ConflictError
from accounts.http import AuthenticatedRequest
from accounts.input import int_param
from moderation.models import Netiquette
from moderation.netiquette.selectors import netiquettes_for_user
from moderation.netiquette.serializers import NetiquetteAdoptStarterSerializer
from moderation.netiquette.serializers import NetiquetteDraftCreateSerializer
from moderation.netiquette.serializers import NetiquetteDraftWriteSerializer
from moderation.netiquette.serializers import NetiquetteSerializer
from moderation.netiquette.services import RuleInput
from moderation.netiquette.services import netiquette_adopt_starter
from moderation.netiquette.services import netiquette_check_draft
from moderation.netiquette.services import netiquette_draft_save
from moderation.netiquette.services import netiquette_publish


class NetiquetteListView(generics.ListAPIView):
    """Versions and drafts of the units the user reads; ``?unit=<id>`` narrows to one unit,
    ``?status=published|draft`` to one kind."""

    serializer_class = NetiquetteSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Netiquette]:
        netiquettes = netiquettes_for_user(self.request.user)
        unit = int_param(self.request.query_params, "unit")
        if unit is not None:
            netiquettes = netiquettes.filter(unit_id=unit)
        wanted = self.request.query_params.get("status")
        if wanted in ("published", "draft"):
            netiquettes = netiquettes.filter(published_at__isnull=wanted == "draft")
        return netiquettes

    @extend_schema(request=NetiquetteDraftCreateSerializer, responses={201: NetiquetteSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        """Create the unit's draft (409 if it already has one: update that instead)."""
        serializer = NetiquetteDraftCreateSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        unit = serializer.validated_data["unit"]
        if Netiquette.objects.filter(unit=unit, published_at__isnull=True).exists():
            raise ConflictError(_("The unit already has a draft: update it instead."))
        draft = netiquette_draft_save(
            actor=request.user,
            unit=unit,
            title=serializer.validated_data["title"],
            preamble=serializer.validated_data["preamble"],
            rules=serializer.rule_inputs(),
            request=request,
        )
        return Response(
            NetiquetteSerializer(draft, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class NetiquetteDetailView(APIView):
    def _get(self, request: AuthenticatedRequest, pk: int) -> Netiquette:
        return get_object_or_404(netiquettes_for_user(request.user), pk=pk)

    @extend_schema(responses=NetiquetteSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(
            NetiquetteSerializer(self._get(request, pk), context={"request": request}).data
        )

    @extend_schema(request=NetiquetteDraftWriteSerializer, responses=NetiquetteSerializer)
    def put(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Replace the draft's title, preamble and rules. A published version: 409."""
        netiquette = self._get(request, pk)
        serializer = NetiquetteDraftWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        netiquette_check_draft(netiquette)
        draft = netiquette_draft_save(
            actor=request.user,
            unit=netiquette.unit,
            title=serializer.validated_data["title"],
            preamble=serializer.validated_data["preamble"],
            rules=serializer.rule_inputs(),
            request=request,
        )
        return Response(NetiquetteSerializer(draft, context={"request": request}).data)

    @extend_schema(request=NetiquetteDraftWriteSerializer, responses=NetiquetteSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Change some of the draft's parts; ``rules``, when given, replaces every rule."""
        netiquette = self._get(request, pk)
        serializer = NetiquetteDraftWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        netiquette_check_draft(netiquette)
        data = serializer.validated_data
        rules = (
            serializer.rule_inputs()
            if "rules" in data
            else [RuleInput(r.number, r.title, r.text) for r in netiquette.rules.all()]
        )
        draft = netiquette_draft_save(
            actor=request.user,
            unit=netiquette.unit,
            title=data.get("title", netiquette.title),
            preamble=data.get("preamble", netiquette.preamble),
            rules=rules,
            request=request,
        )
        return Response(NetiquetteSerializer(draft, context={"request": request}).data)


class NetiquettePublishView(ObjectActionView[Netiquette]):
    """Publish the draft as the unit's next version (audited with its rules)."""

    answer = NetiquetteSerializer

    def target(self, pk: int) -> Netiquette:
        return get_object_or_404(netiquettes_for_user(self.request.user), pk=pk)

    def act(self, target: Netiquette, data: dict[str, Any]) -> Netiquette:
        published = netiquette_publish(
            actor=self.request.user, netiquette=target, request=self.request
        )
        return netiquettes_for_user(self.request.user).get(pk=published.pk)

    def respond(self, result: Netiquette) -> Response:
        return Response(NetiquetteSerializer(result, context={"request": self.request}).data)


class NetiquetteAdoptStarterView(APIView):
    """Start the unit's draft from the starter library's Netiquette (community managers;
    409 when the unit has a version or a draft of its own, which is never overwritten)."""

    @extend_schema(request=NetiquetteAdoptStarterSerializer, responses={201: NetiquetteSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = valid_body(NetiquetteAdoptStarterSerializer, request, request=request)
        draft = netiquette_adopt_starter(actor=request.user, unit=data["unit"], request=request)
        draft = netiquettes_for_user(request.user).get(pk=draft.pk)
        return Response(
            NetiquetteSerializer(draft, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
