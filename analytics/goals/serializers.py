"""Serializers of the goals API. A goal's KPI target is machine-readable: ``metric`` (what
is measured), ``scope`` with ``channel`` (one channel, or every channel of the unit and the
units below), ``comparison`` (``at_least``/``at_most``), ``target_value`` and the period."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.fields import UnitField
from accounts.models import User
from analytics.goals.permissions import channels_for_reading_goals
from analytics.goals.permissions import units_for_editing_goals
from analytics.goals.permissions import units_for_reading_goals
from analytics.goals.selectors import target_groups_for_user
from analytics.goals.selectors import target_groups_offered
from analytics.goals.services import GoalInput
from analytics.goals.services import goal_values
from analytics.models import ChannelStrategy
from analytics.models import Goal
from analytics.models import GoalComparison
from analytics.models import GoalMetric
from analytics.models import TargetGroup
from channels_app.models import Channel
from moderation.common.fields import ReadableField


def _readable_channels(user: User) -> QuerySet[Channel]:
    return channels_for_reading_goals(user).select_related("unit")


def _readable_groups(user: User) -> QuerySet[TargetGroup]:
    """Groups of the user's units and of the units above them (a goal may name those)."""
    return (
        target_groups_for_user(user) | target_groups_offered(units_for_reading_goals(user))
    ).distinct()


class TargetGroupSerializer(serializers.ModelSerializer):
    archived = serializers.SerializerMethodField()

    class Meta:
        model = TargetGroup
        fields = ["id", "unit", "name", "description", "archived", "archived_at", "updated_at"]
        read_only_fields = fields

    def get_archived(self, group: TargetGroup) -> bool:
        return group.archived_at is not None


class TargetGroupWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, default="")


class TargetGroupCreateSerializer(TargetGroupWriteSerializer):
    schema_rules = "A name is unique among the unit's target groups."  # the schema's x-rules
    unit = UnitField(writable=units_for_editing_goals)


class GoalProgressSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["no_kpi", "not_started", "no_data", "on_track", "not_yet", "met", "missed"]
    )
    actual = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    share = serializers.FloatField(allow_null=True)
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    channels_reporting = serializers.IntegerField(allow_null=True)
    channels_total = serializers.IntegerField(allow_null=True)


class GoalSerializer(serializers.ModelSerializer):
    # Empty for a goal without a KPI target (the model field is blank=True).
    metric = serializers.ChoiceField(choices=GoalMetric.choices, allow_blank=True, read_only=True)
    scope = serializers.SerializerMethodField()
    archived = serializers.SerializerMethodField()
    target_groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Goal
        fields = [
            "id",
            "unit",
            "title",
            "description",
            "target_groups",
            "period_start",
            "period_end",
            "metric",
            "scope",
            "channel",
            "comparison",
            "target_value",
            "archived",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["", "unit", "channel"]))
    def get_scope(self, goal: Goal) -> str:
        if not goal.metric:
            return ""
        return "channel" if goal.channel_id else "unit"

    def get_archived(self, goal: Goal) -> bool:
        return goal.archived_at is not None


class GoalDetailSerializer(GoalSerializer):
    progress = serializers.SerializerMethodField()

    class Meta(GoalSerializer.Meta):
        fields = [*GoalSerializer.Meta.fields, "progress"]
        read_only_fields = fields

    @extend_schema_field(GoalProgressSerializer)
    def get_progress(self, goal: Goal) -> dict[str, Any]:
        return GoalProgressSerializer(self.context["progress"]).data


class GoalWriteSerializer(serializers.Serializer):
    # Beyond the schema, named in its x-rules (accounts.api_schema).
    schema_rules = (
        "The period ends on or after its start; a KPI target needs a metric, a comparison and "
        "a value, and a channel only for channel metrics."
    )

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    target_groups = ReadableField(
        readable=_readable_groups, unknown=_("Unknown target group."), many=True, required=False
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    metric = serializers.ChoiceField(
        choices=GoalMetric.choices, allow_blank=True, required=False, default=""
    )
    channel = ReadableField(
        readable=_readable_channels,
        unknown=_("Unknown channel."),
        allow_null=True,
        required=False,
        default=None,
    )
    comparison = serializers.ChoiceField(
        choices=GoalComparison.choices, required=False, default=GoalComparison.AT_LEAST
    )
    target_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, required=False, default=None
    )

    def goal_input(self, goal: Goal | None = None) -> GoalInput:
        """The goal as sent; for a partial update the fields not sent keep the goal's."""
        data: dict[str, Any] = dict(self.validated_data)
        if goal is not None:
            data = {**goal_values(goal), **data}
        data.pop("unit", None)
        return GoalInput(**data)


class GoalCreateSerializer(GoalWriteSerializer):
    unit = UnitField(writable=units_for_editing_goals)


class ChannelStrategySerializer(serializers.Serializer):
    """A channel with its strategy (empty texts and no groups while none is written)."""

    channel = serializers.IntegerField(source="pk", read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    name = serializers.CharField(read_only=True)
    purpose = serializers.SerializerMethodField()
    audience = serializers.SerializerMethodField()
    target_groups = serializers.SerializerMethodField()
    updated_at = serializers.SerializerMethodField()

    def _strategy(self, channel: Channel) -> ChannelStrategy | None:
        return getattr(channel, "strategy", None)

    def get_purpose(self, channel: Channel) -> str:
        strategy = self._strategy(channel)
        return strategy.purpose if strategy else ""

    def get_audience(self, channel: Channel) -> str:
        strategy = self._strategy(channel)
        return strategy.audience if strategy else ""

    def get_target_groups(self, channel: Channel) -> list[int]:
        strategy = self._strategy(channel)
        return [group.pk for group in strategy.target_groups.all()] if strategy else []

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_updated_at(self, channel: Channel) -> str | None:
        strategy = self._strategy(channel)
        return strategy.updated_at.isoformat() if strategy else None


class ChannelStrategyWriteSerializer(serializers.Serializer):
    purpose = serializers.CharField(allow_blank=True, required=False, default="")
    audience = serializers.CharField(allow_blank=True, required=False, default="")
    target_groups = ReadableField(
        readable=_readable_groups,
        unknown=_("Unknown target group."),
        many=True,
        required=False,
        default=list,
    )
