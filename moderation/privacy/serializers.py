"""Serializers of the data-subject requests API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.fields import IdField
from accounts.fields import UnitField
from moderation.models import Author
from moderation.models import DataSubjectRequest
from moderation.privacy.permissions import channels_for_requests
from moderation.privacy.permissions import units_for_requests


class DataSubjectAuthorSerializer(serializers.ModelSerializer):
    channel_name = serializers.CharField(source="channel.name", read_only=True)
    item_count = serializers.IntegerField(read_only=True, required=False)
    block_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Author
        fields = [
            "id",
            "channel",
            "channel_name",
            "remote_id",
            "handle",
            "display_name",
            "profile_url",
            "pseudonymised_at",
            "item_count",
            "block_count",
        ]


class DataSubjectRequestSerializer(serializers.ModelSerializer):
    """A data-subject request. ``summary`` holds counts only (what an export contained,
    what an erasure removed and kept under a legal hold), never personal data."""

    # A unit the user cannot see answers as one that does not exist; one they see but may
    # not handle requests in (an auditor's) is refused with 403.
    unit = UnitField(writable=units_for_requests)
    authors = serializers.PrimaryKeyRelatedField(queryset=Author.objects.all(), many=True)
    requested_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    overdue = serializers.BooleanField(
        read_only=True, help_text="Not answered and past due_on (one month after received_on)."
    )

    class Meta:
        model = DataSubjectRequest
        fields = [
            "id",
            "unit",
            "kind",
            "reference",
            "authors",
            "requested_by",
            "created_at",
            "received_on",
            "due_on",
            "overdue",
            "completed_at",
            "summary",
        ]
        read_only_fields = [
            "id",
            "requested_by",
            "created_at",
            "due_on",
            "completed_at",
            "summary",
        ]
        extra_kwargs = {"received_on": {"required": False}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        channels = channels_for_requests(self.context["request"].user, attrs["unit"])
        allowed = set(channels.values_list("pk", flat=True))
        if not attrs["authors"]:
            raise serializers.ValidationError(
                {"authors": _("Choose at least one account of the person.")}
            )
        if any(author.channel_id not in allowed for author in attrs["authors"]):
            raise serializers.ValidationError(
                {"authors": _("An account is not on a channel of this unit that you moderate.")}
            )
        return attrs


class SearchQuerySerializer(serializers.Serializer):
    unit = IdField()
    q = serializers.CharField(max_length=1000)


class EraseConfirmSerializer(serializers.Serializer):
    """Erasing cannot be undone: the caller says so explicitly, as the page's checkbox does
    (that the person's identity was checked)."""

    confirm = serializers.BooleanField(
        help_text="true: the person's identity was checked; erase their data now."
    )

    def validate_confirm(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_("Confirm the erasure first."))
        return value
