from django.urls import URLPattern, URLResolver

app_name = "service_levels"

# Pages below /moderation/service-levels/
urlpatterns: list[URLPattern | URLResolver] = []

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = []
