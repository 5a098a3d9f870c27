"""Serializers of the evidence API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from moderation.common.fields import ReadableField, item_field
from moderation.evidence.selectors import evidence_hash_matches, evidence_records_for_user
from moderation.models import EvidenceRecord


class EvidenceRecordSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    hash_matches = serializers.SerializerMethodField()
    criminal_unit_name = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceRecord
        fields = [
            "id",
            "item",
            "channel",
            "author_remote_id",
            "sha256",
            "hash_matches",
            "created_at",
            "created_by",
            "retain_until",
            "criminal_relevant",
            "criminal_unit",
            "criminal_unit_name",
            "prosecution_deadline",
            "reminder_sent_at",
            "complaint_filed_at",
        ]

    def get_hash_matches(self, record: EvidenceRecord) -> bool:
        return evidence_hash_matches(record)

    def get_criminal_unit_name(self, record: EvidenceRecord) -> str | None:
        return record.criminal_unit.name if record.criminal_unit else None


class EvidenceRecordDetailSerializer(EvidenceRecordSerializer):
    content = serializers.JSONField(read_only=True)

    class Meta(EvidenceRecordSerializer.Meta):
        fields = [*EvidenceRecordSerializer.Meta.fields, "content"]


def evidence_field(**kwargs: Any) -> ReadableField:
    """An evidence record the user may read: another authority's record answers as one that
    does not exist."""
    return ReadableField(
        readable=evidence_records_for_user, unknown=_("Unknown evidence record."), **kwargs
    )


class EvidenceCreateSerializer(serializers.Serializer):
    item = item_field()


class MarkCriminalSerializer(serializers.Serializer):
    known_since = serializers.DateField(
        required=False, allow_null=True, help_text="Day of knowledge (ISO date); default today"
    )


class ComplaintFiledSerializer(serializers.Serializer):
    reference = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def reference_value(self) -> str:
        data: dict[str, Any] = self.validated_data  # type: ignore[assignment]
        return data.get("reference", "")
