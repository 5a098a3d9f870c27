"""``/api/v1/crisis-drills/``: crisis drills (system admins start and end them; they and the
participants tick the steps)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from accounts.http import user_may
from editorial.crisis.drill.permissions import user_may_run_drills
from editorial.crisis.drill.selectors import drills_for_user
from editorial.crisis.drill.serializers import DrillSerializer
from editorial.crisis.drill.services import drill_end
from editorial.crisis.drill.services import drill_start
from editorial.crisis.drill.services import drill_step_done
from editorial.models import CrisisDrill

# Reading is for everyone (scoped by the queryset); starting for system admins.
MayStartDrills = user_may(user_may_run_drills, writes_only=True)


def _detail(request: Request, drill: CrisisDrill) -> Response:
    drill = drills_for_user(request.user).prefetch_related("steps__done_by").get(pk=drill.pk)  # type: ignore[arg-type]
    return Response(DrillSerializer(drill, context={"request": request}).data)


class DrillListView(generics.ListCreateAPIView):
    """The drills of the user's units and those they take part in. A system admin starts
    one: publishing pauses in the participants' practice spaces only, and the unit's crisis
    checklist becomes the drill's steps."""

    serializer_class = DrillSerializer
    permission_classes = [*generics.ListCreateAPIView.permission_classes, MayStartDrills]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[CrisisDrill]:
        return drills_for_user(self.request.user).prefetch_related("participants", "steps__done_by")

    def perform_create(self, serializer: DrillSerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        serializer.instance = drill_start(
            actor=self.request.user,
            unit=data["unit"],
            participants=data["participants"],
            title=data.get("title", ""),
            request=self.request,
        )


class DrillDetailView(generics.RetrieveAPIView):
    serializer_class = DrillSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[CrisisDrill]:
        return drills_for_user(self.request.user).prefetch_related("participants", "steps__done_by")


class DrillStepDoneView(APIView):
    """Tick a step of a running drill (its time is recorded; a second tick changes nothing)."""

    @extend_schema(request=None, responses=DrillSerializer)
    def post(self, request: AuthenticatedRequest, pk: int, step_pk: int) -> Response:
        drill = get_object_or_404(drills_for_user(request.user), pk=pk)
        step = get_object_or_404(drill.steps, pk=step_pk)
        drill_step_done(actor=request.user, step=step, request=request)
        return _detail(request, drill)


class DrillEndView(APIView):
    """End the drill: the practice pauses end, the result keeps the timings."""

    @extend_schema(request=None, responses=DrillSerializer)
    def post(self, request: AuthenticatedRequest, pk: int, **kwargs: Any) -> Response:
        drill = get_object_or_404(drills_for_user(request.user), pk=pk)
        drill_end(actor=request.user, drill=drill, request=request)
        return _detail(request, drill)
