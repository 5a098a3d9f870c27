from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "channels_app"
    verbose_name = _("Channels")

    def ready(self) -> None:
        from accounts.events import unit_moved
        from channels_app.services import channel_permissions_sync_below

        unit_moved.connect(channel_permissions_sync_below, dispatch_uid="channels_unit_moved")
        from accounts.practice.events import practice_space_provisioned
        from channels_app.sandbox.practice import practice_channels_create

        practice_space_provisioned.connect(
            practice_channels_create, dispatch_uid="channels_practice_channels"
        )
        from accounts.audit import register_audit_actions
        from accounts.dashboard import register_dashboard_panels
        from accounts.navigation import NAV_ORDER
        from accounts.navigation import NavItem
        from accounts.navigation import register_navigation
        from accounts.notifications import NotificationKind
        from accounts.notifications import register_notification_kinds
        from channels_app import dashboard
        from channels_app.selectors import user_may_see_channels

        register_navigation(
            NavItem(
                label=_("Channels"),
                section="channels",
                url="channels:list",
                visible=user_may_see_channels,
                order=NAV_ORDER["channels"],
                prefixes=("/channels/",),
            )
        )
        register_dashboard_panels(*dashboard.PANELS)

        register_audit_actions(
            {
                "channels.channel.created": _("Channel created"),
                "channels.channel.updated": _("Channel changed"),
                "channels.channel.connected": _("Channel connected"),
                "channels.channel.connection_tested": _("Channel access tested"),
                "channels.channel.disconnected": _("Channel disconnected"),
                "channels.channel.status_changed": _("Channel status changed"),
                "channels.credentials.changed": _("Channel credentials changed"),
                "channels.credentials.refreshed": _("Channel access renewed automatically"),
                "channels.credentials.key_rotated": _("Credentials re-encrypted with a new key"),
                "channels.profile_notes.adopted": _("Profile notes of a channel adopted"),
                "channels.profile_notes.updated": _("Profile notes of a channel changed"),
                "channels.profile_notes.checked": _(
                    "Checked whether the profile notes are on the platform profile"
                ),
            },
            area=_("Channels"),
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
