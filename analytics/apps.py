from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from analytics import registrations
        from analytics.dashboard.cache import connect_invalidation

        registrations.register()
        connect_invalidation()
