"""REST API of posts, channel texts, approvals and discussions (``/api/v1/posts/``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from editorial.models import Post
from editorial.posts.selectors import (
    approval_queue_for_user,
    channels_for_drafting,
    post_for_user,
    post_list_for_user,
)
from editorial.posts.serializers import (
    OFFSET_REQUIRED,
    CommentSerializer,
    PostSerializer,
    PostUpdateSerializer,
    PostWriteSerializer,
    VariantUpdateSerializer,
    _has_offset,
)
from editorial.posts.services import (
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
from editorial.posts.status import TransitionError
from editorial.posts.validation import post_problems


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
