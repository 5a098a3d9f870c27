"""A practice space made directly (F2's provisioning builds the same: a root unit of its own
with ``practice_of`` set and the user's roles in it)."""

from __future__ import annotations

from accounts.models import OrgUnit
from accounts.models import User
from accounts.services import role_assign
from accounts.services import unit_create


def practice_space(user: User, *roles: str) -> OrgUnit:
    unit = unit_create(actor=None, name=f"Übungsraum {user.email}", kind=OrgUnit.Kind.OFFICE)
    OrgUnit.objects.filter(pk=unit.pk).update(practice_of=user)
    unit.practice_of = user
    for role in roles:
        role_assign(actor=None, user=user, unit=unit, role=role, notify_user=False)
    return unit
