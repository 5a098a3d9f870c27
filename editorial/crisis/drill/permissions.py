"""Who runs crisis drills: system admins, for their units and the people of those units.
Participants tick the steps of a drill they take part in."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import OrgUnit, Role, User
from accounts.selectors import unit_ids_for_roles, user_has_role, users_administered_by
from editorial.models import CrisisDrill

DRILL_ROLES = (Role.SYSTEM_ADMIN,)


def user_may_run_drills(user: User) -> bool:
    """Cheap (no query once the role assignments are loaded)."""
    return user_has_role(user, *DRILL_ROLES, practice=False)


def units_for_drills(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        id__in=unit_ids_for_roles(user, DRILL_ROLES, practice=False)
    ).order_by("path")


def participants_for_drills(user: User) -> QuerySet[User]:
    """People the admin may call to a drill: those of their units (the admin too)."""
    return (
        users_administered_by(user)
        .filter(is_active=True, role_assignments__unit_id__in=units_for_drills(user))
        .distinct()
        .order_by("email")
    )


def user_may_manage_drill(user: User, drill: CrisisDrill) -> bool:
    return drill.unit_id in unit_ids_for_roles(user, DRILL_ROLES, practice=False)


def user_may_tick(user: User, drill: CrisisDrill) -> bool:
    return user_may_manage_drill(user, drill) or drill.participants.filter(pk=user.pk).exists()
