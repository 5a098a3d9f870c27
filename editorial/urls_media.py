from django.urls import path

from editorial import views_media as views

app_name = "media"

urlpatterns = [
    path("", views.MediaListView.as_view(), name="list"),
    path("upload/", views.MediaUploadView.as_view(), name="upload"),
    path("<int:pk>/", views.MediaDetailView.as_view(), name="detail"),
    path("<int:pk>/delete/", views.MediaDeleteView.as_view(), name="delete"),
    path("<int:pk>/file/", views.MediaFileView.as_view(), name="file"),
    path("<int:pk>/thumbnail/", views.MediaFileView.as_view(variant="thumbnail"), name="thumbnail"),
    path("<int:pk>/subtitles/", views.MediaFileView.as_view(variant="captions"), name="captions"),
]
