from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from analytics.records import api
from analytics.records import views

app_name = "records"

# Pages below /analytics/records/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "analytics/records/",
        include(
            [
                path("", views.RecordsIndexView.as_view(), name="index"),
                path("new/", views.RecordsExportCreateView.as_view(), name="new"),
                path("<int:pk>/download/", views.RecordsDownloadView.as_view(), name="download"),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "analytics/records/",
        include(
            [
                path("", api.RecordsExportListView.as_view(), name="list"),
                path("<int:pk>/", api.RecordsExportDetailView.as_view(), name="detail"),
                path(
                    "<int:pk>/download/", api.RecordsExportDownloadView.as_view(), name="download"
                ),
            ]
        ),
    ),
]
