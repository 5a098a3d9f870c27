from django.urls import path

from editorial import views_media as views

app_name = "media_public"

# Signed, expiring links for platforms that fetch media by URL (Instagram, Threads).
urlpatterns = [
    path("<str:token>/", views.media_public_file_view, name="file"),
]
