"""Who sees the dashboard: everyone with a role in a unit sees the figures of that unit and
of the units below it (editors, community managers and channel admins work towards the
goals, approvers lead, auditors check); nobody sees another authority's. The same rule as
for reading goals (``analytics.goals.permissions``), so goals and figures always agree."""

from __future__ import annotations

from accounts.models import User
from analytics.goals.permissions import unit_ids_for_reading_goals
from analytics.goals.permissions import user_may_see_goals


def unit_ids_for_dashboard(user: User) -> set[int]:
    return unit_ids_for_reading_goals(user)


def user_may_see_dashboard(user: User) -> bool:
    """Cheap (no query once the role assignments are loaded): for the navigation."""
    return user_may_see_goals(user)
