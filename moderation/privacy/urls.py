from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from moderation.privacy import api
from moderation.privacy import views

app_name = "privacy"

# Pages below /moderation/privacy/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation/privacy/",
        include(
            [
                path("", views.OverviewView.as_view(), name="index"),
                path("units/<int:unit_id>/", views.UnitSettingsView.as_view(), name="unit"),
                path("requests/", views.RequestListView.as_view(), name="requests"),
                path("requests/new/", views.RequestCreateView.as_view(), name="request_new"),
                path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request"),
                path(
                    "requests/<int:pk>/export/",
                    views.RequestExportView.as_view(),
                    name="request_export",
                ),
                path(
                    "requests/<int:pk>/erase/",
                    views.RequestEraseView.as_view(),
                    name="request_erase",
                ),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("data-subject-requests/", api.RequestListView.as_view(), name="request-list"),
    path(
        "data-subject-requests/search/",
        api.AuthorSearchView.as_view(),
        name="request-search",
    ),
    path("data-subject-requests/<int:pk>/", api.RequestDetailView.as_view(), name="request-detail"),
    path(
        "data-subject-requests/<int:pk>/export/",
        api.RequestExportView.as_view(),
        name="request-export",
    ),
    path(
        "data-subject-requests/<int:pk>/erase/",
        api.RequestEraseView.as_view(),
        name="request-erase",
    ),
]
