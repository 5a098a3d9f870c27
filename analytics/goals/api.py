"""REST API of goals and strategy (``/api/v1/analytics/goals/``): goals with their KPI
target and progress, target groups, channel strategies. Everyone with a role in a unit
reads; approvers and system admins write (403 otherwise); another authority's objects are
not found (404). An archived goal or group is not changed any more (409)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_views import ObjectActionView
from accounts.http import AuthenticatedRequest
from accounts.input import bool_param
from accounts.input import int_param
from analytics.goals.permissions import channels_for_reading_goals
from analytics.goals.selectors import channel_strategies_for_user
from analytics.goals.selectors import goal_progress
from analytics.goals.selectors import goals_for_user
from analytics.goals.selectors import target_groups_for_user
from analytics.goals.serializers import ChannelStrategySerializer
from analytics.goals.serializers import ChannelStrategyWriteSerializer
from analytics.goals.serializers import GoalCreateSerializer
from analytics.goals.serializers import GoalDetailSerializer
from analytics.goals.serializers import GoalSerializer
from analytics.goals.serializers import GoalWriteSerializer
from analytics.goals.serializers import TargetGroupCreateSerializer
from analytics.goals.serializers import TargetGroupSerializer
from analytics.goals.serializers import TargetGroupWriteSerializer
from analytics.goals.services import channel_strategy_update
from analytics.goals.services import goal_archive
from analytics.goals.services import goal_create
from analytics.goals.services import goal_update
from analytics.goals.services import target_group_archive
from analytics.goals.services import target_group_create
from analytics.goals.services import target_group_update
from analytics.models import Goal
from analytics.models import TargetGroup
from channels_app.models import Channel

LIST_PARAMETERS = [
    OpenApiParameter("unit", OpenApiTypes.INT, description="Only this unit's."),
    OpenApiParameter(
        "archived",
        OpenApiTypes.BOOL,
        description="true: only the archived; false: only the current; default: all.",
    ),
]


def _archived(request: AuthenticatedRequest) -> bool | None:
    return bool_param(request.query_params, "archived")


def _goal_body(request: AuthenticatedRequest, goal: Goal) -> dict[str, Any]:
    goal = goals_for_user(request.user).get(pk=goal.pk)
    return GoalDetailSerializer(
        goal, context={"request": request, "progress": goal_progress(goal)}
    ).data


class _UnitListView(generics.ListAPIView):
    # Goals and target groups are listed alike: the ones the user reads (``readable``, a
    # selector taking ``archived``), narrowed by LIST_PARAMETERS, in the order ``order_by``.
    # A comment, not a docstring: the schema would describe a list view without one by it.
    request: AuthenticatedRequest
    readable: Callable[..., QuerySet[Any]]
    order_by: tuple[str, ...]

    @extend_schema(parameters=LIST_PARAMETERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        listed = self.readable(self.request.user, archived=_archived(self.request))
        unit = int_param(self.request.query_params, "unit")
        if unit is not None:
            listed = listed.filter(unit_id=unit)
        return listed.order_by(*self.order_by)


class GoalListView(_UnitListView):
    """Goals of the units the user reads, newest period first (without progress: read one
    goal for it)."""

    serializer_class = GoalSerializer
    readable = staticmethod(goals_for_user)
    order_by = ("-period_end", "unit__path", "title", "pk")

    @extend_schema(request=GoalCreateSerializer, responses={201: GoalDetailSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        serializer = GoalCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        goal = goal_create(
            actor=request.user,
            unit=serializer.validated_data["unit"],
            data=serializer.goal_input(),
            request=request,
        )
        return Response(_goal_body(request, goal), status=status.HTTP_201_CREATED)


class GoalDetailView(APIView):
    """One goal with its progress against the KPI target."""

    def _get(self, request: AuthenticatedRequest, pk: int) -> Goal:
        return get_object_or_404(goals_for_user(request.user), pk=pk)

    @extend_schema(responses=GoalDetailSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(_goal_body(request, self._get(request, pk)))

    @extend_schema(request=GoalWriteSerializer, responses=GoalDetailSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Change some of the goal's fields; ``target_groups``, when given, replaces them."""
        goal = self._get(request, pk)
        serializer = GoalWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        goal = goal_update(
            actor=request.user, goal=goal, data=serializer.goal_input(goal), request=request
        )
        return Response(_goal_body(request, goal))


class GoalArchiveView(ObjectActionView[Goal]):
    answer = GoalDetailSerializer

    def target(self, pk: int) -> Goal:
        return get_object_or_404(goals_for_user(self.request.user), pk=pk)

    def act(self, target: Goal, data: dict[str, Any]) -> Goal:
        return goal_archive(actor=self.request.user, goal=target, request=self.request)

    def respond(self, result: Goal) -> Response:
        return Response(_goal_body(self.request, result))


# --- Target groups -----------------------------------------------------------------------------


class TargetGroupListView(_UnitListView):
    serializer_class = TargetGroupSerializer
    readable = staticmethod(target_groups_for_user)
    order_by = ("unit__path", "name", "pk")

    @extend_schema(request=TargetGroupCreateSerializer, responses={201: TargetGroupSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        serializer = TargetGroupCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        group = target_group_create(
            actor=request.user, request=request, **serializer.validated_data
        )
        return Response(TargetGroupSerializer(group).data, status=status.HTTP_201_CREATED)


class TargetGroupDetailView(APIView):
    def _get(self, request: AuthenticatedRequest, pk: int) -> TargetGroup:
        return get_object_or_404(target_groups_for_user(request.user), pk=pk)

    @extend_schema(responses=TargetGroupSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(TargetGroupSerializer(self._get(request, pk)).data)

    @extend_schema(request=TargetGroupWriteSerializer, responses=TargetGroupSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        group = self._get(request, pk)
        serializer = TargetGroupWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        group = target_group_update(
            actor=request.user,
            group=group,
            name=data.get("name", group.name),
            description=data.get("description", group.description),
            request=request,
        )
        return Response(TargetGroupSerializer(group).data)


class TargetGroupArchiveView(ObjectActionView[TargetGroup]):
    answer = TargetGroupSerializer

    def target(self, pk: int) -> TargetGroup:
        return get_object_or_404(target_groups_for_user(self.request.user), pk=pk)

    def act(self, target: TargetGroup, data: dict[str, Any]) -> TargetGroup:
        return target_group_archive(actor=self.request.user, group=target, request=self.request)


# --- Channel strategies --------------------------------------------------------------------------


class ChannelStrategyListView(generics.ListAPIView):
    """Every channel the user reads, with why it is used and for whom."""

    serializer_class = ChannelStrategySerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Channel]:
        return channel_strategies_for_user(self.request.user)


class ChannelStrategyDetailView(APIView):
    def _get(self, request: AuthenticatedRequest, channel_id: int) -> Channel:
        return get_object_or_404(channel_strategies_for_user(request.user), pk=channel_id)

    @extend_schema(responses=ChannelStrategySerializer)
    def get(self, request: AuthenticatedRequest, channel_id: int) -> Response:
        return Response(ChannelStrategySerializer(self._get(request, channel_id)).data)

    @extend_schema(request=ChannelStrategyWriteSerializer, responses=ChannelStrategySerializer)
    def put(self, request: AuthenticatedRequest, channel_id: int) -> Response:
        """Replace the channel's strategy (purpose, audience, target groups)."""
        channel = get_object_or_404(channels_for_reading_goals(request.user), pk=channel_id)
        serializer = ChannelStrategyWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        channel_strategy_update(
            actor=request.user,
            channel=channel,
            purpose=data["purpose"],
            audience=data["audience"],
            target_groups=list(data["target_groups"]),
            request=request,
        )
        return Response(ChannelStrategySerializer(self._get(request, channel_id)).data)
