from django.urls import include
from django.urls import path

from editorial.media import api
from editorial.media import views

app_name = "media"

urlpatterns = [
    path(
        "editorial/media/",
        include(
            [
                path("", views.MediaListView.as_view(), name="list"),
                path("upload/", views.MediaUploadView.as_view(), name="upload"),
                path("<int:pk>/", views.MediaDetailView.as_view(), name="detail"),
                path("<int:pk>/delete/", views.MediaDeleteView.as_view(), name="delete"),
                path("<int:pk>/file/", views.MediaFileView.as_view(), name="file"),
                path(
                    "<int:pk>/thumbnail/",
                    views.MediaFileView.as_view(variant="thumbnail"),
                    name="thumbnail",
                ),
                path(
                    "<int:pk>/subtitles/",
                    views.MediaFileView.as_view(variant="captions"),
                    name="captions",
                ),
            ]
        ),
    ),
    # Signed, expiring links for platforms that fetch media by URL (Instagram, Threads): short,
    # outside the back office's paths, and never moved (platforms may fetch them late).
    path("m/<str:token>/", views.media_public_file_view, name="public_file"),
]

api_urlpatterns = [
    path("media/", api.MediaAssetListView.as_view(), name="list"),
    path("media/<int:pk>/", api.MediaAssetDetailView.as_view(), name="detail"),
]
