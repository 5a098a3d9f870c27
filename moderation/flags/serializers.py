"""Serializers of the flags API."""

from __future__ import annotations

from rest_framework import serializers

from accounts.fields import UnitField
from moderation.models import Flag
from moderation.models import InsultClassifier
from moderation.models import KeywordAlert
from moderation.models import LexiconEntry


class FlagSerializer(serializers.ModelSerializer):
    dismissed_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Flag
        fields = [
            "id",
            "item",
            "kind",
            "kind_label",
            "code",
            "explanation",
            "evidence",
            "score",
            "created_at",
            "dismissed_at",
            "dismissed_by",
        ]
        read_only_fields = fields


# Beyond the schema (the service's _clean_term and unique constraints).
TERM_RULES = (
    "A phrase holds letters or digits (a “*” needs three letters besides it) and is unique "
    "in its unit."
)


class KeywordAlertSerializer(serializers.ModelSerializer):
    schema_rules = TERM_RULES  # the schema's x-rules (accounts.api_schema)
    unit = UnitField()
    created_by = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = KeywordAlert
        fields = ["id", "unit", "phrase", "category", "raises_priority", "created_by", "created_at"]
        read_only_fields = ["id", "created_by", "created_at"]
        # Uniqueness per unit is the service's to check (case-insensitively).
        validators: list[object] = []


class LexiconEntrySerializer(serializers.ModelSerializer):
    schema_rules = TERM_RULES  # the schema's x-rules (accounts.api_schema)
    unit = UnitField()
    created_by = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = LexiconEntry
        fields = ["id", "unit", "term", "created_by", "created_at"]
        read_only_fields = ["id", "created_by", "created_at"]
        validators: list[object] = []


class InsultClassifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = InsultClassifier
        fields = ["id", "created_at", "source", "samples", "metrics", "active"]
        read_only_fields = fields
