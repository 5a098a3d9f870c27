from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.navigation import NavItem, navigation_for, register_navigation
from accounts.selectors import (
    unread_notification_count,
    user_may_administer,
    user_may_view_audit,
    user_two_factor_pending,
)


def _administration_url(user: User) -> str:
    return "manage:user_list" if user_may_administer(user) else "audit"


register_navigation(
    NavItem(
        label=_("Dashboard"),
        section="dashboard",
        url="dashboard",
        visible=lambda user: True,
        order=0,
    ),
    NavItem(
        label=_("Administration"),
        section="manage",
        url=_administration_url,
        visible=lambda user: user_may_administer(user) or user_may_view_audit(user),
        order=90,
        prefixes=("/manage/", "/audit/", "/editorial/publishing/"),
    ),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Main navigation: an area appears once it is built and the user may use it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user_two_factor_pending(user):
        return {"nav_items": [], "unread_notifications": 0}
    return {
        "nav_items": navigation_for(user, request.path),
        "unread_notifications": unread_notification_count(user),
        "may_administer": user_may_administer(user),
        "may_view_audit": user_may_view_audit(user),
    }
