from django.urls import URLPattern, URLResolver

app_name = "ingestion"

# Pages below /moderation/ingestion/
urlpatterns: list[URLPattern | URLResolver] = []

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = []
