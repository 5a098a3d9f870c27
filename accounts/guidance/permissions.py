"""Who may see whose training record: system admins and auditors, of the people with a role
in their units (the views show, the selectors scope)."""

from __future__ import annotations

from accounts.guidance.selectors import TRAINING_VIEW_ROLES
from accounts.guidance.selectors import people_in_training_scope
from accounts.models import User
from accounts.selectors import user_has_role


def user_may_view_training_records(user: User) -> bool:
    return user_has_role(user, *TRAINING_VIEW_ROLES)


def user_may_view_training_of(viewer: User, person: User) -> bool:
    """The person has a role in one of the units the viewer administers or audits."""
    return people_in_training_scope(viewer).filter(pk=person.pk).exists()
