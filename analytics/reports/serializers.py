"""Serializers of the reports API: a report in the archive, and a report to build (a unit
and a month, ``YYYY-MM``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.fields import UnitField
from accounts.models import User
from analytics.models import ReportRun
from analytics.models import ReportSettings
from analytics.reports.permissions import units_for_editing_reports
from analytics.reports.selectors import Month
from analytics.reports.selectors import report_recipients_offered


class ReportRunSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "unit",
            "month",
            "language",
            "trigger",
            "status",
            "created_at",
            "created_by",
            "finished_at",
            "size",
            "sha256",
            "mailed_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(help_text="YYYY-MM"))
    def get_month(self, run: ReportRun) -> str:
        return f"{run.month:%Y-%m}"

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, run: ReportRun) -> str | None:
        if run.status != ReportRun.Status.READY:
            return None
        path = reverse("reports_api:download", args=[run.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_field(
    {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "example": "2026-03"}
)
class MonthSerializerField(serializers.CharField):
    def to_internal_value(self, data: Any) -> Month:  # type: ignore[override]
        text = super().to_internal_value(data)
        try:
            return Month.parse(text)
        except ValueError:
            raise serializers.ValidationError(_("Enter a month as YYYY-MM.")) from None


class ReportRequestSerializer(serializers.Serializer):
    schema_rules = "The month has begun (not one to come); the year is not 0000."

    unit = UnitField(writable=units_for_editing_reports)
    month = MonthSerializerField(help_text="The calendar month, YYYY-MM.")


class ReportSettingsSerializer(serializers.Serializer):
    """A unit's report settings (the defaults while none are saved: off, German, nobody)."""

    unit = serializers.IntegerField(source="unit_id", read_only=True)
    enabled = serializers.BooleanField(
        help_text="Build the previous month's report on the 1st at 06:00 and e-mail it."
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    recipients = serializers.SerializerMethodField()
    extra_addresses = serializers.ListField(source="addresses", child=serializers.EmailField())
    updated_at = serializers.SerializerMethodField()
    updated_by = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ListField(
            child=serializers.IntegerField(),
            help_text="People with a role in the unit or in a unit above it.",
        )
    )
    def get_recipients(self, report_settings: ReportSettings) -> list[int]:
        if not report_settings.pk:
            return []
        return sorted(user.pk for user in report_settings.recipients.all())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_updated_at(self, report_settings: ReportSettings) -> str | None:
        return report_settings.updated_at.isoformat() if report_settings.pk else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_updated_by(self, report_settings: ReportSettings) -> int | None:
        return report_settings.updated_by_id if report_settings.pk else None


class ReportSettingsWriteSerializer(serializers.Serializer):
    """The whole settings of a unit (PUT replaces them). Needs the unit in the context."""

    enabled = serializers.BooleanField()
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    recipients = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=User.objects.none(),
        required=False,
        default=list,
        help_text="People with a role in the unit or in a unit above it.",
    )
    extra_addresses = serializers.ListField(
        child=serializers.EmailField(), required=False, default=list, max_length=100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.context.get("unit")
        if unit is not None:
            self.fields["recipients"].child_relation.queryset = report_recipients_offered(unit)  # type: ignore[attr-defined]
