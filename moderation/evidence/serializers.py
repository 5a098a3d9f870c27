"""Serializers of the evidence API."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from moderation.common.fields import ReadableField
from moderation.common.fields import item_field
from moderation.evidence.selectors import evidence_hash_matches
from moderation.evidence.selectors import evidence_is_on_legal_hold
from moderation.evidence.selectors import evidence_records_for_user
from moderation.models import EvidenceRecord


class EvidenceRecordSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    hash_matches = serializers.SerializerMethodField()
    criminal_unit_name = serializers.SerializerMethodField()
    legal_hold = serializers.SerializerMethodField(
        help_text="Kept whatever retain_until says (criminally relevant, deadline open or"
        " complaint filed, hold not released)"
    )
    legal_hold_released_by = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]

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
            "legal_hold",
            "legal_hold_released_at",
            "legal_hold_released_by",
            "legal_hold_release_reason",
        ]

    def get_hash_matches(self, record: EvidenceRecord) -> bool:
        return evidence_hash_matches(record)

    def get_criminal_unit_name(self, record: EvidenceRecord) -> str | None:
        return record.criminal_unit.name if record.criminal_unit else None

    def get_legal_hold(self, record: EvidenceRecord) -> bool:
        return evidence_is_on_legal_hold(record, timezone.localdate())


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


class ReleaseHoldSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the legal hold ends (e.g. proceedings closed)")
