from django.urls import URLPattern, URLResolver, path

from moderation.inbox import views

app_name = "inbox"

# Pages below /moderation/inbox/
urlpatterns: list[URLPattern | URLResolver] = [
    path("moderation/inbox/", views.InboxView.as_view(), name="index"),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = []
