"""The metrics API in JSON: a post's readings per channel (its time series) and the newest
reading of each published variant. A figure the platform does not provide is ``null`` and
named in ``not_provided`` (never a 0)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics.metrics.selectors import not_provided_fields
from analytics.models import POST_METRIC_FIELDS
from analytics.models import PostMetricSnapshot
from editorial.models import Post
from editorial.models import PostVariant


class FiguresSerializer(serializers.Serializer[PostMetricSnapshot]):
    """One reading's figures; ``null``: not provided by this platform."""

    impressions = serializers.IntegerField(allow_null=True)
    reach = serializers.IntegerField(allow_null=True)
    likes = serializers.IntegerField(allow_null=True, help_text="Likes, favourites, reactions.")
    shares = serializers.IntegerField(allow_null=True, help_text="Shares, boosts, reposts.")
    comments = serializers.IntegerField(allow_null=True, help_text="Replies.")
    clicks = serializers.IntegerField(allow_null=True, help_text="Link clicks.")
    video_views = serializers.IntegerField(allow_null=True)


class SnapshotSerializer(serializers.Serializer[PostMetricSnapshot]):
    age_bucket = serializers.IntegerField(help_text="Hours after publishing it stands for.")
    taken_at = serializers.DateTimeField()
    insights_off = serializers.BooleanField(
        help_text="Facebook/Instagram Insights were switched off for the channel."
    )
    figures = serializers.SerializerMethodField()
    not_provided = serializers.SerializerMethodField()

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, snapshot: PostMetricSnapshot) -> dict[str, Any]:
        return dict(FiguresSerializer(snapshot).data)

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=POST_METRIC_FIELDS),
            help_text="The figures this platform did not provide (null in figures).",
        )
    )
    def get_not_provided(self, snapshot: PostMetricSnapshot) -> list[str]:
        return not_provided_fields(snapshot)


class _VariantFields(serializers.Serializer[PostVariant]):
    variant = serializers.IntegerField(source="pk")
    channel = serializers.IntegerField(source="channel_id")
    channel_name = serializers.CharField(source="channel.name")
    platform = serializers.CharField(source="channel.platform")
    sandbox = serializers.BooleanField(source="channel.is_sandbox")
    published_at = serializers.DateTimeField()
    remote_url = serializers.CharField()


class VariantSeriesSerializer(_VariantFields):
    snapshots = SnapshotSerializer(many=True, help_text="Every reading, youngest age first.")


class PostMetricsSerializer(serializers.Serializer[Post]):
    post = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    variants = serializers.SerializerMethodField()

    @extend_schema_field(VariantSeriesSerializer(many=True))
    def get_variants(self, post: Post) -> list[Any]:
        return list(VariantSeriesSerializer(self.context["variants"], many=True).data)


class LatestMetricsSerializer(_VariantFields):
    """A published variant with its newest reading (``null``: none read yet)."""

    post = serializers.IntegerField(source="post_id")
    post_title = serializers.CharField(source="post.title")
    unit = serializers.IntegerField(source="post.unit_id")
    latest = serializers.SerializerMethodField()

    @extend_schema_field(SnapshotSerializer(allow_null=True))
    def get_latest(self, variant: PostVariant) -> dict[str, Any] | None:
        snapshot = self.context["latest"].get(variant.pk)
        return dict(SnapshotSerializer(snapshot).data) if snapshot else None
