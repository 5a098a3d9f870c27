"""Serializers of the crisis mode API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from accounts.fields import UnitField
from channels_app.fields import VisibleChannelField
from channels_app.models import Channel
from editorial.crisis.selectors import emergency_templates_for_user
from editorial.crisis.selectors import pause_scope_label
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.models import PublishingPause
from editorial.posts.selectors import channels_for_drafting


class PauseSerializer(serializers.ModelSerializer):
    # Beyond the schema, named in its x-rules (accounts.api_schema).
    schema_rules = (
        "A pause names a unit or a channel the user may pause (neither: the whole "
        "installation, operators only); one active pause per scope."
    )

    unit = UnitField(allow_null=True, required=False)
    # Unknown and foreign ids get the same answer: no hint about other authorities. A unit
    # or channel the user can see but may not pause is refused by the service (403).
    channel = VisibleChannelField(allow_null=True, required=False)
    scope = serializers.SerializerMethodField()
    active = serializers.SerializerMethodField()
    started_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    ended_by = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]

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


class MissedPostSerializer(serializers.ModelSerializer):
    channels = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "title", "status", "planned_at", "unit", "channels"]

    def get_channels(self, post: Post) -> list[int]:
        return [variant.channel_id for variant in post.variants.all()]


class RescheduleSerializer(serializers.Serializer):
    planned_at = serializers.DateTimeField(help_text="ISO 8601 with offset, in the future")

    def validate_planned_at(self, value: Any) -> Any:
        if value.tzinfo is None:
            raise ValidationError(_("Give the time with its offset, e.g. +02:00."))
        return value


class DiscardSerializer(serializers.Serializer):
    reason = serializers.CharField()


class EmergencyPostCreateSerializer(serializers.Serializer):
    template = serializers.PrimaryKeyRelatedField(queryset=PostTemplate.objects.all())
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="One value per {placeholder} of the template",
    )
    channels = VisibleChannelField(many=True)

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
