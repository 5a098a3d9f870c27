"""Who may pause publishing, for which units and channels, and who approves emergency
posts."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models import QuerySet

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_role_assignments
from channels_app.models import Channel
from editorial.models import Post
from editorial.models import PublishingPause
from editorial.policy.selectors import editorial_policy_for

# Who may start and end a pause in a unit (and on the channels of the unit and below).
PAUSE_ROLES = (Role.APPROVER, Role.CHANNEL_ADMIN, Role.SYSTEM_ADMIN)


def _assignment_paths(user: User, roles: Iterable[str] | None = None) -> set[str]:
    wanted = set(roles) if roles is not None else set(Role.values)
    return {a.unit.path for a in user_role_assignments(user) if a.role in wanted}


def _ancestor_ids(paths: Iterable[str]) -> set[int]:
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def _below(field: str, paths: Iterable[str]) -> Q:
    """``field`` (a unit path) lies in one of the subtrees rooted at ``paths``."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def units_for_pausing(user: User) -> QuerySet[OrgUnit]:
    """Units (with their subtrees) in which the user may pause publishing."""
    return OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, PAUSE_ROLES)).order_by("path")


def channels_for_pausing(user: User) -> QuerySet[Channel]:
    return (
        Channel.objects.filter(unit_id__in=unit_ids_for_roles(user, PAUSE_ROLES))
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def user_may_pause(user: User) -> bool:
    """Cheap (no query once the role assignments are loaded): for the banner button."""
    return bool(_assignment_paths(user, PAUSE_ROLES))


def user_may_use_crisis_mode(user: User) -> bool:
    """Cheap: who the crisis-mode page is for: whoever may pause publishing, and editors, who
    send emergency posts while it is paused."""
    return user_may_pause(user) or bool(_assignment_paths(user, [Role.EDITOR]))


def user_is_installation_operator(user: User) -> bool:
    """System admin of every top-level unit: may pause the whole installation."""
    admin_of = {
        a.unit_id
        for a in user_role_assignments(user)
        if a.role == Role.SYSTEM_ADMIN and a.unit.parent_id is None
    }
    if not admin_of:
        return False
    # Practice spaces are roots of their own, but nobody's installation.
    roots = set(
        OrgUnit.objects.filter(parent__isnull=True, practice_of__isnull=True).values_list(
            "id", flat=True
        )
    )
    return roots <= admin_of


def user_may_manage_pause_scope(
    user: User, *, unit: OrgUnit | None = None, channel: Channel | None = None
) -> bool:
    """May start (and end) a pause of this scope."""
    if channel is not None:
        return channel.unit_id in unit_ids_for_roles(user, PAUSE_ROLES)
    if unit is not None:
        return unit.pk in unit_ids_for_roles(user, PAUSE_ROLES)
    return user_is_installation_operator(user)


def user_may_manage_pause(user: User, pause: PublishingPause) -> bool:
    return user_may_manage_pause_scope(user, unit=pause.unit, channel=pause.channel)


def user_is_emergency_approver(user: User, post: Post) -> bool:
    return user.pk != post.author_id and any(u.pk == user.pk for u in emergency_approvers_for(post))


def emergency_approvers_for(post: Post) -> list[User]:
    """The designated emergency approvers of the post's unit (its effective policy)."""
    policy = editorial_policy_for(post.unit)
    if policy.pk is None:
        return []
    return list(policy.emergency_approvers.filter(is_active=True))
