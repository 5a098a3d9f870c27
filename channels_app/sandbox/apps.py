from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    """The built-in sandbox platform: a small social network served by Sprachrohr itself.

    Its own app (label ``sandbox``), so that the channel models of production code do not carry
    the sandbox's tables. The tables keep the names they had in ``channels_app``
    (``channels_app_sandbox*``, see ``db_table``): the models moved without moving data.
    """

    name = "channels_app.sandbox"
    label = "sandbox"
    verbose_name = _("Sandbox platform")
