from django.urls import URLPattern, URLResolver

app_name = "blocks"

# Pages below /moderation/blocks/
urlpatterns: list[URLPattern | URLResolver] = []

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = []
