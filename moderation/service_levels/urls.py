from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from moderation.service_levels import api
from moderation.service_levels import views

app_name = "service_levels"

# Pages below /moderation/service-levels/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation/service-levels/",
        include(
            [
                path("", views.OverviewView.as_view(), name="index"),
                path("report/", views.ReportView.as_view(), name="report"),
                path("units/<int:unit_id>/", views.UnitSettingsView.as_view(), name="unit"),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation-settings/<int:unit_id>/",
        api.ModerationSettingsView.as_view(),
        name="settings",
    ),
    path("service-level-report/", api.ServiceLevelReportView.as_view(), name="report"),
    path("storm-alerts/", api.StormAlertListView.as_view(), name="storm-alerts"),
]
