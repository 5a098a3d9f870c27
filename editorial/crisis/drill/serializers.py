"""Serializers of the crisis drill API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.fields import UnitField
from editorial.crisis.drill.permissions import participants_for_drills
from editorial.models import CrisisDrill
from editorial.models import CrisisDrillStep


class DrillStepSerializer(serializers.ModelSerializer):
    done_by = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = CrisisDrillStep
        fields = ["id", "position", "text", "done_at", "done_by"]
        read_only_fields = fields


class ParticipantField(serializers.PrimaryKeyRelatedField):
    """A person of the admin's units, by id; others answer as unknown ids."""

    def get_queryset(self) -> Any:
        return participants_for_drills(self.context["request"].user)


class DrillSerializer(serializers.ModelSerializer):
    # Beyond the schema, named in its x-rules (accounts.api_schema).
    schema_rules = (
        "A system admin starts a drill for a unit of theirs; the participants are people of "
        "their units (other ids answer as unknown)."
    )

    unit = UnitField()
    participants = ParticipantField(many=True, allow_empty=False)
    steps = DrillStepSerializer(many=True, read_only=True)
    running = serializers.BooleanField(source="is_running", read_only=True)
    started_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    ended_by = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = CrisisDrill
        fields = [
            "id",
            "title",
            "unit",
            "participants",
            "running",
            "started_by",
            "started_at",
            "ended_by",
            "ended_at",
            "steps",
        ]
        read_only_fields = ["id", "started_by", "started_at", "ended_by", "ended_at"]
        extra_kwargs = {"title": {"required": False}}
