"""REST API of posts, channel texts, approvals and discussions (``/api/v1/posts/``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import inline_serializer
from rest_framework import generics
from rest_framework import serializers
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_views import valid_body
from accounts.http import AuthenticatedRequest
from editorial.models import Post
from editorial.posts.preview import post_preview
from editorial.posts.selectors import approval_queue_for_user
from editorial.posts.selectors import channels_for_drafting
from editorial.posts.selectors import post_for_user
from editorial.posts.selectors import post_list_for_user
from editorial.posts.serializers import OFFSET_REQUIRED
from editorial.posts.serializers import CommentSerializer
from editorial.posts.serializers import CommentWriteSerializer
from editorial.posts.serializers import PostActionTextSerializer
from editorial.posts.serializers import PostPreviewSerializer
from editorial.posts.serializers import PostSerializer
from editorial.posts.serializers import PostUpdateSerializer
from editorial.posts.serializers import PostWriteSerializer
from editorial.posts.serializers import VariantUpdateSerializer
from editorial.posts.serializers import _has_offset
from editorial.posts.services import post_approve
from editorial.posts.services import post_comment_add
from editorial.posts.services import post_create
from editorial.posts.services import post_reject
from editorial.posts.services import post_reopen
from editorial.posts.services import post_reschedule
from editorial.posts.services import post_submit
from editorial.posts.services import post_update
from editorial.posts.services import post_withdraw
from editorial.posts.services import variant_update
from editorial.posts.validation import post_problems


def _post_read(request: AuthenticatedRequest, post: Post) -> Response:
    post = (
        post_list_for_user(request.user)
        .prefetch_related("approvals", "post_media", "variants__variant_media")
        .get(pk=post.pk)
    )
    return Response(PostSerializer(post).data)


class PostListView(generics.ListAPIView):
    """Posts of the user's units. POST creates a draft (editors)."""

    serializer_class = PostSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Post]:
        posts = post_list_for_user(self.request.user).prefetch_related(
            "approvals", "post_media", "variants__variant_media"
        )
        status_filter = self.request.query_params.get("status")
        if status_filter:
            posts = posts.filter(status=status_filter)
        return posts.order_by("planned_at", "id")

    @extend_schema(request=PostWriteSerializer, responses={201: PostSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = valid_body(PostWriteSerializer, request, request=request)
        post = post_create(
            actor=request.user,
            unit=data["unit"],
            title=data["title"],
            text=data.get("text", ""),
            website_link=data.get("website_link", ""),
            content_warning=data.get("content_warning", ""),
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
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return _post_read(request, post_for_user(request.user, pk))

    @extend_schema(request=PostUpdateSerializer, responses=PostSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        post = post_for_user(request.user, pk)
        serializer = PostUpdateSerializer(
            data=request.data, context={"request": request}, partial=True
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        channels = data.pop("channels", None)
        media = data.pop("media", None)
        post_update(
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
        "seen_hash": serializers.CharField(required=False),
        "planned_at": serializers.DateTimeField(required=False),
    },
)


class PostActionView(APIView):
    """submit, approve (comment), reject (reason), withdraw (reason), reopen,
    reschedule (planned_at with offset)."""

    @extend_schema(request=ACTION_REQUEST, responses=PostSerializer, operation_id="posts_action")
    def post(self, request: AuthenticatedRequest, pk: int, action: str) -> Response:
        user = request.user
        post = post_for_user(user, pk)
        data = request.data if isinstance(request.data, dict) else {}
        texts = PostActionTextSerializer(data=data)
        texts.is_valid(raise_exception=True)
        comment, reason = texts.validated_data["comment"], texts.validated_data["reason"]
        if action == "submit":
            post_submit(actor=user, post=post, request=request)
        elif action == "approve":
            post_approve(
                actor=user,
                post=post,
                comment=comment,
                seen_hash=texts.validated_data["seen_hash"],
                request=request,
            )
        elif action == "reject":
            post_reject(actor=user, post=post, reason=reason, request=request)
        elif action == "withdraw":
            post_withdraw(actor=user, post=post, reason=reason, request=request)
        elif action == "reopen":
            post_reopen(actor=user, post=post, request=request)
        elif action == "reschedule":
            raw = data.get("planned_at")
            if not _has_offset(raw):
                raise ValidationError({"planned_at": [OFFSET_REQUIRED]})
            planned_at = serializers.DateTimeField().to_internal_value(str(raw))
            post_reschedule(actor=user, post=post, planned_at=planned_at, request=request)
        else:
            return Response(status=status.HTTP_404_NOT_FOUND)
        return _post_read(request, post)


class VariantDetailView(APIView):
    @extend_schema(request=VariantUpdateSerializer, responses=PostSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int, variant_pk: int) -> Response:
        post = post_for_user(request.user, pk)
        variant = get_object_or_404(post.variants, pk=variant_pk)
        data = valid_body(VariantUpdateSerializer, request)
        variant_update(
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
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        post = post_for_user(request.user, pk)
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


class PostPreviewView(APIView):
    """Each channel as the citizen will see it, and the content hash an approval binds."""

    @extend_schema(responses=PostPreviewSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        post = post_for_user(request.user, pk)
        return Response(PostPreviewSerializer(post_preview(post)).data)


class PostCommentsView(APIView):
    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        post = post_for_user(request.user, pk)
        comments = post.comments.prefetch_related("mentions")
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(request=CommentWriteSerializer, responses={201: CommentSerializer})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        post = post_for_user(request.user, pk)
        fields = CommentWriteSerializer(data=request.data)
        fields.is_valid(raise_exception=True)
        comment = post_comment_add(
            actor=request.user,
            post=post,
            text=fields.validated_data["text"],
            request=request,
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class ApprovalQueueView(generics.ListAPIView):
    """Posts waiting for the user's approval."""

    serializer_class = PostSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Post]:
        return approval_queue_for_user(self.request.user).prefetch_related(
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
    def get(self, request: AuthenticatedRequest) -> Response:
        channels = channels_for_drafting(request.user)
        return Response([{"id": c.pk, "name": c.name, "platform": c.platform} for c in channels])
