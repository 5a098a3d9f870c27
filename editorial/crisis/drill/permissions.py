"""Who runs crisis drills: system admins, for their units and the people of those units. In
practice mode the roles in force are those of the practice space, which mirrors a system
admin's role: the admin drills there, taking part themselves, and touches nothing real.
Participants tick the steps of a drill they take part in."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.practice.selectors import PRACTICE_COLLEAGUE_DOMAIN
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_has_role
from accounts.selectors import users_administered_by
from editorial.models import CrisisDrill

DRILL_ROLES = (Role.SYSTEM_ADMIN,)


def user_may_run_drills(user: User) -> bool:
    """Cheap (no query once the role assignments are loaded)."""
    return user_has_role(user, *DRILL_ROLES)


def units_for_drills(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, DRILL_ROLES)).order_by("path")


def participants_for_drills(user: User) -> QuerySet[User]:
    """People the admin may call to a drill: those of their units (the admin too), never a
    simulated person of a practice space (it has no practice space of its own)."""
    return (
        users_administered_by(user)
        .filter(is_active=True, role_assignments__unit_id__in=units_for_drills(user))
        .exclude(email__endswith=PRACTICE_COLLEAGUE_DOMAIN)
        .distinct()
        .order_by("email")
    )


def user_may_manage_drill(user: User, drill: CrisisDrill) -> bool:
    return drill.unit_id in unit_ids_for_roles(user, DRILL_ROLES)


def user_may_tick(user: User, drill: CrisisDrill) -> bool:
    return user_may_manage_drill(user, drill) or drill.participants.filter(pk=user.pk).exists()
