"""Serializers of the Redaktionsplan API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.fields import UnitField
from channels_app.fields import VisibleChannelField
from editorial.models import CalendarSlot
from editorial.models import Post
from editorial.planning.selectors import SLOT_STATUS
from editorial.posts.fields import VisibleTopicField


class ChannelTagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    colour = serializers.CharField(help_text="Hex colour of the channel in the calendar")


@extend_schema_field(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "09:30"}
)
class ClockTimeField(serializers.TimeField):
    """A time of day as ``HH:MM`` (Europe/Berlin): OpenAPI's ``time`` format wants seconds
    and an offset, which a slot's time has neither of."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class CalendarEntrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["post", "slot"], source="kind")
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    date = serializers.DateField(source="day", help_text="Day in Europe/Berlin")
    time = ClockTimeField(source="at", allow_null=True, help_text="Time in Europe/Berlin")
    planned_at = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=[*Post.Status.values, SLOT_STATUS])
    status_label = serializers.CharField()
    channels = ChannelTagSerializer(many=True)
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    topic = serializers.IntegerField(source="topic.pk", allow_null=True)
    topic_name = serializers.CharField(source="topic.name", allow_null=True)
    author = serializers.IntegerField(source="author.pk", allow_null=True)
    author_name = serializers.CharField(source="author", allow_null=True)
    url = serializers.CharField(help_text="Path of the post's page; empty for a slot")


class HolidaySerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class CalendarSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    entries = CalendarEntrySerializer(many=True)
    holidays = HolidaySerializer(many=True)


class SlotSerializer(serializers.ModelSerializer):
    unit = UnitField()  # a unit the user may not plan in: 403 from the service
    topic = VisibleTopicField(allow_null=True, required=False)
    channels = VisibleChannelField(many=True, required=False)
    time = ClockTimeField(allow_null=True, required=False, help_text="Time in Europe/Berlin")

    class Meta:
        model = CalendarSlot
        fields = ["id", "unit", "title", "day", "time", "topic", "note", "channels", "post"]
        read_only_fields = ["id", "post"]
