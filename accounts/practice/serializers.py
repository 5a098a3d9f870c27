from __future__ import annotations

from rest_framework import serializers


class PracticeChannelSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    platform = serializers.CharField(read_only=True)


class PracticeStateSerializer(serializers.Serializer):
    """Practice mode of the signed-in user. Only ``active`` is written."""

    active = serializers.BooleanField()
    unit = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The user's practice unit (made on first use)"
    )
    unit_name = serializers.CharField(read_only=True, allow_null=True)
    channels = PracticeChannelSerializer(many=True, read_only=True)
