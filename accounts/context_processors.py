from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.navigation import NAV_ORDER
from accounts.navigation import NavItem
from accounts.navigation import count_together
from accounts.navigation import nav_actions_for
from accounts.navigation import navigation_for
from accounts.navigation import register_navigation
from accounts.navigation import visible_badges
from accounts.selectors import unread_notifications_for
from accounts.selectors import user_may_administer
from accounts.selectors import user_may_view_audit
from accounts.selectors import user_two_factor_pending


def _administration_url(user: User) -> str:
    return "manage:user_list" if user_may_administer(user) else "audit"


register_navigation(
    NavItem(
        label=_("Dashboard"),
        section="dashboard",
        url="dashboard",
        visible=lambda user: True,
        order=NAV_ORDER["dashboard"],
    ),
    NavItem(
        label=_("Administration"),
        section="manage",
        url=_administration_url,
        visible=lambda user: user_may_administer(user) or user_may_view_audit(user),
        order=NAV_ORDER["manage"],
        prefixes=("/manage/", "/audit/", "/editorial/publishing/", "/editorial/policy/"),
    ),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Main navigation: an area appears once it is built and the user may use it.

    Memoised on the request (a page may render more than one template with its context), and
    every badge, the unread notifications included, counted in one query."""
    memo: dict[str, Any] | None = getattr(request, "_sprachrohr_navigation", None)
    if memo is not None:
        return memo
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user_two_factor_pending(user):
        memo = {"nav_items": [], "nav_actions": [], "unread_notifications": 0}
    else:
        badges = visible_badges(user)
        counts = count_together(user, {**badges, "notifications": unread_notifications_for(user)})
        memo = {
            "nav_items": navigation_for(user, request.path, counts),
            "nav_actions": nav_actions_for(user, request.path),
            "unread_notifications": counts["notifications"],
            "may_administer": user_may_administer(user),
            "may_view_audit": user_may_view_audit(user),
        }
    request._sprachrohr_navigation = memo  # type: ignore[attr-defined]
    return memo
