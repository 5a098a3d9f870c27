from django.urls import URLPattern, URLResolver

app_name = "evidence"

# Pages below /moderation/evidence/
urlpatterns: list[URLPattern | URLResolver] = []

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = []
