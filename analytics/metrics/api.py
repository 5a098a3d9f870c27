"""Metrics API (``/api/v1/analytics/``): one post's readings per channel (its time series,
``posts/<id>/metrics/``) and the newest reading of each published variant (``metrics/``,
paginated, filtered by unit, channel and days of publication). Read as the dashboard reads:
everyone with a role in a unit reads the figures of the channels of that unit and the units
below it (auditors included); another authority's post is not found, its unit or channel
refused (400, as a choice not offered)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_schema import query_rules
from accounts.http import AuthenticatedRequest
from accounts.http import user_may
from accounts.input import filter_values
from analytics.metrics.forms import MetricsFilterForm
from analytics.metrics.permissions import unit_ids_for_reading_metrics
from analytics.metrics.permissions import user_may_see_metrics
from analytics.metrics.selectors import latest_snapshots
from analytics.metrics.selectors import post_variant_metrics
from analytics.metrics.selectors import posts_for_metrics
from analytics.metrics.selectors import variants_with_metrics
from analytics.metrics.serializers import LatestMetricsSerializer
from analytics.metrics.serializers import PostMetricsSerializer
from editorial.models import PostVariant

MaySeeMetrics = user_may(user_may_see_metrics)


class PostMetricsView(APIView):
    permission_classes = [*APIView.permission_classes, MaySeeMetrics]

    @extend_schema(responses=PostMetricsSerializer)
    def get(self, request: AuthenticatedRequest, post_id: int) -> Response:
        """Every reading of the post per channel it went out on (1 h, 24 h, 7 days, then
        daily up to 30 days after publishing)."""
        post = get_object_or_404(posts_for_metrics(request.user), pk=post_id)
        variants = post_variant_metrics(request.user, post)
        return Response(PostMetricsSerializer(post, context={"variants": variants}).data)


@extend_schema(
    parameters=[
        OpenApiParameter("unit", OpenApiTypes.INT, description="This unit and the units below."),
        OpenApiParameter("channel", OpenApiTypes.INT, description="Only this channel."),
        OpenApiParameter("since", OpenApiTypes.DATE, description="Published from this day."),
        OpenApiParameter("until", OpenApiTypes.DATE, description="... up to this day."),
    ],
    extensions=query_rules("unit and channel name one the user reads; until is not before since."),
)
class MetricsListView(generics.ListAPIView):
    """The newest reading of each variant that went out, newest publication first."""

    serializer_class = LatestMetricsSerializer
    permission_classes = [*generics.ListAPIView.permission_classes, MaySeeMetrics]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[PostVariant]:
        form = MetricsFilterForm(
            filter_values(self.request.query_params, MetricsFilterForm.base_fields),
            unit_ids=unit_ids_for_reading_metrics(self.request.user),
        )
        if not form.is_valid():
            raise ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        return variants_with_metrics(self.request.user, **form.cleaned_data)

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        page: list[PostVariant] = self.paginate_queryset(self.get_queryset()) or []
        context = {"latest": latest_snapshots(variant.pk for variant in page)}
        serializer = LatestMetricsSerializer(page, many=True, context=context)  # type: ignore[arg-type]
        return self.get_paginated_response(serializer.data)
