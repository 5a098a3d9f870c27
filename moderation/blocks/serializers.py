"""Serializers of the block register API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from moderation.blocks.selectors import block_decision
from moderation.common.fields import item_field
from moderation.evidence.serializers import evidence_field
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from moderation.models import BlockReview
from moderation.netiquette.serializers import rule_field


class BlockAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    remote_id = serializers.CharField()
    handle = serializers.CharField()
    display_name = serializers.CharField()
    profile_url = serializers.CharField()


class BlockRuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    netiquette_version = serializers.IntegerField(source="netiquette.version")


class BlockReviewSerializer(serializers.ModelSerializer):
    reviewed_by = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = BlockReview
        fields = [
            "id",
            "reviewed_by",
            "reviewed_at",
            "previous_due_on",
            "next_due_on",
            "justification",
        ]


class BlockSerializer(serializers.ModelSerializer):
    author = BlockAuthorSerializer()
    rule = BlockRuleSerializer()
    channel_name = serializers.CharField(source="channel.name")
    platform = serializers.CharField(source="channel.platform")
    blocked_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    lifted_by = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]
    platform_confirmed_by = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = BlockEntry
        fields = [
            "id",
            "channel",
            "channel_name",
            "platform",
            "author",
            "item",
            "rule",
            "justification",
            "evidence",
            "status",
            "blocked_by",
            "blocked_at",
            "review_due_on",
            "reviewed_at",
            "platform_status",
            "platform_error",
            "blocked_on_platform",
            "platform_confirmed_by",
            "platform_done_at",
            "lifted_by",
            "lifted_at",
            "lift_reason",
        ]
        read_only_fields = fields


class BlockDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    why_not_milder = serializers.CharField(help_text="Why hiding is not enough")


class BlockDetailSerializer(BlockSerializer):
    reviews = BlockReviewSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField(
        help_text="The moderation decision the block rests on (null for older entries)"
    )

    class Meta(BlockSerializer.Meta):
        fields = [*BlockSerializer.Meta.fields, "decision", "reviews"]
        read_only_fields = fields

    @extend_schema_field(BlockDecisionSerializer(allow_null=True))
    def get_decision(self, block: BlockEntry) -> dict[str, Any] | None:
        decision = block_decision(block)
        return BlockDecisionSerializer(decision).data if decision else None


class BlockCreateSerializer(serializers.Serializer):
    """Block the author of an item: a moderation decision of kind block. A missing rule,
    justification or answer why hiding is not enough is refused by the service with the
    codes of the actions route. Without ``evidence`` the item's evidence is recorded first;
    with it, it must be a record of that item's author on its channel. An item, rule or
    evidence record the user may not read answers as one that does not exist."""

    # Beyond the schema, named in its x-rules (accounts.api_schema).
    schema_rules = (
        "A block rests on a Netiquette rule of the item's unit and is justified; the item must"
        " be one the user moderates."
    )

    item = item_field()
    rule = rule_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="A rule of the Netiquette version that applies now",
    )
    justification = serializers.CharField(required=False, allow_blank=True, default="")
    why_not_milder = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why hiding is not enough (at least 15 characters)",
    )
    evidence = evidence_field(required=False, allow_null=True)
    review_due_on = serializers.DateField(
        required=False, allow_null=True, help_text="ISO date; empty: in three months"
    )


class BlockReviewCreateSerializer(serializers.Serializer):
    justification = serializers.CharField()
    review_due_on = serializers.DateField(
        required=False, allow_null=True, help_text="ISO date; empty: in three months"
    )


class BlockLiftSerializer(serializers.Serializer):
    reason = serializers.CharField()


class BlockAppealSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    decided_by = serializers.StringRelatedField()  # type: ignore[var-annotated]
    received_on = serializers.DateField(write_only=True, help_text="ISO date received")

    class Meta:
        model = BlockAppeal
        fields = [
            "id",
            "block",
            "text",
            "received_on",
            "received_at",
            "recorded_by",
            "decision",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = [
            "id",
            "block",
            "received_at",
            "recorded_by",
            "decision",
            "decided_by",
            "decided_at",
            "reason",
        ]


class BlockAppealDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[BlockAppeal.Decision.UPHELD, BlockAppeal.Decision.LIFTED],
        help_text="upheld: the block stays (objection rejected); lifted: the block is lifted"
        " (objection granted)",
    )
    reason = serializers.CharField()
