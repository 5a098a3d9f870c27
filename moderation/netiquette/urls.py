from django.urls import URLPattern, URLResolver

app_name = "netiquette"

# Pages below /moderation/netiquette/
urlpatterns: list[URLPattern | URLResolver] = []

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = []
