"""Serializers of the moderation actions API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from moderation.actions.proportionality import LADDER
from moderation.actions.proportionality import REVERSALS
from moderation.common.fields import item_field
from moderation.models import ModerationAction
from moderation.models import NetiquetteRule
from moderation.netiquette.serializers import rule_field


class ActionCitedRuleSerializer(serializers.ModelSerializer):
    netiquette = serializers.IntegerField(source="netiquette_id")
    version = serializers.IntegerField(source="netiquette.version")

    class Meta:
        model = NetiquetteRule
        fields = ["id", "number", "title", "netiquette", "version"]


class ModerationActionSerializer(serializers.ModelSerializer):
    rule = ActionCitedRuleSerializer(read_only=True, allow_null=True)
    actor = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = ModerationAction
        fields = [
            "id",
            "item",
            "kind",
            "rule",
            "justification",
            "why_not_milder",
            "evidence",
            "status",
            "actor",
            "created_at",
            "finished_at",
            "attempts",
            "last_error",
            "details",
        ]


class ModerationActionCreateSerializer(serializers.Serializer):
    """Refusals of lawful moderation come from the service with stable codes:
    ``rule_required``, ``justification_required``, ``proportionality_unconfirmed``,
    ``not_supported_by_platform``, ``invalid_transition``."""

    # Beyond the schema, named in its x-rules (accounts.api_schema).
    schema_rules = (
        "A decision rests on a published Netiquette rule of the item's unit, is justified and "
        "proportionate, and the platform must support it."
    )

    item = item_field()
    kind = serializers.ChoiceField(choices=[*LADDER, *REVERSALS])
    rule = rule_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="A rule of the Netiquette version that applies now (not for no_action)",
    )
    justification = serializers.CharField(required=False, allow_blank=True, default="")
    why_not_milder = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why hiding is not enough: required for delete, block, comments_off",
    )
    reply_text = serializers.CharField(required=False, allow_blank=True, default="")
    review_due_on = serializers.DateField(required=False, allow_null=True, default=None)

    def arguments(self) -> dict[str, Any]:
        return dict(self.validated_data)


class ActionKindOptionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    # Declared fields live in _declared_fields, not over Field.label (a field's own label).
    label = serializers.CharField()  # type: ignore[assignment]
    explanation = serializers.CharField()
    available = serializers.BooleanField()
    reason = serializers.CharField()
    code = serializers.CharField()
    needs_rule = serializers.BooleanField()
    why_not_milder = serializers.CharField(help_text="The question to answer, where one must")


class ActionRuleOptionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="netiquette.version")

    class Meta:
        model = NetiquetteRule
        fields = ["id", "number", "title", "text", "version"]


class ModerationActionOptionsSerializer(serializers.Serializer):
    kinds = ActionKindOptionSerializer(many=True)
    rules = ActionRuleOptionSerializer(many=True)
