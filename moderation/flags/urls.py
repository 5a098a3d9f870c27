from django.urls import URLPattern, URLResolver

app_name = "flags"

# Pages below /moderation/flags/
urlpatterns: list[URLPattern | URLResolver] = []

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = []
