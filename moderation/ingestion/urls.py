from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from moderation.ingestion import api
from moderation.ingestion import views

app_name = "ingestion"

# Pages below /moderation/ingestion/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation/ingestion/",
        include(
            [
                path("", views.StreamListView.as_view(), name="list"),
                path("<int:pk>/fetch/", views.StreamFetchNowView.as_view(), name="fetch_now"),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("ingestion-streams/", api.IngestStreamListView.as_view(), name="stream-list"),
    path("ingestion-streams/<int:pk>/", api.IngestStreamDetailView.as_view(), name="stream-detail"),
    path(
        "ingestion-streams/<int:pk>/fetch-now/",
        api.IngestStreamFetchNowView.as_view(),
        name="stream-fetch-now",
    ),
]
