"""REST API of crisis mode (``/api/v1/pauses/``, ``/api/v1/emergency-posts/``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_view
from rest_framework import generics
from rest_framework import serializers
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_views import valid_body
from accounts.http import AuthenticatedRequest
from accounts.http import user_may
from editorial.crisis.permissions import user_may_use_crisis_mode
from editorial.crisis.selectors import missed_posts
from editorial.crisis.selectors import pauses_for_user
from editorial.crisis.serializers import DiscardSerializer
from editorial.crisis.serializers import EmergencyPostCreateSerializer
from editorial.crisis.serializers import EmergencyPostSerializer
from editorial.crisis.serializers import MissedPostSerializer
from editorial.crisis.serializers import PauseSerializer
from editorial.crisis.serializers import RescheduleSerializer
from editorial.crisis.services import emergency_post_approve
from editorial.crisis.services import emergency_post_create
from editorial.crisis.services import missed_post_discard
from editorial.crisis.services import missed_post_reschedule
from editorial.crisis.services import pause_end
from editorial.crisis.services import pause_start
from editorial.models import Post
from editorial.models import PublishingPause
from editorial.posts.selectors import posts_for_user

# The pauses are read by whom the crisis pages are for (whoever may pause, and editors); the
# rest get 403 as on the pages. What one may do with a pause stays the services' rule.
MayUseCrisisMode = user_may(user_may_use_crisis_mode)


class PauseListView(generics.ListCreateAPIView):
    """Active and past pauses that concern the user. Approvers, channel admins and system
    admins start one for a channel, a unit (with everything below it) or a whole authority
    (its top-level unit); both empty pauses the whole installation (operators only)."""

    permission_classes = [*generics.ListCreateAPIView.permission_classes, MayUseCrisisMode]
    serializer_class = PauseSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[PublishingPause]:
        return pauses_for_user(self.request.user)

    def perform_create(self, serializer: PauseSerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        serializer.instance = pause_start(
            actor=self.request.user,
            reason=data.get("reason", ""),
            unit=data.get("unit"),
            channel=data.get("channel"),
            request=self.request,
        )


class PauseDetailView(generics.RetrieveAPIView):
    permission_classes = [*generics.RetrieveAPIView.permission_classes, MayUseCrisisMode]
    serializer_class = PauseSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[PublishingPause]:
        return pauses_for_user(self.request.user)


class PauseResumeView(APIView):
    """End the pause. What was due during it is not sent late: see ``missed/``."""

    permission_classes = [*APIView.permission_classes, MayUseCrisisMode]

    @extend_schema(request=None, responses=PauseSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        pause = get_object_or_404(pauses_for_user(request.user), pk=pk)
        pause_end(actor=request.user, pause=pause, request=request)
        pause.refresh_from_db()
        return Response(PauseSerializer(pause, context={"request": request}).data)


def _missed(request: AuthenticatedRequest, pk: int) -> tuple[PublishingPause, QuerySet[Post]]:
    pause = get_object_or_404(pauses_for_user(request.user), pk=pk)
    visible = posts_for_user(request.user).values("pk")
    return pause, missed_posts(pause).filter(pk__in=visible)


class MissedPostListView(generics.ListAPIView):
    """Posts due during the pause that did not go out; each waits to be rescheduled or
    discarded and is never published late on its own."""

    permission_classes = [*generics.ListAPIView.permission_classes, MayUseCrisisMode]
    serializer_class = MissedPostSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Post]:
        return _missed(self.request, self.kwargs["pk"])[1]


class _MissedPostActionView(APIView):
    # No docstring: the API documentation would give it to both operations.
    permission_classes = [*APIView.permission_classes, MayUseCrisisMode]
    input_serializer: type[serializers.Serializer[Any]]

    def act(self, request: AuthenticatedRequest, post: Post, data: dict[str, Any]) -> Post:
        raise NotImplementedError

    def post(self, request: AuthenticatedRequest, pk: int, post_pk: int) -> Response:
        post = get_object_or_404(_missed(request, pk)[1], pk=post_pk)
        post = self.act(request, post, valid_body(self.input_serializer, request))
        return Response(MissedPostSerializer(post).data)


@extend_schema_view(
    post=extend_schema(request=RescheduleSerializer, responses=MissedPostSerializer)
)
class MissedPostRescheduleView(_MissedPostActionView):
    input_serializer = RescheduleSerializer

    def act(self, request: AuthenticatedRequest, post: Post, data: dict[str, Any]) -> Post:
        planned_at = data["planned_at"]
        return missed_post_reschedule(
            actor=request.user, post=post, planned_at=planned_at, request=request
        )


@extend_schema_view(post=extend_schema(request=DiscardSerializer, responses=MissedPostSerializer))
class MissedPostDiscardView(_MissedPostActionView):
    input_serializer = DiscardSerializer

    def act(self, request: AuthenticatedRequest, post: Post, data: dict[str, Any]) -> Post:
        reason = data["reason"]
        return missed_post_discard(actor=request.user, post=post, reason=reason, request=request)


class EmergencyPostCreateView(APIView):
    """Fill an emergency template and send it to the chosen channels for one emergency
    approval (by a designated emergency approver, never the author)."""

    @extend_schema(request=EmergencyPostCreateSerializer, responses={201: EmergencyPostSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = valid_body(EmergencyPostCreateSerializer, request, request=request)
        post = emergency_post_create(
            actor=request.user,
            template=data["template"],
            values=data.get("values", {}),
            channels=data["channels"],
            request=request,
        )
        return Response(EmergencyPostSerializer(post).data, status=status.HTTP_201_CREATED)


class EmergencyPostApproveView(APIView):
    """The one approval an emergency post needs: it is scheduled for now and passes every
    pause. Audited as ``editorial.post.emergency_approved``."""

    @extend_schema(request=None, responses=EmergencyPostSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        posts = posts_for_user(request.user).filter(is_emergency=True)
        post = get_object_or_404(posts, pk=pk)
        post = emergency_post_approve(actor=request.user, post=post, request=request)
        return Response(EmergencyPostSerializer(post).data)
