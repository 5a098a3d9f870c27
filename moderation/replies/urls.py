from django.urls import URLPattern, URLResolver

app_name = "replies"

# Pages below /moderation/replies/
urlpatterns: list[URLPattern | URLResolver] = []

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = []
