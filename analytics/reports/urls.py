from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from analytics.reports import api
from analytics.reports import views

app_name = "reports"

# Pages below /analytics/reports/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "analytics/reports/",
        include(
            [
                path("", views.ReportIndexView.as_view(), name="index"),
                path("new/", views.ReportCreateView.as_view(), name="new"),
                path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
                path("<int:pk>/download/", views.ReportDownloadView.as_view(), name="download"),
                path("settings/", views.ReportSettingsListView.as_view(), name="settings"),
                path(
                    "settings/<int:unit_id>/",
                    views.ReportSettingsEditView.as_view(),
                    name="settings_edit",
                ),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "analytics/reports/",
        include(
            [
                path("", api.ReportListView.as_view(), name="list"),
                path("<int:pk>/", api.ReportDetailView.as_view(), name="detail"),
                path("<int:pk>/download/", api.ReportDownloadView.as_view(), name="download"),
                path("settings/<int:unit_id>/", api.ReportSettingsView.as_view(), name="settings"),
            ]
        ),
    ),
]
