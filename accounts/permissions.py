"""Which channel permissions each role grants, and how they reach django-guardian.

A role held in a unit applies to the channels of that unit and of every unit below it. Each
(unit, role) pair has a Django group; a member of the group holds the role's object
permissions on every channel of the unit's subtree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from guardian.models import GroupObjectPermission

from accounts.models import OrgUnit
from accounts.models import Role

if TYPE_CHECKING:
    from channels_app.models import Channel

VIEW_CHANNEL = "channels_app.view_channel"
DRAFT_ON_CHANNEL = "channels_app.draft_on_channel"
APPROVE_ON_CHANNEL = "channels_app.approve_on_channel"
MODERATE_CHANNEL = "channels_app.moderate_channel"
MANAGE_CHANNEL = "channels_app.manage_channel"

ROLE_CHANNEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.EDITOR: (VIEW_CHANNEL, DRAFT_ON_CHANNEL),
    Role.APPROVER: (VIEW_CHANNEL, APPROVE_ON_CHANNEL),
    Role.COMMUNITY_MANAGER: (VIEW_CHANNEL, MODERATE_CHANNEL),
    Role.CHANNEL_ADMIN: (VIEW_CHANNEL, MANAGE_CHANNEL),
    Role.AUDITOR: (VIEW_CHANNEL,),
    Role.SYSTEM_ADMIN: (VIEW_CHANNEL,),
}


def role_group_name(unit_id: int, role: str) -> str:
    return f"unit-{unit_id}-{role}"


def role_group(unit_id: int, role: str) -> Group:
    group, _created = Group.objects.get_or_create(name=role_group_name(unit_id, role))
    return group


def _role_groups(unit_ids: list[int]) -> dict[tuple[int, str], Group]:
    wanted = {role_group_name(u, r): (u, r) for u in unit_ids for r in ROLE_CHANNEL_PERMISSIONS}
    Group.objects.bulk_create([Group(name=name) for name in wanted], ignore_conflicts=True)
    return {wanted[g.name]: g for g in Group.objects.filter(name__in=wanted)}


@transaction.atomic
def channel_permissions_sync(channel: Channel) -> None:
    """Replace the channel's group permissions with those its unit's ancestry grants."""
    content_type = ContentType.objects.get_for_model(channel)
    object_pk = str(channel.pk)
    GroupObjectPermission.objects.filter(content_type=content_type, object_pk=object_pk).delete()
    unit_ids = OrgUnit.objects.get(pk=channel.unit_id).ancestor_ids
    groups = _role_groups(unit_ids)
    permissions = {
        f"{content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(content_type=content_type)
    }
    GroupObjectPermission.objects.bulk_create(
        GroupObjectPermission(
            group=groups[(unit_id, role)],
            permission=permissions[permission],
            content_type=content_type,
            object_pk=object_pk,
        )
        for unit_id in unit_ids
        for role, role_permissions in ROLE_CHANNEL_PERMISSIONS.items()
        for permission in role_permissions
    )
