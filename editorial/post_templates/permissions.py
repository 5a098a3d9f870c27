"""Who may write, use and mark post templates as emergency templates."""

from __future__ import annotations

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_roles
from editorial.models import PostTemplate
from editorial.posts.selectors import units_for_authoring

EMERGENCY_ROLES = (Role.CHANNEL_ADMIN, Role.SYSTEM_ADMIN)


def user_may_mark_emergency(user: User, unit: OrgUnit) -> bool:
    return unit.pk in unit_ids_for_roles(user, EMERGENCY_ROLES)


def user_may_edit_template(user: User, template: PostTemplate) -> bool:
    """Editors of the unit; for an emergency template, only those who may also mark it."""
    if template.unit_id not in unit_ids_for_roles(user, [Role.EDITOR]):
        return False
    return not template.is_emergency or user_may_mark_emergency(user, template.unit)


def user_may_use_template(user: User, template: PostTemplate) -> bool:
    return units_for_authoring(user).exists() and template.unit_id in unit_ids_for_roles(
        user, Role.values
    )


def user_may_use_templates(user: User) -> bool:
    """Whoever holds a role may read the templates of their units (for the navigation)."""
    return bool(user_roles(user))
