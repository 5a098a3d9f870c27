from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import path

from analytics.dashboard import api
from analytics.dashboard import views

app_name = "dashboard"

# The analytics area's first page: /analytics/ (the "Auswertungen" navigation lands here).
urlpatterns: list[URLPattern | URLResolver] = [
    path("analytics/", views.DashboardView.as_view(), name="index"),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("analytics/dashboard/", api.DashboardView.as_view(), name="dashboard"),
]
