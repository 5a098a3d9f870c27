"""Serializers of the service levels API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.fields import IdField
from accounts.models import OrgUnit
from accounts.selectors import units_visible_to
from moderation.common.selectors import EffectiveSettings
from moderation.models import ModerationSettings
from moderation.models import StormAlert
from moderation.service_levels.services import ALL_FIELDS
from moderation.service_levels.services import service_hours_clean


class ServiceHoursField(serializers.JSONField):
    """``{"0": [["08:00", "16:00"]], …}``: weekday (0 = Monday) to local ``HH:MM`` ranges,
    Europe/Berlin. A weekday left out has no service."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        try:
            return service_hours_clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class CriminalUnitField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("Unknown unit.")}

    def get_queryset(self) -> Any:
        return units_visible_to(self.context["request"].user)


class ModerationSettingsSerializer(serializers.ModelSerializer):
    """A unit's effective settings, field by field: ``own_fields`` the unit set itself,
    ``inherited_from`` maps each field set by a unit above to that unit (the rest are the
    defaults). Writing ``null`` makes a field follow the unit above again. Retention periods,
    the criminal unit and ``employee_figures`` are writable by system admins only."""

    unit = serializers.SerializerMethodField()
    own_fields = serializers.SerializerMethodField()
    inherited_from = serializers.SerializerMethodField()
    service_hours = ServiceHoursField(required=False, allow_null=True)
    criminal_unit = CriminalUnitField(allow_null=True, required=False)

    class Meta:
        model = ModerationSettings
        fields = ["unit", "own_fields", "inherited_from", *ALL_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {
            "first_response_minutes": {"min_value": 1},
            "next_response_minutes": {"min_value": 1},
            "storm_threshold": {"min_value": 1},
            "storm_window_minutes": {"min_value": 1},
            "retention_days": {"min_value": 1},
            "evidence_retention_days": {"min_value": 1},
            "block_retention_days": {"min_value": 1},
        }

    def get_unit(self, settings: EffectiveSettings) -> int:
        return int(self.context["unit"].pk)

    def get_own_fields(self, settings: EffectiveSettings) -> list[str]:
        return sorted(settings.own_fields)

    def get_inherited_from(self, settings: EffectiveSettings) -> dict[str, int]:
        own: OrgUnit = self.context["unit"]
        return {
            name: source
            for name, source in settings.sources.items()
            if source is not None and source != own.pk
        }


class StormAlertSerializer(serializers.ModelSerializer):
    channel_name = serializers.CharField(source="channel.name", read_only=True)

    class Meta:
        model = StormAlert
        fields = ["id", "channel", "channel_name", "window_start", "item_count", "created_at"]


class ReportQuerySerializer(serializers.Serializer):
    schema_rules = "The period ends on or after its start and spans at most 366 days."

    unit = IdField()
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError(_("The period must end after it starts."))
        if (attrs["end"] - attrs["start"]).days > 366:
            raise serializers.ValidationError(_("Choose a period of at most a year."))
        return attrs


class ServiceLevelReportRowSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    unit = serializers.IntegerField(allow_null=True)
    channel = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField()
    met = serializers.IntegerField()
    breached = serializers.IntegerField()
    open = serializers.IntegerField()
    not_needed = serializers.IntegerField()
    share_met = serializers.FloatField(allow_null=True)
    median_first_response_hours = serializers.FloatField(allow_null=True)


class ServiceLevelReportSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    total = ServiceLevelReportRowSerializer()
    channels = ServiceLevelReportRowSerializer(many=True)
    employees = ServiceLevelReportRowSerializer(many=True, allow_null=True)
    employee_channels = serializers.ListField(child=serializers.IntegerField())
