"""Serializers of the replies API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.fields import KeptWhitespaceField
from accounts.fields import UnitField
from moderation.common.permissions import units_for_moderating
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.replies.texts import FORMAL_REQUEST_CODES
from moderation.replies.texts import FORMAL_REQUEST_PREFIX


class ReplySerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()  # type: ignore[var-annotated]
    approved_by = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]
    rejected_by = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]
    idempotency_key = serializers.UUIDField(read_only=True)

    class Meta:
        model = Reply
        fields = [
            "id",
            "item",
            "author",
            "text",
            "saved_reply",
            "status",
            "idempotency_key",
            "created_at",
            "approved_by",
            "approved_at",
            "rejected_by",
            "rejected_at",
            "rejection_reason",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "remote_id",
            "remote_url",
            "last_error",
        ]
        read_only_fields = fields


class ReplyCreateSerializer(serializers.Serializer):
    text = KeptWhitespaceField()
    saved_reply = serializers.IntegerField(
        required=False, allow_null=True, help_text="The saved reply the text started from"
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ResolveSerializer(serializers.Serializer):
    found = serializers.BooleanField(
        help_text="true: the reply is on the platform (mark sent); false: send it again"
    )
    remote_url = serializers.URLField(required=False, allow_blank=True, default="")


def _purposes() -> list[str]:
    return ["", *(f"{FORMAL_REQUEST_PREFIX}{code}" for code in FORMAL_REQUEST_CODES)]


class SavedReplySerializer(serializers.ModelSerializer):
    unit = UnitField(writable=units_for_moderating)
    shared = serializers.BooleanField(default=True)
    owner = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]
    purpose = serializers.ChoiceField(choices=_purposes(), required=False, default="")
    text = KeptWhitespaceField()

    class Meta:
        model = SavedReply
        fields = [
            "id",
            "unit",
            "title",
            "text",
            "shared",
            "owner",
            "purpose",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "owner", "created_at", "updated_at"]

    def to_representation(self, instance: SavedReply) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["shared"] = instance.owner_id is None
        return data

    def validate_title(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Give the saved reply a title."))
        return value
