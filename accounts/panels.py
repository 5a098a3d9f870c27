"""The dashboard panels of accounts itself: unread notifications (everyone), the recent audit
log (auditors and system admins) and the user's roles (registered in ``AccountsConfig.ready``)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_action_label
from accounts.dashboard import TOP_ITEMS
from accounts.dashboard import DashboardPanel
from accounts.dashboard import PanelContext
from accounts.dashboard import PanelCount
from accounts.models import User
from accounts.notifications import notification_render
from accounts.selectors import audit_entries_for_user
from accounts.selectors import unread_notifications_for
from accounts.selectors import user_may_view_audit
from accounts.selectors import user_role_assignments

RECENT_AUDIT = timedelta(days=7)


def notifications_panel(user: User) -> PanelContext:
    unread = unread_notifications_for(user)
    url = reverse("accounts:notifications")
    return PanelContext(
        title=_("Unread notifications"),
        counts=[PanelCount(_("unread"), unread.count(), url)],
        items=[(n, notification_render(n)) for n in unread.select_related("recipient")[:TOP_ITEMS]],
        more_url=url,
        more_label=_("All notifications"),
        empty_text=_("Nothing new."),
    )


def audit_panel(user: User) -> PanelContext | None:
    if not user_may_view_audit(user):
        return None
    since = timezone.now() - RECENT_AUDIT
    entries = audit_entries_for_user(user, since=since)
    url = reverse("audit")
    return PanelContext(
        title=_("Audit log"),
        counts=[PanelCount(_("entries in the last 7 days"), entries.count(), url)],
        items=[(entry, audit_action_label(entry.action)) for entry in entries[:TOP_ITEMS]],
        more_url=url,
        more_label=_("Open the audit log"),
        empty_text=_("No entries in the last 7 days."),
    )


def roles_panel(user: User) -> PanelContext:
    return PanelContext(
        title=_("Your roles"),
        items=user_role_assignments(user),
        empty_text=_("You have no role yet. A system admin of your unit can assign one."),
    )


PANELS = (
    DashboardPanel("audit", "dashboard/_audit.html", audit_panel, order=70),
    DashboardPanel("notifications", "dashboard/_notifications.html", notifications_panel, order=80),
    DashboardPanel("roles", "dashboard/_roles.html", roles_panel, order=90),
)
