"""Serializers of the records export API: an export with its scope, state and progress
(``posts_done`` of ``posts_total``; the total is ``null`` until the build has counted), and
the request (a unit, optionally one of its channels, and a period)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.fields import UnitField
from analytics.models import RecordsExport
from analytics.records.permissions import channels_for_records
from analytics.records.permissions import units_for_records
from moderation.common.fields import ReadableField


class RecordsExportSerializer(serializers.ModelSerializer):
    requested_by = serializers.EmailField(source="requested_by.email", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = RecordsExport
        fields = [
            "id",
            "unit",
            "channel",
            "period_start",
            "period_end",
            "state",
            "posts_done",
            "posts_total",
            "size",
            "sha256",
            "error",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, export: RecordsExport) -> str | None:
        """Where the ZIP is fetched once the export is ready."""
        if export.state != RecordsExport.State.READY:
            return None
        path = reverse("records_api:download", kwargs={"pk": export.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class RecordsExportCreateSerializer(serializers.Serializer):
    # Beyond the schema, named in its x-rules (accounts.api_schema).
    schema_rules = "The period ends on or after its start and lies in the past."
    unit = UnitField(writable=units_for_records)
    channel = ReadableField(
        readable=lambda user: channels_for_records(user).select_related("unit"),
        unknown=_("Unknown channel."),
        required=False,
        allow_null=True,
        default=None,
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()
