"""REST API for posts, variants, approvals and the editor's check, with the permissions and
validation of the UI (the same services). Times are ISO 8601 with an offset: an API client
states the instant, so there is no daylight-saving ambiguity."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import OrgUnit, User
from channels_app.models import Channel
from editorial.models import Approval, MediaAsset, Post, PostComment, PostVariant, Topic
from editorial.selectors import (
    approval_queue_for_user,
    channels_for_drafting,
    post_list_for_user,
    units_for_authoring,
)
from editorial.services import (
    post_approve,
    post_comment_add,
    post_create,
    post_reject,
    post_reopen,
    post_reschedule,
    post_submit,
    post_update,
    post_withdraw,
    variant_update,
)
from editorial.status import TransitionError
from editorial.validation import post_problems
from editorial.views import post_for_user


def _has_offset(raw: object) -> bool:
    """An API time must name its instant: ``Z`` or an offset after the date part."""
    text = str(raw or "")
    return text.endswith("Z") or "+" in text[10:] or "-" in text[10:]


OFFSET_REQUIRED = _("Give the time with its offset, e.g. 2026-12-01T09:00:00+01:00.")


def _call(function: Any, **kwargs: Any) -> Any:
    """Run a service; domain errors become 400/403 answers with their messages."""
    try:
        return function(**kwargs)
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error) or None) from None
    except DjangoValidationError as error:
        raise ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from None
    except TransitionError as error:
        raise ValidationError([error.message]) from None


class VariantSerializer(serializers.ModelSerializer):
    media = serializers.SerializerMethodField()

    class Meta:
        model = PostVariant
        fields = [
            "id",
            "channel",
            "text_override",
            "media_override",
            "media",
            "status",
            "scheduled_at",
            "published_at",
            "remote_id",
            "remote_url",
            "last_error",
        ]

    def get_media(self, variant: PostVariant) -> list[int]:
        return [vm.asset_id for vm in variant.variant_media.all()]


class ApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Approval
        fields = ["approver", "decision", "comment", "content_hash", "created_at", "is_current"]


class PostSerializer(serializers.ModelSerializer):
    variants = VariantSerializer(many=True, read_only=True)
    approvals = ApprovalSerializer(many=True, read_only=True)
    media = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "unit",
            "title",
            "text",
            "website_link",
            "topic",
            "planned_at",
            "status",
            "author",
            "media",
            "variants",
            "approvals",
            "approved_hash",
            "approved_at",
            "rejection_reason",
            "is_emergency",
            "created_at",
            "updated_at",
        ]

    def get_media(self, post: Post) -> list[int]:
        return [pm.asset_id for pm in post.post_media.all()]


class PostWriteSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(required=False, allow_blank=True)
    website_link = serializers.URLField(required=False, allow_blank=True, max_length=500)
    topic = serializers.PrimaryKeyRelatedField(
        queryset=Topic.objects.all(), required=False, allow_null=True
    )
    planned_at = serializers.DateTimeField(required=False, allow_null=True)
    channels = serializers.PrimaryKeyRelatedField(
        queryset=Channel.objects.all(), many=True, required=False
    )
    media = serializers.PrimaryKeyRelatedField(
        queryset=MediaAsset.objects.all(), many=True, required=False
    )

    def validate_planned_at(self, value: Any) -> Any:
        raw = self.initial_data.get("planned_at")
        if raw and not _has_offset(raw):
            raise ValidationError(OFFSET_REQUIRED)
        return value

    def validate_unit(self, unit: OrgUnit) -> OrgUnit:
        if not units_for_authoring(self.context["request"].user).filter(pk=unit.pk).exists():
            raise ValidationError(_("Unknown unit."))
        return unit


class PostUpdateSerializer(PostWriteSerializer):
    unit = None  # type: ignore[assignment]
    title = serializers.CharField(max_length=200, required=False)


def _post_read(request: Request, post: Post) -> Response:
    post = (
        post_list_for_user(request.user)
        .prefetch_related(  # type: ignore[arg-type]
            "approvals", "post_media", "variants__variant_media"
        )
        .get(pk=post.pk)
    )
    return Response(PostSerializer(post).data)


class PostListView(generics.ListAPIView):
    """Posts of the user's units. POST creates a draft (editors)."""

    serializer_class = PostSerializer

    def get_queryset(self) -> QuerySet[Post]:
        posts = post_list_for_user(self.request.user).prefetch_related(  # type: ignore[arg-type]
            "approvals", "post_media", "variants__variant_media"
        )
        status_filter = self.request.query_params.get("status")
        if status_filter:
            posts = posts.filter(status=status_filter)
        return posts.order_by("planned_at", "id")

    @extend_schema(request=PostWriteSerializer, responses={201: PostSerializer})
    def post(self, request: Request) -> Response:
        serializer = PostWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        post = _call(
            post_create,
            actor=request.user,
            unit=data["unit"],
            title=data["title"],
            text=data.get("text", ""),
            website_link=data.get("website_link", ""),
            topic=data.get("topic"),
            planned_at=data.get("planned_at"),
            channels=data.get("channels", []),
            media_ids=[a.pk for a in data.get("media", [])],
            request=request,
        )
        response = _post_read(request, post)
        response.status_code = status.HTTP_201_CREATED
        return response


class PostDetailView(APIView):
    @extend_schema(responses=PostSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _post_read(request, post_for_user(request.user, pk))  # type: ignore[arg-type]

    @extend_schema(request=PostUpdateSerializer, responses=PostSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        post = post_for_user(request.user, pk)  # type: ignore[arg-type]
        serializer = PostUpdateSerializer(
            data=request.data, context={"request": request}, partial=True
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        channels = data.pop("channels", None)
        media = data.pop("media", None)
        _call(
            post_update,
            actor=request.user,
            post=post,
            request=request,
            channels=channels,
            media_ids=[a.pk for a in media] if media is not None else None,
            **data,
        )
        return _post_read(request, post)


ACTION_REQUEST = inline_serializer(
    "PostActionRequest",
    {
        "comment": serializers.CharField(required=False),
        "reason": serializers.CharField(required=False),
        "planned_at": serializers.DateTimeField(required=False),
    },
)


class PostActionView(APIView):
    """submit, approve (comment), reject (reason), withdraw (reason), reopen,
    reschedule (planned_at with offset)."""

    @extend_schema(request=ACTION_REQUEST, responses=PostSerializer, operation_id="posts_action")
    def post(self, request: Request, pk: int, action: str) -> Response:
        user: User = request.user  # type: ignore[assignment]
        post = post_for_user(user, pk)
        data = request.data
        if action == "submit":
            _call(post_submit, actor=user, post=post, request=request)
        elif action == "approve":
            _call(
                post_approve,
                actor=user,
                post=post,
                comment=str(data.get("comment", "")),
                request=request,
            )
        elif action == "reject":
            _call(
                post_reject,
                actor=user,
                post=post,
                reason=str(data.get("reason", "")),
                request=request,
            )
        elif action == "withdraw":
            _call(
                post_withdraw,
                actor=user,
                post=post,
                reason=str(data.get("reason", "")),
                request=request,
            )
        elif action == "reopen":
            _call(post_reopen, actor=user, post=post, request=request)
        elif action == "reschedule":
            raw = data.get("planned_at")
            if not _has_offset(raw):
                raise ValidationError({"planned_at": [OFFSET_REQUIRED]})
            planned_at = serializers.DateTimeField().to_internal_value(str(raw))
            _call(post_reschedule, actor=user, post=post, planned_at=planned_at, request=request)
        else:
            return Response(status=status.HTTP_404_NOT_FOUND)
        return _post_read(request, post)


class VariantUpdateSerializer(serializers.Serializer):
    text_override = serializers.CharField(allow_blank=True)
    media_override = serializers.BooleanField(default=False)
    media = serializers.PrimaryKeyRelatedField(
        queryset=MediaAsset.objects.all(), many=True, required=False
    )


class VariantDetailView(APIView):
    @extend_schema(request=VariantUpdateSerializer, responses=PostSerializer)
    def patch(self, request: Request, pk: int, variant_pk: int) -> Response:
        post = post_for_user(request.user, pk)  # type: ignore[arg-type]
        variant = get_object_or_404(post.variants, pk=variant_pk)
        serializer = VariantUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _call(
            variant_update,
            actor=request.user,
            variant=variant,
            text_override=data["text_override"],
            media_override=data["media_override"],
            media_ids=[a.pk for a in data.get("media", [])],
            request=request,
        )
        return _post_read(request, post)


PROBLEMS = inline_serializer(
    "PostProblem",
    many=True,
    fields={
        "code": serializers.CharField(),
        "field": serializers.CharField(),
        "message": serializers.CharField(),
        "severity": serializers.CharField(),
        "channel": serializers.IntegerField(allow_null=True),
    },
)


class PostProblemsView(APIView):
    """Everything that stops the post (errors) or deserves a look (warnings), per channel."""

    @extend_schema(responses=PROBLEMS)
    def get(self, request: Request, pk: int) -> Response:
        post = post_for_user(request.user, pk)  # type: ignore[arg-type]
        return Response(
            [
                {
                    "code": p.code,
                    "field": p.field,
                    "message": p.message,
                    "severity": p.severity,
                    "channel": p.channel_id,
                }
                for p in post_problems(post)
            ]
        )


class CommentSerializer(serializers.ModelSerializer):
    mentions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PostComment
        fields = ["id", "author", "text", "mentions", "created_at"]
        read_only_fields = ["id", "author", "mentions", "created_at"]


class PostCommentsView(APIView):
    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        post = post_for_user(request.user, pk)  # type: ignore[arg-type]
        comments = post.comments.prefetch_related("mentions")
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(request=CommentSerializer, responses={201: CommentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        post = post_for_user(request.user, pk)  # type: ignore[arg-type]
        comment = _call(
            post_comment_add,
            actor=request.user,
            post=post,
            text=str(request.data.get("text", "")),
            request=request,
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class ApprovalQueueView(generics.ListAPIView):
    """Posts waiting for the user's approval."""

    serializer_class = PostSerializer

    def get_queryset(self) -> QuerySet[Post]:
        return approval_queue_for_user(self.request.user).prefetch_related(  # type: ignore[arg-type]
            "approvals", "post_media", "variants__variant_media"
        )


class DraftingChannelsView(APIView):
    """The channels the user may post on (for clients building an editor)."""

    @extend_schema(
        responses=inline_serializer(
            "DraftingChannel",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "platform": serializers.CharField(),
            },
            many=True,
        )
    )
    def get(self, request: Request) -> Response:
        channels = channels_for_drafting(request.user)  # type: ignore[arg-type]
        return Response([{"id": c.pk, "name": c.name, "platform": c.platform} for c in channels])
