"""Who reads and who adopts or changes a unit's starter documents and formats.

Everyone with a role in the unit (or above it) reads its guideline and crisis checklist;
system admins of the unit adopt and edit them. Emergency templates are adopted by those who
may mark emergency templates (channel and system admins); the weekly rhythm by editors, who
plan the Redaktionsplan."""

from __future__ import annotations

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_roles
from editorial.post_templates.permissions import user_may_mark_emergency
from editorial.posts.selectors import units_for_authoring


def user_may_use_starters(user: User) -> bool:
    return bool(user_roles(user))


def user_may_read_documents(user: User, unit: OrgUnit) -> bool:
    return unit.pk in unit_ids_for_roles(user, Role.values)


def user_may_edit_documents(user: User, unit: OrgUnit) -> bool:
    return unit.pk in unit_ids_for_roles(user, [Role.SYSTEM_ADMIN])


def user_may_adopt_emergency_templates(user: User, unit: OrgUnit) -> bool:
    return user_may_mark_emergency(user, unit)


def user_may_adopt_rhythm(user: User, unit: OrgUnit) -> bool:
    return units_for_authoring(user).filter(pk=unit.pk).exists()
