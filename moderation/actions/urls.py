from django.urls import URLPattern, URLResolver

app_name = "actions"

# Pages below /moderation/actions/
urlpatterns: list[URLPattern | URLResolver] = []

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = []
