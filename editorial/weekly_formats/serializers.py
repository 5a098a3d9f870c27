"""Serializers of the weekly formats API."""

from __future__ import annotations

from rest_framework import serializers

from accounts.fields import UnitField
from channels_app.fields import VisibleChannelField
from editorial.models import WeeklyFormat
from editorial.planning.serializers import ClockTimeField
from editorial.posts.fields import VisibleTopicField


class WeeklyFormatSerializer(serializers.ModelSerializer):
    unit = UnitField()  # a unit the user may not plan in: 403 from the service
    weekday = serializers.ChoiceField(
        choices=WeeklyFormat.Weekday.choices, help_text="0 = Monday … 6 = Sunday"
    )
    time = ClockTimeField(help_text="Time in Europe/Berlin")
    topic = VisibleTopicField(allow_null=True, required=False)
    channels = VisibleChannelField(many=True, required=False)
    starts_on = serializers.DateField(
        required=False, help_text="Planned from this day on (default: today)"
    )
    paused = serializers.BooleanField(
        source="is_paused",
        required=False,
        help_text=(
            "A paused format plans no more slots; its future slots without a post leave the plan"
        ),
    )

    class Meta:
        model = WeeklyFormat
        fields = [
            "id",
            "unit",
            "title",
            "weekday",
            "time",
            "topic",
            "note",
            "channels",
            "starts_on",
            "paused",
            "planned_until",
        ]
        read_only_fields = ["id", "planned_until"]
