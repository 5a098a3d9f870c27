"""REST API of replies (``/api/v1/inbox-items/<id>/replies/``, ``/api/v1/replies/…``,
``/api/v1/saved-replies/``). Auditors read; community managers write. Items, replies and
saved replies of other authorities answer 404."""

from __future__ import annotations

from typing import Any
from typing import cast

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.response import Response

from accounts.api_views import ObjectActionView
from accounts.api_views import valid_body
from accounts.http import AuthenticatedRequest
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.replies.permissions import user_may_change_saved_reply
from moderation.replies.selectors import items_for_reading
from moderation.replies.selectors import replies_for_user
from moderation.replies.selectors import replies_of_item
from moderation.replies.selectors import saved_replies_for_item
from moderation.replies.selectors import saved_replies_for_user
from moderation.replies.serializers import RejectSerializer
from moderation.replies.serializers import ReplyCreateSerializer
from moderation.replies.serializers import ReplySerializer
from moderation.replies.serializers import ResolveSerializer
from moderation.replies.serializers import SavedReplySerializer
from moderation.replies.services import reply_approve
from moderation.replies.services import reply_create
from moderation.replies.services import reply_reject
from moderation.replies.services import reply_resolve
from moderation.replies.services import reply_retry
from moderation.replies.services import saved_reply_create
from moderation.replies.services import saved_reply_delete
from moderation.replies.services import saved_reply_update


def _item(request: AuthenticatedRequest, pk: int) -> InboxItem:
    return get_object_or_404(items_for_reading(request.user), pk=pk)


def _reply(request: AuthenticatedRequest, pk: int) -> Reply:
    return get_object_or_404(replies_for_user(request.user), pk=pk)


class ItemReplyListView(generics.ListAPIView):
    """The item's replies, oldest first. POST writes one: it is sent at once, or waits for
    the approval of another community manager where the unit asks for four eyes."""

    serializer_class = ReplySerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Reply]:
        return replies_of_item(_item(self.request, self.kwargs["item_pk"]))

    @extend_schema(request=ReplyCreateSerializer, responses={201: ReplySerializer})
    def post(self, request: AuthenticatedRequest, item_pk: int) -> Response:
        item = _item(request, item_pk)
        data = valid_body(ReplyCreateSerializer, request)
        saved = None
        saved_id = data.get("saved_reply")
        if saved_id:
            saved = saved_replies_for_item(request.user, item).filter(pk=saved_id).first()
            if saved is None:
                raise ValidationError({"saved_reply": _("Unknown saved reply.")})
        reply = reply_create(
            actor=request.user,
            item=item,
            text=data["text"],
            saved_reply=saved,
            request=request,
        )
        return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)


class ReplyDetailView(generics.RetrieveAPIView):
    serializer_class = ReplySerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Reply]:
        return replies_for_user(self.request.user)


class _ReplyActionView(ObjectActionView[Reply]):
    answer = ReplySerializer

    def target(self, pk: int) -> Reply:
        return _reply(self.request, pk)

    def respond(self, result: Reply) -> Response:
        reply = Reply.objects.select_related("author", "approved_by", "rejected_by").get(
            pk=result.pk
        )
        return Response(ReplySerializer(reply).data)


class ReplyApproveView(_ReplyActionView):
    """Four eyes: another community manager of the channel (never the author) lets the
    reply go out."""

    def act(self, target: Reply, data: dict[str, Any]) -> Reply:
        return reply_approve(actor=self.request.user, reply=target, request=self.request)


class ReplyRejectView(_ReplyActionView):
    """Send the reply back with a reason; its text is kept."""

    body = RejectSerializer

    def act(self, target: Reply, data: dict[str, Any]) -> Reply:
        return reply_reject(
            actor=self.request.user, reply=target, reason=data["reason"], request=self.request
        )


class ReplyRetryView(_ReplyActionView):
    """Send a FAILED reply again, with the same idempotency key."""

    def act(self, target: Reply, data: dict[str, Any]) -> Reply:
        return reply_retry(actor=self.request.user, reply=target, request=self.request)


class ReplyResolveView(_ReplyActionView):
    """After NEEDS_CHECK: a person looked at the platform. ``found`` true marks the reply
    sent; false sends it again."""

    body = ResolveSerializer

    def act(self, target: Reply, data: dict[str, Any]) -> Reply:
        return reply_resolve(
            actor=self.request.user,
            reply=target,
            found=data["found"],
            remote_url=data["remote_url"],
            request=self.request,
        )


class SavedReplyListView(generics.ListCreateAPIView):
    """The user's private saved replies and the shared ones of their units. Placeholders:
    {name}, {handle}, {channel}, {unit}, {netiquette_url}, {impressum_url}, {privacy_url};
    others are refused."""

    serializer_class = SavedReplySerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[SavedReply]:
        return saved_replies_for_user(self.request.user)

    def perform_create(self, serializer: SavedReplySerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        serializer.instance = saved_reply_create(
            actor=self.request.user,
            unit=data["unit"],
            title=data["title"],
            text=data["text"],
            shared=data.get("shared", True),
            purpose=data.get("purpose", ""),
            request=self.request,
        )


class SavedReplyDetailView(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = SavedReplySerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[SavedReply]:
        return saved_replies_for_user(self.request.user)

    def get_object(self) -> SavedReply:
        saved = super().get_object()
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not (
            user_may_change_saved_reply(self.request.user, saved)
        ):
            raise PermissionDenied
        return saved

    def perform_update(self, serializer: SavedReplySerializer) -> None:  # type: ignore[override]
        fields: dict[str, Any] = dict(serializer.validated_data)
        # An update's serializer always holds the object get_object() found.
        saved = cast(SavedReply, serializer.instance)
        serializer.instance = saved_reply_update(
            actor=self.request.user, saved=saved, request=self.request, **fields
        )

    def perform_destroy(self, instance: SavedReply) -> None:
        saved_reply_delete(actor=self.request.user, saved=instance, request=self.request)
