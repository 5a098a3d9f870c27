"""Serializers of the reports API: a report in the archive, and a report to build (a unit
and a month, ``YYYY-MM``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.fields import UnitField
from analytics.models import ReportRun
from analytics.reports.permissions import units_for_editing_reports
from analytics.reports.selectors import Month


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


class MonthSerializerField(serializers.CharField):
    def to_internal_value(self, data: Any) -> Month:  # type: ignore[override]
        text = super().to_internal_value(data)
        try:
            return Month.parse(text)
        except ValueError:
            raise serializers.ValidationError(_("Enter a month as YYYY-MM.")) from None


class ReportRequestSerializer(serializers.Serializer):
    unit = UnitField(writable=units_for_editing_reports)
    month = MonthSerializerField(help_text="The calendar month, YYYY-MM.")
