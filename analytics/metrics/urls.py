from django.urls import URLPattern, URLResolver, path

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

# The metrics API comes with the dashboard.
api_urlpatterns: list[URLPattern | URLResolver] = []
