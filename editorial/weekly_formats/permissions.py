"""Who keeps a unit's standing weekly formats: its editors (and those of the units above it),
as for the topic slots the formats plan."""

from __future__ import annotations

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from editorial.models import WeeklyFormat


def user_may_use_weekly_formats(user: User) -> bool:
    return bool(unit_ids_for_roles(user, [Role.EDITOR]))


def user_may_keep_weekly_formats(user: User, unit: OrgUnit) -> bool:
    return unit.pk in unit_ids_for_roles(user, [Role.EDITOR])


def user_may_edit_weekly_format(user: User, weekly_format: WeeklyFormat) -> bool:
    return weekly_format.unit_id in unit_ids_for_roles(user, [Role.EDITOR])
