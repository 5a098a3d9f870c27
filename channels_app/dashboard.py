"""Dashboard panel of channels: access that runs out soon, for those who reconnect it
(registered in ``ChannelsConfig.ready``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import TOP_ITEMS
from accounts.dashboard import DashboardPanel
from accounts.dashboard import PanelContext
from accounts.dashboard import PanelCount
from accounts.models import Role
from accounts.models import User
from accounts.selectors import user_has_role
from channels_app.selectors import channels_expiring_for_user


def expiring_panel(user: User) -> PanelContext | None:
    if not user_has_role(user, Role.CHANNEL_ADMIN):
        return None
    expiring = channels_expiring_for_user(user)
    url = reverse("channels:list")
    return PanelContext(
        title=_("Channel access expiring"),
        counts=[PanelCount(_("channels"), expiring.count(), url, True)],
        items=list(expiring[:TOP_ITEMS]),
        more_url=url,
        more_label=_("All channels"),
        empty_text=_("No channel's access runs out soon."),
    )


PANELS = (
    DashboardPanel("channels_expiring", "channels/_dashboard.html", expiring_panel, order=60),
)
