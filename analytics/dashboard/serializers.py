"""The dashboard in JSON: the same tiles, goals and tables as the page. A figure no platform
provided is ``null`` (never 0); a cell naming a post is ``{"text": …, "url": …}``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics.common.tables import FigureTable
from analytics.common.tables import Link
from analytics.dashboard.selectors import Dashboard
from analytics.dashboard.selectors import Period
from analytics.dashboard.selectors import Tile

IDS = serializers.ListField(child=serializers.IntegerField())


class PeriodSerializer(serializers.Serializer[Period]):
    start = serializers.DateField()
    end = serializers.DateField()


class TileSerializer(serializers.Serializer[Tile]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(
        allow_null=True,
        help_text="Percentage points for a share (unit %), else per cent of the previous value.",
    )
    unit = serializers.CharField()
    note = serializers.CharField()


class GoalRowSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="goal.pk")
    title = serializers.CharField(source="goal.title")
    unit = serializers.IntegerField(source="goal.unit_id")
    metric = serializers.CharField(source="goal.metric")
    state = serializers.CharField(source="progress.state")
    actual = serializers.DecimalField(
        source="progress.actual", max_digits=16, decimal_places=2, allow_null=True
    )
    target = serializers.DecimalField(
        source="progress.target", max_digits=16, decimal_places=2, allow_null=True
    )
    share = serializers.FloatField(source="progress.share", allow_null=True)


class ColumnSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    numeric = serializers.BooleanField()


def _cell(value: Any) -> Any:
    if isinstance(value, Link):
        return {"text": value.text, "url": value.url}
    if isinstance(value, Decimal):
        return float(value)
    return value


class FigureTableSerializer(serializers.Serializer[FigureTable]):
    key = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    note = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    )
    def get_rows(self, table: FigureTable) -> list[list[Any]]:
        return [[_cell(value) for value in row] for row in table.rows]


class DashboardSerializer(serializers.Serializer[Dashboard]):
    period = PeriodSerializer()
    previous_period = PeriodSerializer()
    tiles = TileSerializer(many=True)
    goals = GoalRowSerializer(many=True)
    tables = FigureTableSerializer(many=True)
    insights_off_channels = serializers.SerializerMethodField(
        help_text="Channels in scope whose Facebook/Instagram Insights are switched off."
    )
    sandbox_channels = serializers.SerializerMethodField(
        help_text="Practice (sandbox) channels in scope: included, their figures are demo data."
    )
    population = serializers.IntegerField(allow_null=True)

    @extend_schema_field(IDS)
    def get_insights_off_channels(self, dashboard: Dashboard) -> list[int]:
        return [channel.pk for channel in dashboard.insights_off_channels]

    @extend_schema_field(IDS)
    def get_sandbox_channels(self, dashboard: Dashboard) -> list[int]:
        return [channel.pk for channel in dashboard.sandbox_channels]
