"""Serializers of the profile notes API."""

from __future__ import annotations

from rest_framework import serializers

from channels_app.models import Channel


class ProfileNotesSerializer(serializers.ModelSerializer):
    present_on_profile = serializers.SerializerMethodField()
    checked_by = serializers.StringRelatedField(  # type: ignore[var-annotated]
        source="profile_notes_checked_by", allow_null=True
    )

    class Meta:
        model = Channel
        fields = [
            "id",
            "impressum_url",
            "privacy_url",
            "profile_notes",
            "present_on_profile",
            "profile_notes_checked_at",
            "checked_by",
        ]
        read_only_fields = fields

    def get_present_on_profile(self, channel: Channel) -> bool:
        return channel.profile_notes_checked_at is not None


class ProfileNotesWriteSerializer(serializers.Serializer):
    profile_notes = serializers.CharField(required=False, max_length=5000)
    present_on_profile = serializers.BooleanField(required=False)
