"""Who reads a unit's monthly reports and who changes its report settings.

The report holds the figures and goals of the unit and the units below it, so it follows the
goals: everyone with a role in a unit reads its reports (auditors included); approvers (the
heads of the press office) and system admins build one on request and decide whether, in
which language and to whom it is sent each month. Another authority's report is not found
(404); a report or setting the user reads but may not change is a 403."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import OrgUnit, Role, User
from accounts.selectors import unit_ids_for_roles, user_has_role

EDIT_ROLES = (Role.APPROVER, Role.SYSTEM_ADMIN)
READ_ROLES = tuple(Role.values)


def unit_ids_for_reading_reports(user: User) -> set[int]:
    return unit_ids_for_roles(user, READ_ROLES, practice=False)


def units_for_reading_reports(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__in=unit_ids_for_reading_reports(user)).order_by("path")


def units_for_editing_reports(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        id__in=unit_ids_for_roles(user, EDIT_ROLES, practice=False)
    ).order_by("path")


def user_may_see_reports(user: User) -> bool:
    """Cheap (no query once the role assignments are loaded): for the navigation."""
    return user_has_role(user, *READ_ROLES, practice=False)


def user_may_edit_reports(user: User) -> bool:
    """Whether the user builds reports or changes report settings in some unit."""
    return user_has_role(user, *EDIT_ROLES, practice=False)


def user_may_edit_reports_of(user: User, unit_id: int) -> bool:
    return unit_id in unit_ids_for_roles(user, EDIT_ROLES, practice=False)
