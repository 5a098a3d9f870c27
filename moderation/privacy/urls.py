from django.urls import URLPattern, URLResolver

app_name = "privacy"

# Pages below /moderation/privacy/
urlpatterns: list[URLPattern | URLResolver] = []

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = []
