from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "channels_app"
    verbose_name = _("Channels")

    def ready(self) -> None:
        from accounts.audit import register_audit_actions
        from accounts.notifications import NotificationKind, register_notification_kinds

        register_audit_actions(
            {
                "channels.channel.created": _("Channel created"),
                "channels.channel.updated": _("Channel changed"),
                "channels.channel.connected": _("Channel connected"),
                "channels.channel.disconnected": _("Channel disconnected"),
                "channels.channel.status_changed": _("Channel status changed"),
                "channels.credentials.changed": _("Channel credentials changed"),
                "channels.credentials.refreshed": _("Channel access renewed automatically"),
                "channels.credentials.key_rotated": _("Credentials re-encrypted with a new key"),
            }
        )
        register_notification_kinds(
            {
                "channels.access_expiring": NotificationKind(
                    _("Access to a channel I manage expires soon")
                ),
                "channels.needs_reconnect": NotificationKind(
                    _("A channel I manage needs reconnecting")
                ),
            }
        )
