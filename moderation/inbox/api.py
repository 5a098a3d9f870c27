"""REST API of the inbox (``/api/v1/inbox-items/``): the list with the page's filters and
keyset (cursor) pages, one item with its conversation, triage by PATCH and in bulk, notes,
presence. Auditors read; every write needs a community manager of the item's channel (403);
an item on a channel the caller cannot read is 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_views import valid_body
from accounts.http import AuthenticatedRequest
from accounts.input import filter_values
from moderation.inbox.permissions import user_may_act_on_item
from moderation.inbox.permissions import user_may_triage
from moderation.inbox.presence import POLL_SECONDS
from moderation.inbox.presence import presence_leave
from moderation.inbox.presence import presence_touch
from moderation.inbox.presence import presence_viewers
from moderation.inbox.selectors import PAGE_SIZE
from moderation.inbox.selectors import InvalidPageKeyError
from moderation.inbox.selectors import author_earlier_items
from moderation.inbox.selectors import inbox_item_for_user
from moderation.inbox.selectors import inbox_items_for_user
from moderation.inbox.selectors import inbox_page
from moderation.inbox.selectors import item_ancestors
from moderation.inbox.selectors import item_children
from moderation.inbox.selectors import item_flags
from moderation.inbox.selectors import item_notes
from moderation.inbox.selectors import item_revisions
from moderation.inbox.serializers import BulkResultSerializer
from moderation.inbox.serializers import BulkSerializer
from moderation.inbox.serializers import InboxFilterSerializer
from moderation.inbox.serializers import InboxItemDetailSerializer
from moderation.inbox.serializers import InboxItemSerializer
from moderation.inbox.serializers import InboxItemUpdateSerializer
from moderation.inbox.serializers import InboxPageSerializer
from moderation.inbox.serializers import NoteSerializer
from moderation.inbox.serializers import PresenceSerializer
from moderation.inbox.services import inbox_item_assign
from moderation.inbox.services import inbox_item_set_priority
from moderation.inbox.services import inbox_item_set_status
from moderation.inbox.services import inbox_item_snooze
from moderation.inbox.services import inbox_items_bulk_update
from moderation.inbox.services import inbox_note_add
from moderation.models import InboxItem


def _item(request: AuthenticatedRequest, pk: int) -> InboxItem:
    item = inbox_item_for_user(request.user, pk)
    if item is None:
        raise Http404
    return item


def _require_act(request: AuthenticatedRequest, item: InboxItem) -> None:
    if not user_may_act_on_item(request.user, item):
        raise PermissionDenied


def _page_url(request: AuthenticatedRequest, key: str | None, direction: str) -> str | None:
    if key is None:
        return None
    params = request.query_params.copy()
    params.pop("after", None)
    params.pop("before", None)
    params[direction] = key
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


class InboxItemListView(APIView):
    """Items of every channel the caller reads, newest first by (created_at, id), a page at
    a time: follow ``next``/``previous`` (they carry the key; no counts, no offsets)."""

    @extend_schema(
        operation_id="inbox_items_list",
        parameters=[InboxFilterSerializer],
        responses=InboxPageSerializer,
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        # A filter given empty is refused, as on the other lists (DRF would take it as absent).
        filter_values(request.query_params, InboxFilterSerializer().fields)
        params = InboxFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        try:
            _listing, page = inbox_page(
                request.user,
                params.filters(),
                after=data.get("after"),
                before=data.get("before"),
                size=data.get("page_size", PAGE_SIZE),
            )
        except InvalidPageKeyError as error:
            field = "before" if data.get("before") else "after"
            raise serializers.ValidationError(
                {field: [_("This page key is not valid: start again from the first page.")]}
            ) from error
        return Response(
            {
                "next": _page_url(request, page.next_key, "after"),
                "previous": _page_url(request, page.previous_key, "before"),
                "results": InboxItemSerializer(page.items, many=True).data,
            }
        )


def _detail(request: AuthenticatedRequest, item: InboxItem) -> dict[str, Any]:
    conversation = {
        "ancestors": item_ancestors(item),
        "children": item_children(item),
        "earlier": author_earlier_items(item),
        "notes": item_notes(item),
        "revisions": item_revisions(item),
        "flags": item_flags(item),
    }
    item = _item(request, item.pk)
    return dict(InboxItemDetailSerializer(item, context={"conversation": conversation}).data)


class InboxItemDetailView(APIView):
    """One item with its whole text and conversation. PATCH changes any of status,
    priority, assignee/team and snoozed_until (a refused status change is 400
    ``invalid_transition``)."""

    @extend_schema(responses=InboxItemDetailSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(_detail(request, _item(request, pk)))

    @extend_schema(request=InboxItemUpdateSerializer, responses=InboxItemDetailSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        item = _item(request, pk)
        _require_act(request, item)
        data = valid_body(InboxItemUpdateSerializer, request, request=request)
        # All or nothing: a refused snooze does not leave a status change behind.
        with transaction.atomic():
            item = self._apply(request, item, data)
        return Response(_detail(request, item))

    def _apply(
        self, request: AuthenticatedRequest, item: InboxItem, data: dict[str, Any]
    ) -> InboxItem:
        actor = request.user
        if "status" in data:
            item = inbox_item_set_status(
                actor=actor, item=item, status=data["status"], request=request
            )
        if "priority" in data:
            item = inbox_item_set_priority(
                actor=actor, item=item, priority=data["priority"], request=request
            )
        if "assignee" in data or "team" in data:
            item = inbox_item_assign(
                actor=actor,
                item=item,
                assignee=data.get("assignee", item.assignee),
                team=data.get("team", item.team),
                request=request,
            )
        if "snoozed_until" in data:
            item = inbox_item_snooze(
                actor=actor, item=item, until=data["snoozed_until"], request=request
            )
        return item


class InboxItemBulkView(APIView):
    """One change for many items (``action``: status, assign, priority, snooze, with the
    matching field). Items the change does not suit stay as they are and are listed in
    ``refused`` with the reason; each changed item gets its own audit entry."""

    @extend_schema(request=BulkSerializer, responses=BulkResultSerializer)
    def post(self, request: AuthenticatedRequest) -> Response:
        if not user_may_triage(request.user):
            raise PermissionDenied
        data = valid_body(BulkSerializer, request, request=request)
        items = list(inbox_items_for_user(request.user).filter(pk__in=data["items"]))
        if not items:
            raise Http404
        missing = set(data["items"]) - {item.pk for item in items}
        result = inbox_items_bulk_update(
            actor=request.user,
            items=items,
            action=data["action"],
            status=data.get("status"),
            assignee=data.get("assignee"),
            team=data.get("team"),
            priority=data.get("priority"),
            snoozed_until=data.get("snoozed_until"),
            request=request,
        )
        refused = {str(pk): reason for pk, reason in result.refused.items()}
        # Unknown and invisible ids get the same answer.
        refused.update({str(pk): _("Not found.") for pk in sorted(missing)})
        return Response(
            {"changed": result.changed, "unchanged": result.unchanged, "refused": refused}
        )


class InboxNoteListView(APIView):
    """Internal notes of an item, oldest first; POST adds one."""

    @extend_schema(responses=NoteSerializer(many=True))
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        item = _item(request, pk)
        return Response(NoteSerializer(item_notes(item), many=True).data)

    @extend_schema(request=NoteSerializer, responses={201: NoteSerializer})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        item = _item(request, pk)
        _require_act(request, item)
        note = inbox_note_add(
            actor=request.user,
            item=item,
            text=valid_body(NoteSerializer, request)["text"],
            request=request,
        )
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class InboxPresenceView(APIView):
    """Who else has the item open. POST says the caller has it open (for the next 60 s),
    DELETE that the caller closed it."""

    def _answer(self, request: AuthenticatedRequest, pk: int) -> Response:
        viewers = presence_viewers(item_id=pk, exclude_user_id=request.user.pk)
        return Response({"viewers": viewers, "poll_seconds": POLL_SECONDS})

    @extend_schema(responses=PresenceSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        if not inbox_items_for_user(request.user).filter(pk=pk).exists():
            raise Http404
        return self._answer(request, pk)

    @extend_schema(request=None, responses=PresenceSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        if not inbox_items_for_user(request.user).filter(pk=pk).exists():
            raise Http404
        presence_touch(item_id=pk, user=request.user)
        return self._answer(request, pk)

    @extend_schema(request=None, responses=PresenceSerializer)
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        """The caller no longer has the item open."""
        if not inbox_items_for_user(request.user).filter(pk=pk).exists():
            raise Http404
        presence_leave(item_id=pk, user=request.user)
        return self._answer(request, pk)
