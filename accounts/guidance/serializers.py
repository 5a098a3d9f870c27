from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.guidance.selectors import Checklist
from accounts.guidance.selectors import ChecklistEntry
from accounts.guidance.selectors import training_record_of
from accounts.models import User


class ChecklistEntrySerializer(serializers.Serializer):
    item = serializers.CharField(source="item.key", help_text="Stable key of the checklist item")
    role = serializers.CharField(source="item.role")
    title = serializers.CharField(
        source="item.label", help_text="The task, in the reader's language"
    )
    done = serializers.BooleanField()
    completed_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance: ChecklistEntry) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        data["title"] = str(instance.item.label)
        return data


class ChecklistSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user.pk")
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    items = ChecklistEntrySerializer(source="entries", many=True)


class TrainingRecordSerializer(serializers.ModelSerializer):
    """A person and their checklist (the items of the roles of their real units)."""

    checklist = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "checklist"]

    @extend_schema_field(ChecklistSerializer)
    def get_checklist(self, person: User) -> dict[str, Any]:
        record: Checklist = training_record_of(person)
        return ChecklistSerializer(record).data
