"""Which channel permissions each role grants, and how they reach django-guardian.

A role held in a unit applies to the channels of that unit and of every unit below it. Each
(unit, role) pair has a Django group; a member of the group holds the role's object
permissions on every channel of the unit's subtree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from guardian.models import GroupObjectPermission
from guardian.shortcuts import assign_perm

from accounts.models import OrgUnit, Role

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


def channel_permissions_sync(channel: Channel) -> None:
    """Replace the channel's group permissions with those its unit's ancestry grants."""
    GroupObjectPermission.objects.filter(
        object_pk=str(channel.pk), content_type__app_label="channels_app"
    ).delete()
    unit = OrgUnit.objects.get(pk=channel.unit_id)
    for unit_id in unit.ancestor_ids:
        for role, permissions in ROLE_CHANNEL_PERMISSIONS.items():
            group = role_group(unit_id, role)
            for permission in permissions:
                assign_perm(permission, group, channel)
