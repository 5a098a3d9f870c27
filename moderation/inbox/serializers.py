"""Serializers of the inbox API. Citizens' text and names go out exactly as stored (JSON
needs no HTML escaping; a client that renders them escapes them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.fields import IdField
from accounts.fields import UnitField
from accounts.input import parse_int
from accounts.models import User
from moderation.inbox.selectors import ASSIGNEE_ME
from moderation.inbox.selectors import ASSIGNEE_UNASSIGNED
from moderation.inbox.selectors import STATUS_ACTIVE
from moderation.inbox.selectors import STATUS_SNOOZED
from moderation.inbox.selectors import InboxFilters
from moderation.inbox.selectors import response_state
from moderation.inbox.services import BULK_ACTIONS
from moderation.inbox.services import NOTE_MAX_CHARS
from moderation.models import Author
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InternalNote
from moderation.models import ItemRevision

S = InboxItem.Status


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["id", "remote_id", "handle", "display_name", "profile_url", "pseudonymised_at"]


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Flag
        fields = [
            "id",
            "kind",
            "code",
            "explanation",
            "evidence",
            "score",
            "created_at",
            "dismissed_at",
        ]


class ListFlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Flag
        fields = ["id", "kind", "code", "explanation"]


def _name(user: User | None) -> str | None:
    return (user.get_full_name() or user.email) if user is not None else None


class InboxItemSerializer(serializers.ModelSerializer):
    """A row of the list: the start of the text (``excerpt``), not all of it."""

    channel_name = serializers.SerializerMethodField()
    author = AuthorSerializer()
    excerpt = serializers.SerializerMethodField()
    assignee_name = serializers.SerializerMethodField()
    team_name = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
    response_state = serializers.SerializerMethodField(
        help_text="breached, due or empty (no deadline, or settled)"
    )

    class Meta:
        model = InboxItem
        fields = [
            "id",
            "channel",
            "channel_name",
            "kind",
            "remote_id",
            "url",
            "author",
            "excerpt",
            "created_at",
            "status",
            "priority",
            "assignee",
            "assignee_name",
            "team",
            "team_name",
            "snoozed_until",
            "response_due_at",
            "response_state",
            "flags",
            "variant",
            "parent",
            "remote_deleted_at",
            "edited_at",
        ]

    def get_channel_name(self, item: InboxItem) -> str:
        info = getattr(item, "channel_info", None)
        return info.name if info is not None else item.channel.name

    def get_excerpt(self, item: InboxItem) -> str:
        return str(getattr(item, "excerpt", None) or item.text[:280])

    def get_assignee_name(self, item: InboxItem) -> str | None:
        return _name(item.assignee)

    def get_team_name(self, item: InboxItem) -> str | None:
        return item.team.name if item.team is not None else None

    def get_flags(self, item: InboxItem) -> list[dict[str, Any]]:
        flags = getattr(item, "active_flags", None)
        if flags is None:
            flags = item.flags.filter(dismissed_at__isnull=True)
        return list(ListFlagSerializer(flags, many=True).data)

    def get_response_state(self, item: InboxItem) -> str:
        return response_state(item)


class ThreadItemSerializer(serializers.ModelSerializer):
    author = AuthorSerializer()

    class Meta:
        model = InboxItem
        fields = ["id", "author", "text", "created_at", "status", "url", "remote_deleted_at"]


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    text = serializers.CharField(max_length=NOTE_MAX_CHARS)

    class Meta:
        model = InternalNote
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = ["id", "author", "created_at"]

    def get_author(self, note: InternalNote) -> str | None:
        return _name(note.author)


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemRevision
        fields = ["id", "change", "previous_text", "recorded_at"]


class PostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    variant = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class InboxItemDetailSerializer(InboxItemSerializer):
    """One item with all of its text and its conversation (set by the view in
    ``context["conversation"]``)."""

    text = serializers.CharField()
    post = serializers.SerializerMethodField()
    ancestors = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    earlier_items = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    revisions = serializers.SerializerMethodField()
    all_flags = serializers.SerializerMethodField()

    class Meta(InboxItemSerializer.Meta):
        fields = [
            *InboxItemSerializer.Meta.fields,
            "text",
            "closed_at",
            "first_responded_at",
            "post",
            "ancestors",
            "children",
            "earlier_items",
            "notes",
            "revisions",
            "all_flags",
        ]

    def _part(self, name: str) -> Any:
        return self.context.get("conversation", {}).get(name, [])

    def get_excerpt(self, item: InboxItem) -> str:
        return item.text[:280]

    def get_post(self, item: InboxItem) -> dict[str, Any] | None:
        variant = item.variant
        if variant is None:
            return None
        return {
            "id": variant.post_id,
            "variant": variant.pk,
            "title": variant.post.title,
            "text": variant.text_override or variant.post.text,
            "url": variant.remote_url,
        }

    def get_ancestors(self, item: InboxItem) -> list[dict[str, Any]]:
        return list(ThreadItemSerializer(self._part("ancestors"), many=True).data)

    def get_children(self, item: InboxItem) -> list[dict[str, Any]]:
        return list(ThreadItemSerializer(self._part("children"), many=True).data)

    def get_earlier_items(self, item: InboxItem) -> list[dict[str, Any]]:
        return [
            {"id": i.pk, "excerpt": i.excerpt, "created_at": i.created_at, "status": i.status}
            for i in self._part("earlier")
        ]

    def get_notes(self, item: InboxItem) -> list[dict[str, Any]]:
        return list(NoteSerializer(self._part("notes"), many=True).data)

    def get_revisions(self, item: InboxItem) -> list[dict[str, Any]]:
        return list(RevisionSerializer(self._part("revisions"), many=True).data)

    def get_all_flags(self, item: InboxItem) -> list[dict[str, Any]]:
        return list(FlagSerializer(self._part("flags"), many=True).data)


class InboxItemUpdateSerializer(serializers.Serializer):
    """What PATCH changes; fields left out stay as they are."""

    status = serializers.ChoiceField(choices=S.choices, required=False)
    priority = serializers.ChoiceField(choices=InboxItem.Priority.choices, required=False)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )
    team = UnitField(allow_null=True, required=False)
    snoozed_until = serializers.DateTimeField(
        allow_null=True, required=False, help_text="ISO 8601 with offset; null wakes it now"
    )

    def validate_snoozed_until(self, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise serializers.ValidationError(_("Give the time with its offset, e.g. +01:00."))
        return value


class BulkSerializer(InboxItemUpdateSerializer):
    items = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1)
    action = serializers.ChoiceField(choices=list(BULK_ACTIONS))


class BulkResultSerializer(serializers.Serializer):
    changed = serializers.ListField(child=serializers.IntegerField())
    unchanged = serializers.ListField(child=serializers.IntegerField())
    refused = serializers.DictField(child=serializers.CharField(), help_text="item id → reason")


class PresenceSerializer(serializers.Serializer):
    viewers = serializers.ListField(child=serializers.CharField(), help_text="Others' names")
    poll_seconds = serializers.IntegerField()


STATUS_FILTERS = [STATUS_ACTIVE, STATUS_SNOOZED, *S.values]


class InboxFilterSerializer(serializers.Serializer):
    """Query parameters of the list (all optional). ``channel`` may repeat."""

    q = serializers.CharField(required=False, max_length=200, help_text="Text, author or handle")
    channel = serializers.ListField(child=IdField(), required=False)
    unit = IdField(required=False)
    status = serializers.ChoiceField(
        choices=STATUS_FILTERS,
        required=False,
        help_text="A status, 'active' (new, open, pending) or 'snoozed'; without 'snoozed'"
        " snoozed items are left out",
    )
    assignee = serializers.CharField(
        required=False, help_text=f"'{ASSIGNEE_ME}', '{ASSIGNEE_UNASSIGNED}' or a user id"
    )
    team = IdField(required=False)
    priority = serializers.ChoiceField(choices=InboxItem.Priority.choices, required=False)
    flag = serializers.ChoiceField(
        choices=Flag.Kind.choices, required=False, help_text="Flags not dismissed"
    )
    post = IdField(required=False)
    variant = IdField(required=False)
    date_from = serializers.DateField(required=False, help_text="YYYY-MM-DD, German time")
    date_to = serializers.DateField(required=False, help_text="YYYY-MM-DD, included")
    after = serializers.CharField(required=False, help_text="Key from 'next'")
    before = serializers.CharField(required=False, help_text="Key from 'previous'")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)

    def validate_assignee(self, value: str) -> str:
        # parse_int: ASCII digits only (str.isdigit() also takes "²", which int() refuses).
        if value in (ASSIGNEE_ME, ASSIGNEE_UNASSIGNED) or parse_int(value) is not None:
            return value
        raise serializers.ValidationError(_("Use 'me', 'unassigned' or a user id."))

    def filters(self) -> InboxFilters:
        data = self.validated_data
        return InboxFilters(
            channels=tuple(data.get("channel") or ()),
            unit=data.get("unit"),
            status=data.get("status", ""),
            assignee=data.get("assignee", ""),
            team=data.get("team"),
            priority=data.get("priority"),
            flag=data.get("flag", ""),
            variant=data.get("variant"),
            post=data.get("post"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q", ""),
        )


class InboxPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = InboxItemSerializer(many=True)
