"""Who may use the media library and who may upload, describe and delete files."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from editorial.models import MediaAsset

# Who may upload, describe and delete media in a unit (and the units below it).
MEDIA_EDIT_ROLES = (Role.EDITOR, Role.CHANNEL_ADMIN)


def media_upload_units(user: User) -> QuerySet[OrgUnit]:
    """Units the user may upload to: editor or channel admin there or above."""
    return OrgUnit.objects.filter(id__in=unit_ids_for_roles(user, MEDIA_EDIT_ROLES))


def user_may_use_media_library(user: User) -> bool:
    return bool(unit_ids_for_roles(user, Role.values))


def user_may_edit_media(user: User, asset: MediaAsset) -> bool:
    return asset.unit_id in unit_ids_for_roles(user, MEDIA_EDIT_ROLES)


def _check_may_edit(actor: User, unit: OrgUnit) -> None:
    if unit.pk not in unit_ids_for_roles(actor, MEDIA_EDIT_ROLES):
        raise PermissionDenied
