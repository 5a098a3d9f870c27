"""Who sees and who changes a unit's goals, target groups and channel strategies.

Goals are the press office's plan: approvers (usually the heads of the press office) and
system admins set them for their units and the units below; everyone else with a role in a
unit reads them (editors, community managers and channel admins work towards them, auditors
check them). Another authority's goal is not found (404); a goal the user reads but may not
change is a 403."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_has_role
from channels_app.models import Channel

EDIT_ROLES = (Role.APPROVER, Role.SYSTEM_ADMIN)
READ_ROLES = tuple(Role.values)


def unit_ids_for_reading_goals(user: User) -> set[int]:
    return unit_ids_for_roles(user, READ_ROLES, practice=False)


def units_for_reading_goals(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__in=unit_ids_for_reading_goals(user)).order_by("path")


def units_for_editing_goals(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        id__in=unit_ids_for_roles(user, EDIT_ROLES, practice=False)
    ).order_by("path")


def channels_for_reading_goals(user: User) -> QuerySet[Channel]:
    """Channels whose strategy the user reads: those of the units whose goals they read."""
    return Channel.objects.filter(unit_id__in=unit_ids_for_reading_goals(user))


def user_may_see_goals(user: User) -> bool:
    """Cheap (no query once the role assignments are loaded): for the navigation."""
    return user_has_role(user, *READ_ROLES, practice=False)


def user_may_edit_goals(user: User) -> bool:
    """Whether the user sets goals in some unit (offers the "New" buttons)."""
    return user_has_role(user, *EDIT_ROLES, practice=False)


def user_may_edit_goals_of(user: User, unit_id: int) -> bool:
    return unit_id in unit_ids_for_roles(user, EDIT_ROLES, practice=False)
