from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts import signals  # noqa: F401  (connects login/logout auditing)
        from accounts.api_schema import answer_addresses_as_uris
        from accounts.dashboard import register_dashboard_panels
        from accounts.guidance.registrations import register as register_guidance
        from accounts.input import refuse_numbers_as_text
        from accounts.panels import PANELS
        from accounts.practice import registrations as practice

        refuse_numbers_as_text()
        answer_addresses_as_uris()

        register_dashboard_panels(*PANELS)
        register_guidance()
        practice.register()
