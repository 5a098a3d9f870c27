"""Serializers of the post templates API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from accounts.fields import UnitField
from editorial.common.links import post_url
from editorial.common.timeutil import berlin_to_aware
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.models import Recurrence
from editorial.post_templates.recurrence import recurrence_upcoming
from editorial.post_templates.recurrence import series_posts
from editorial.post_templates.selectors import post_template_placeholders


class _ChannelIdsField(serializers.ListField):
    """Channel ids: written as a list, read from the (prefetched) relation."""

    child = serializers.IntegerField()

    def to_representation(self, data: Any) -> list[Any]:
        if hasattr(data, "all"):
            data = [channel.pk for channel in data.all()]
        return super().to_representation(data)


class PostTemplateSerializer(serializers.Serializer):
    """One serializer for reading and writing, so that the schema has one ``kind`` enum."""

    # Beyond the schema, named in its x-rules (accounts.api_schema).
    schema_rules = (
        "Placeholders in title and text are well-formed; an emergency template needs channels "
        "the user may post on."
    )

    id = serializers.IntegerField(read_only=True)
    unit = UnitField(help_text=_("Set when creating only."))
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PostTemplate.Kind.choices, default="other")
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(
        help_text=_("Placeholders in curly braces, e.g. {ort}; {{ and }} for literal braces.")
    )
    website_link = serializers.URLField(max_length=500, required=False, allow_blank=True)
    channels = _ChannelIdsField(required=False)
    is_emergency = serializers.BooleanField(required=False)
    placeholders = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    def get_placeholders(self, template: PostTemplate) -> list[str]:
        return post_template_placeholders(template)


class _WallClockDateTimeField(serializers.DateTimeField):
    """Keeps a time without offset naive: it is resolved as Berlin wall-clock time with the
    same DST rules as the pages (``berlin_to_aware``), not guessed."""

    def enforce_timezone(self, value: datetime) -> datetime:
        return value


class UseTemplateSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=1000), required=False
    )
    planned_at = _WallClockDateTimeField(
        required=False,
        allow_null=True,
        help_text=_("ISO 8601; without an offset it is Berlin wall-clock time."),
    )
    second_occurrence = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Only for a time that happens twice (autumn): false = summer time, true = winter time."
        ),
    )
    unit = UnitField(required=False, help_text=_("Default: the template's unit."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        planned_at = attrs.get("planned_at")
        if planned_at is not None and timezone.is_naive(planned_at):
            try:
                attrs["planned_at"] = berlin_to_aware(
                    planned_at, second_occurrence=attrs.get("second_occurrence")
                )
            except DjangoValidationError as error:
                raise ValidationError({"planned_at": error.messages}) from None
        return attrs


class CreatedPostSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "unit", "title", "text", "website_link", "planned_at", "status", "url"]
        read_only_fields = fields

    def get_url(self, post: Post) -> str:
        return post_url(post.pk)


class RecurrenceWriteSerializer(serializers.Serializer):
    frequency = serializers.ChoiceField(choices=Recurrence.Frequency.choices)
    interval = serializers.IntegerField(min_value=1, max_value=99, default=1)
    until = serializers.DateField(
        required=False, allow_null=True, help_text=_("Last day (inclusive), Berlin date.")
    )
    count = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=2,
        max_value=500,
        help_text=_("Number of posts in total, including the first."),
    )


class SeriesPostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "planned_at", "status"]
        read_only_fields = fields


class RecurrenceSerializer(serializers.ModelSerializer):
    origin: serializers.PrimaryKeyRelatedField[Post] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    posts = serializers.SerializerMethodField()
    upcoming = serializers.SerializerMethodField()
    withdrawn = serializers.SerializerMethodField()

    class Meta:
        model = Recurrence
        fields = [
            "id",
            "frequency",
            "interval",
            "until",
            "count",
            "origin",
            "starts_at",
            "stopped_at",
            "posts",
            "upcoming",
            "withdrawn",
        ]
        read_only_fields = fields

    @extend_schema_field(SeriesPostSerializer(many=True))
    def get_posts(self, recurrence: Recurrence) -> list[dict[str, Any]]:
        return SeriesPostSerializer(series_posts(recurrence), many=True).data  # type: ignore[return-value]

    def get_upcoming(self, recurrence: Recurrence) -> list[datetime]:
        return recurrence_upcoming(recurrence)

    def get_withdrawn(self, recurrence: Recurrence) -> list[int]:
        return list(self.context.get("withdrawn", []))
