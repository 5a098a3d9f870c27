"""Template context for every page: the banner when a service that publishes is silent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from accounts.models import Role
from accounts.selectors import user_has_role
from accounts.selectors import user_may_administer
from accounts.selectors import user_two_factor_pending
from editorial.publishing.selectors import publishing_service_status

# Who is told: whose work stops going out when a service is silent and who can do something
# about it — the system admins (who restart it, guided by the operations page) and the
# people who publish (who tell them, publish by hand in an emergency, tell colleagues that
# posts come late). Auditors only read. See docs/service-status.md.
BANNER_ROLES = (
    Role.SYSTEM_ADMIN,
    Role.EDITOR,
    Role.APPROVER,
    Role.CHANNEL_ADMIN,
    Role.COMMUNITY_MANAGER,
)


def service_status(request: HttpRequest) -> dict[str, Any]:
    """``service_problem``: the ServiceStatus when a service is silent, else None;
    ``may_operate``: the user may open the operations page (its link in the banner).

    One cache read for the people who are told, nothing for anyone else; no query (the
    role assignments are memoised per request and loaded by the navigation already)."""
    user = getattr(request, "user", None)
    if (
        not settings.SERVICE_BANNER_ENABLED
        or user is None
        or not user.is_authenticated
        or user_two_factor_pending(user)
        or not user_has_role(user, *BANNER_ROLES)
    ):
        return {"service_problem": None}
    status = publishing_service_status()
    return {
        "service_problem": None if status.running else status,
        "may_operate": user_may_administer(user),
    }
