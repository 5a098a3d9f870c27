"""Who may read and who may act in the inbox: the one place every moderation feature asks.

Community managers act on the channels of their units (and the units below); auditors read
them. Nobody sees another authority's items. Unit settings that touch co-determination or
retention are a system admin's decision.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_has_role
from channels_app.models import Channel

ACT_ROLES = (Role.COMMUNITY_MANAGER,)
READ_ROLES = (Role.COMMUNITY_MANAGER, Role.AUDITOR)
# Retention periods and the per-employee figures switch (staff council co-determination).
GOVERN_ROLES = (Role.SYSTEM_ADMIN,)


def channels_for_reading(user: User) -> QuerySet[Channel]:
    """Channels whose inbox the user may read."""
    return Channel.objects.filter(unit_id__in=unit_ids_for_roles(user, READ_ROLES))


def channels_for_moderating(user: User) -> QuerySet[Channel]:
    """Channels on which the user may answer, triage and moderate."""
    return Channel.objects.filter(unit_id__in=unit_ids_for_roles(user, ACT_ROLES))


def channel_ids_for_reading(user: User) -> set[int]:
    return set(channels_for_reading(user).values_list("id", flat=True))


def units_for_moderating(user: User) -> QuerySet[OrgUnit]:
    """Units whose moderation settings, Netiquette and saved replies the user maintains."""
    return OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, ACT_ROLES)).order_by("path")


def units_for_reading(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, READ_ROLES)).order_by("path")


def units_for_governing(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, GOVERN_ROLES)).order_by("path")


def unit_ids_for_reading_or_governing(user: User) -> set[int]:
    """Units whose moderation the user reads, and those they govern: a system admin also
    sees a unit's settings and its data-subject requests."""
    return unit_ids_for_roles(user, READ_ROLES) | unit_ids_for_roles(user, GOVERN_ROLES)


def units_for_moderating_or_governing(user: User) -> QuerySet[OrgUnit]:
    ids = unit_ids_for_roles(user, ACT_ROLES) | unit_ids_for_roles(user, GOVERN_ROLES)
    return OrgUnit.objects.filter(id__in=ids).order_by("path")


def units_for_reading_or_governing(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__in=unit_ids_for_reading_or_governing(user)).order_by("path")


def user_may_use_inbox(user: User) -> bool:
    """Cheap (no query once the role assignments are loaded): for the navigation."""
    return user_has_role(user, *READ_ROLES)


def user_may_see_moderation(user: User) -> bool:
    """Cheap: whether some moderation page is open to the user: the inbox's readers, and
    system admins for data protection and service levels (their units' settings)."""
    return user_has_role(user, *READ_ROLES, *GOVERN_ROLES)


def user_may_moderate(user: User) -> bool:
    return user_has_role(user, *ACT_ROLES)


def user_may_read_channel(user: User, channel_id: int) -> bool:
    return channels_for_reading(user).filter(pk=channel_id).exists()


def user_may_moderate_channel(user: User, channel_id: int) -> bool:
    return channels_for_moderating(user).filter(pk=channel_id).exists()
