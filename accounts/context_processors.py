from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.selectors import (
    unread_notification_count,
    user_has_role,
    user_may_administer,
    user_may_view_audit,
    user_two_factor_pending,
)
from channels_app.selectors import user_may_see_channels


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Main navigation: an area appears once it is built and the user may use it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user_two_factor_pending(user):
        return {"nav_items": [], "unread_notifications": 0}
    items = [{"label": _("Dashboard"), "url": reverse("dashboard"), "section": "dashboard"}]
    if user_has_role(user, *Role.values):
        items.append(
            {"label": _("Redaktionsplan"), "url": "/editorial/planning/", "section": "editorial"}
        )
    if user_has_role(user, Role.APPROVER):
        items.append(
            {
                "label": _("Approvals"),
                "url": reverse("posts:approval_queue"),
                "section": "approvals",
            }
        )
    if user_may_see_channels(user):
        items.append(
            {"label": _("Channels"), "url": reverse("channels:list"), "section": "channels"}
        )
    if user_may_administer(user) or user_may_view_audit(user):
        first = "manage:user_list" if user_may_administer(user) else "audit"
        items.append({"label": _("Administration"), "url": reverse(first), "section": "manage"})
    current = request.path
    prefixes = {
        "editorial": (
            "/editorial/planning/",
            "/editorial/posts/",
            "/editorial/media/",
            "/editorial/post-templates/",
            "/editorial/crisis/",
        ),
        "approvals": ("/editorial/approvals/",),
        "channels": ("/channels/",),
        "manage": ("/manage/", "/audit/", "/editorial/publishing/"),
    }
    for item in items:
        section = item["section"]
        item["current"] = (
            current == item["url"]
            if section == "dashboard"
            else current.startswith(prefixes[section])
        )
    return {
        "nav_items": items,
        "unread_notifications": unread_notification_count(user),
        "may_administer": user_may_administer(user),
        "may_view_audit": user_may_view_audit(user),
    }
