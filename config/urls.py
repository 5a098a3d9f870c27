from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views.audit import AuditLogView
from accounts.views.profile import DashboardView
from config.health import healthz
from editorial import urls as editorial_urls

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("accounts/", include("accounts.urls")),
    path("manage/", include("accounts.urls_manage")),
    path("audit/", AuditLogView.as_view(), name="audit"),
    path("channels/", include("channels_app.urls")),
    path("", include("editorial.urls")),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("accounts.urls_api")),
    path("api/v1/", include("channels_app.urls_api")),
    path("api/v1/", include(editorial_urls.api_urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("django-admin/", admin.site.urls),
]

if settings.SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("channels_app.sandbox.urls")))
