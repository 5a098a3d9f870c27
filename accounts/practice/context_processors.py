"""Template context for every page: the practice-mode banner and the header switch."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import User
from accounts.practice.selectors import practice_mode_on
from accounts.practice.selectors import user_may_practise
from accounts.selectors import user_two_factor_pending


def practice(request: HttpRequest) -> dict[str, Any]:
    """``practice_mode``: show the banner; ``may_practise``: show the switch. One query for
    users who ever practised (their last switch in the audit log), none for others."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or user_two_factor_pending(user):
        return {"practice_mode": False, "may_practise": False}
    return {"practice_mode": practice_mode_on(user), "may_practise": user_may_practise(user)}
