"""All URLs of the analytics area: each feature's pages (``urlpatterns``, each feature under
``/analytics/<feature>/``) and its API (``api_urlpatterns``, below
``/api/v1/analytics/<feature>/``). A feature's namespace is its package name; its API's is
``<name>_api``."""

from django.urls import include
from django.urls import path

from analytics.dashboard import urls as dashboard
from analytics.goals import urls as goals
from analytics.metrics import urls as metrics
from analytics.records import urls as records
from analytics.reports import urls as reports

FEATURES = (dashboard, goals, metrics, records, reports)

urlpatterns = [path("", include((feature.urlpatterns, feature.app_name))) for feature in FEATURES]

api_urlpatterns = [
    path("", include((feature.api_urlpatterns, f"{feature.app_name}_api"))) for feature in FEATURES
]
