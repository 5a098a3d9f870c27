"""REST API of the moderation actions (``/api/v1/moderation-actions/``): the decisions
(community managers and auditors of the channel), taking one (community managers; refused
with a stable code when it lacks a rule, a justification or the proportionality reason),
what may be decided on an item now, and retrying a failed platform call."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_views import ObjectActionView
from accounts.http import AuthenticatedRequest
from accounts.input import parse_int
from moderation.actions.selectors import action_options
from moderation.actions.selectors import actions_for_user
from moderation.actions.selectors import rules_for_item
from moderation.actions.serializers import ModerationActionCreateSerializer
from moderation.actions.serializers import ModerationActionOptionsSerializer
from moderation.actions.serializers import ModerationActionSerializer
from moderation.actions.services import action_retry
from moderation.actions.services import action_take
from moderation.common.permissions import channels_for_reading
from moderation.models import InboxItem
from moderation.models import ModerationAction


class ActionListView(generics.ListAPIView):
    """``?item=<id>``: the decisions on one item; ``?status=pending|done|failed``."""

    serializer_class = ModerationActionSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[ModerationAction]:
        actions = actions_for_user(self.request.user).order_by("-created_at", "-id")
        item = parse_int(self.request.query_params.get("item", ""))
        if item is not None:
            actions = actions.filter(item_id=item)
        wanted = self.request.query_params.get("status")
        if wanted in ModerationAction.Status.values:
            actions = actions.filter(status=wanted)
        return actions

    @extend_schema(
        request=ModerationActionCreateSerializer, responses={201: ModerationActionSerializer}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        """Decide on an item. Hide, delete and block secure an evidence record first; the
        platform call runs afterwards (``status`` pending → done or failed)."""
        serializer = ModerationActionCreateSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        action = action_take(actor=request.user, request=request, **serializer.arguments())
        action = actions_for_user(request.user).get(pk=action.pk)
        return Response(ModerationActionSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionDetailView(generics.RetrieveAPIView):
    serializer_class = ModerationActionSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[ModerationAction]:
        return actions_for_user(self.request.user)


class ActionOptionsView(APIView):
    """What may be decided on the item now, in the graduated order (mildest first), each
    with whether it is possible and why not; and the rules that may be cited."""

    @extend_schema(
        parameters=[OpenApiParameter("item", OpenApiTypes.INT, required=True)],
        responses=ModerationActionOptionsSerializer,
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        items = InboxItem.objects.filter(channel__in=channels_for_reading(request.user))
        item = get_object_or_404(
            items.select_related("channel__unit"), pk=parse_int(request.query_params.get("item"))
        )
        rules = list(rules_for_item(item))
        data = {
            "kinds": [option.__dict__ for option in action_options(item, has_rules=bool(rules))],
            "rules": rules,
        }
        return Response(ModerationActionOptionsSerializer(data).data)


class ActionRetryView(ObjectActionView[ModerationAction]):
    """Try a failed platform call again (same decision, same evidence)."""

    answer = ModerationActionSerializer

    def target(self, pk: int) -> ModerationAction:
        return get_object_or_404(actions_for_user(self.request.user), pk=pk)

    def act(self, target: ModerationAction, data: dict[str, Any]) -> ModerationAction:
        action = action_retry(actor=self.request.user, action=target, request=self.request)
        return actions_for_user(self.request.user).get(pk=action.pk)
