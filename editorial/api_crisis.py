"""REST API of crisis mode: pauses, missed posts after a pause, emergency posts.

Same rules as the pages: a pause that does not concern the user answers 404, an action the
user may see but not do answers 403, and every change goes through ``editorial.crisis``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import OrgUnit, User
from accounts.selectors import units_visible_to
from channels_app.models import Channel
from channels_app.selectors import channels_for_user
from editorial.crisis import (
    emergency_post_approve,
    emergency_post_create,
    emergency_templates_for_user,
    missed_post_discard,
    missed_post_reschedule,
    missed_posts,
    pause_end,
    pause_scope_label,
    pause_start,
    pauses_for_user,
)
from editorial.models import Post, PostTemplate, PublishingPause
from editorial.selectors import channels_for_drafting, posts_for_user
from editorial.status import TransitionError


def _drf(error: DjangoValidationError) -> ValidationError:
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


@contextmanager
def _domain_errors() -> Iterator[None]:
    """Translate the domain's errors into DRF's answers (403, 400)."""
    try:
        yield
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error) or None) from None
    except DjangoValidationError as error:
        raise _drf(error) from None
    except TransitionError as error:
        raise ValidationError(error.message) from None


class PauseSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), allow_null=True, required=False
    )
    channel = serializers.PrimaryKeyRelatedField(
        queryset=Channel.objects.all(), allow_null=True, required=False
    )
    scope = serializers.SerializerMethodField()
    active = serializers.SerializerMethodField()
    started_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    ended_by = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = PublishingPause
        fields = [
            "id",
            "unit",
            "channel",
            "scope",
            "reason",
            "active",
            "started_by",
            "started_at",
            "ended_by",
            "ended_at",
        ]
        read_only_fields = ["id", "started_by", "started_at", "ended_by", "ended_at"]

    def get_scope(self, pause: PublishingPause) -> str:
        return pause_scope_label(pause)

    def get_active(self, pause: PublishingPause) -> bool:
        return pause.ended_at is None

    # Unknown and foreign ids get the same answer: no hint about other authorities. A unit or
    # channel the user can see but may not pause is refused by the service (403).
    def validate_unit(self, unit: OrgUnit | None) -> OrgUnit | None:
        user = self.context["request"].user
        if unit is not None and not _visible_unit(user, unit):
            raise ValidationError(_("Unknown unit."))
        return unit

    def validate_channel(self, channel: Channel | None) -> Channel | None:
        user = self.context["request"].user
        if channel is not None and not _visible_channel(user, channel):
            raise ValidationError(_("Unknown channel."))
        return channel


def _visible_unit(user: User, unit: OrgUnit) -> bool:
    return units_visible_to(user).filter(pk=unit.pk).exists()


def _visible_channel(user: User, channel: Channel) -> bool:
    return channels_for_user(user).filter(pk=channel.pk).exists()


class PauseListView(generics.ListCreateAPIView):
    """Active and past pauses that concern the user. Approvers, channel admins and system
    admins start one for a channel, a unit (with everything below it) or a whole authority
    (its top-level unit); both empty pauses the whole installation (operators only)."""

    serializer_class = PauseSerializer

    def get_queryset(self) -> QuerySet[PublishingPause]:
        return pauses_for_user(_user(self.request))

    def perform_create(self, serializer: PauseSerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        with _domain_errors():
            serializer.instance = pause_start(
                actor=_user(self.request),
                reason=data.get("reason", ""),
                unit=data.get("unit"),
                channel=data.get("channel"),
                request=self.request,
            )


class PauseDetailView(generics.RetrieveAPIView):
    serializer_class = PauseSerializer

    def get_queryset(self) -> QuerySet[PublishingPause]:
        return pauses_for_user(_user(self.request))


class PauseResumeView(APIView):
    """End the pause. What was due during it is not sent late: see ``missed/``."""

    @extend_schema(request=None, responses=PauseSerializer)
    def post(self, request: Request, pk: int) -> Response:
        pause = get_object_or_404(pauses_for_user(_user(request)), pk=pk)
        with _domain_errors():
            pause_end(actor=_user(request), pause=pause, request=request)
        pause.refresh_from_db()
        return Response(PauseSerializer(pause, context={"request": request}).data)


class MissedPostSerializer(serializers.ModelSerializer):
    channels = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "title", "status", "planned_at", "unit", "channels"]

    def get_channels(self, post: Post) -> list[int]:
        return [variant.channel_id for variant in post.variants.all()]


def _missed(request: Request, pk: int) -> tuple[PublishingPause, QuerySet[Post]]:
    pause = get_object_or_404(pauses_for_user(_user(request)), pk=pk)
    visible = posts_for_user(_user(request)).values("pk")
    return pause, missed_posts(pause).filter(pk__in=visible)


class MissedPostListView(generics.ListAPIView):
    """Posts due during the pause that did not go out; each waits to be rescheduled or
    discarded and is never published late on its own."""

    serializer_class = MissedPostSerializer

    def get_queryset(self) -> QuerySet[Post]:
        return _missed(self.request, self.kwargs["pk"])[1]


class RescheduleSerializer(serializers.Serializer):
    planned_at = serializers.DateTimeField(help_text="ISO 8601 with offset, in the future")

    def validate_planned_at(self, value: Any) -> Any:
        if value.tzinfo is None:
            raise ValidationError(_("Give the time with its offset, e.g. +02:00."))
        return value


class DiscardSerializer(serializers.Serializer):
    reason = serializers.CharField()


class MissedPostRescheduleView(APIView):
    @extend_schema(request=RescheduleSerializer, responses=MissedPostSerializer)
    def post(self, request: Request, pk: int, post_pk: int) -> Response:
        post = get_object_or_404(_missed(request, pk)[1], pk=post_pk)
        serializer = RescheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with _domain_errors():
            post = missed_post_reschedule(
                actor=_user(request),
                post=post,
                planned_at=serializer.validated_data["planned_at"],
                request=request,
            )
        return Response(MissedPostSerializer(post).data)


class MissedPostDiscardView(APIView):
    @extend_schema(request=DiscardSerializer, responses=MissedPostSerializer)
    def post(self, request: Request, pk: int, post_pk: int) -> Response:
        post = get_object_or_404(_missed(request, pk)[1], pk=post_pk)
        serializer = DiscardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with _domain_errors():
            post = missed_post_discard(
                actor=_user(request),
                post=post,
                reason=serializer.validated_data["reason"],
                request=request,
            )
        return Response(MissedPostSerializer(post).data)


class EmergencyPostCreateSerializer(serializers.Serializer):
    template = serializers.PrimaryKeyRelatedField(queryset=PostTemplate.objects.all())
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="One value per {placeholder} of the template",
    )
    channels = serializers.PrimaryKeyRelatedField(queryset=Channel.objects.all(), many=True)

    def validate_template(self, template: PostTemplate) -> PostTemplate:
        user = self.context["request"].user
        if not emergency_templates_for_user(user).filter(pk=template.pk).exists():
            raise ValidationError(_("Unknown emergency template."))
        return template

    def validate_channels(self, channels: list[Channel]) -> list[Channel]:
        user = self.context["request"].user
        allowed = set(channels_for_drafting(user).values_list("pk", flat=True))
        if any(channel.pk not in allowed for channel in channels):
            raise ValidationError(_("You may not post on one of these channels."))
        return channels


class EmergencyPostSerializer(serializers.ModelSerializer):
    channels = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "title",
            "text",
            "status",
            "planned_at",
            "unit",
            "is_emergency",
            "template",
            "channels",
        ]

    def get_channels(self, post: Post) -> list[int]:
        return [variant.channel_id for variant in post.variants.all()]


class EmergencyPostCreateView(APIView):
    """Fill an emergency template and send it to the chosen channels for one emergency
    approval (by a designated emergency approver, never the author)."""

    @extend_schema(request=EmergencyPostCreateSerializer, responses={201: EmergencyPostSerializer})
    def post(self, request: Request) -> Response:
        serializer = EmergencyPostCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with _domain_errors():
            post = emergency_post_create(
                actor=_user(request),
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
    def post(self, request: Request, pk: int) -> Response:
        posts = posts_for_user(_user(request)).filter(is_emergency=True)
        post = get_object_or_404(posts, pk=pk)
        with _domain_errors():
            post = emergency_post_approve(actor=_user(request), post=post, request=request)
        return Response(EmergencyPostSerializer(post).data)
