from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = _("Editorial")

    def ready(self) -> None:
        from editorial import registrations
        from editorial.practice import registrations as practice

        registrations.register()
        practice.register()
