from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.urls import include
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularSwaggerSplitView

from config.health import healthz

# Each app has one URL module: ``urlpatterns`` (its pages, with their own prefixes) and
# ``api_urlpatterns`` (its API, below /api/v1/). A new app is added here once.
APPS = ("accounts", "channels_app", "editorial", "moderation", "analytics")
APP_URLS = [import_module(f"{app}.urls") for app in APPS]

urlpatterns = [
    *(path("", include(urls.urlpatterns)) for urls in APP_URLS),
    *(path("api/v1/", include(urls.api_urlpatterns)) for urls in APP_URLS),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # No inline code, for the Content-Security-Policy: the split view serves its start script
    # as a file (?script), the template takes its styles from a file.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("django-admin/", admin.site.urls),
]

# Unknown addresses below /api/ answer in the API's JSON error shape.
handler404 = "accounts.views.errors.page_not_found"

if settings.SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("channels_app.sandbox.urls")))
