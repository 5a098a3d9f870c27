from django.urls import path

from editorial import api_media

app_name = "media_api"

urlpatterns = [
    path("media/", api_media.MediaAssetListView.as_view(), name="list"),
    path("media/<int:pk>/", api_media.MediaAssetDetailView.as_view(), name="detail"),
]
