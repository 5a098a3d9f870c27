"""API shapes of ingestion streams."""

from __future__ import annotations

from rest_framework import serializers

from moderation.models import IngestCursor


class IngestStreamSerializer(serializers.ModelSerializer[IngestCursor]):
    channel_name = serializers.CharField(source="channel.name", read_only=True)
    platform = serializers.CharField(source="channel.platform", read_only=True)
    unit = serializers.IntegerField(source="channel.unit_id", read_only=True)
    running = serializers.SerializerMethodField()

    class Meta:
        model = IngestCursor
        fields = [
            "id",
            "channel",
            "channel_name",
            "platform",
            "unit",
            "stream",
            "last_run_at",
            "last_success_at",
            "last_error",
            "unavailable",
            "unavailable_reason",
            "not_before",
            "items_total",
            "running",
        ]
        read_only_fields = fields

    def get_running(self, cursor: IngestCursor) -> bool:
        """A fetch is claimed or running now."""
        return cursor.claimed_at is not None
