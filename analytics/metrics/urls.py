from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import path

from analytics.metrics import api
from analytics.metrics import views

app_name = "metrics"

# Pages below /analytics/metrics/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "analytics/metrics/channels/<int:pk>/insights/",
        views.ChannelInsightsView.as_view(),
        name="channel_insights",
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("analytics/posts/<int:post_id>/metrics/", api.PostMetricsView.as_view(), name="post"),
    path("analytics/metrics/", api.MetricsListView.as_view(), name="list"),
]
