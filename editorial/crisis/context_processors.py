"""Template context for every page: the crisis-mode banner and its "Pause publishing" button."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.practice.selectors import practice_mode_on
from accounts.selectors import user_two_factor_pending
from editorial.crisis.permissions import user_may_pause
from editorial.crisis.permissions import user_may_use_crisis_mode
from editorial.crisis.selectors import active_pauses_for_user


def crisis(request: HttpRequest) -> dict[str, Any]:
    """Active pauses that concern the user, whether they may start one, and whether the
    banner may link its pauses (the crisis pages are closed to the other roles).

    At most two queries (the user's role assignments, memoised per request and usually
    loaded by the navigation already, and the active pauses); none for anonymous users or
    before the second factor, whose pages must not reveal anything."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user_two_factor_pending(user):
        return {"active_pauses": [], "may_pause": False, "may_use_crisis_mode": False}
    return {
        "active_pauses": active_pauses_for_user(user),
        # In practice mode everyone holds the approver's role in their practice space, so
        # the red one-click button would show to every editor: it would pause only the
        # practice space, but a new person takes it for the real crisis action. Pausing is
        # practised in the system admin's crisis drill instead.
        "may_pause": user_may_pause(user) and not practice_mode_on(user),
        "may_use_crisis_mode": user_may_use_crisis_mode(user),
    }
