"""Who requests and reads records exports.

A records export holds everything the authority published in a unit's channels, with who
approved it, the moderation decisions on the replies and the audit trail: it is for those
who answer for the record. Approvers (the heads of the press office) and system admins
request and download them for their units and the units below; auditors too (they check the
record). Another authority's export is not found (404); so is one of a unit the user holds
only another role in."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import user_has_role
from channels_app.models import Channel

RECORDS_ROLES = (Role.APPROVER, Role.SYSTEM_ADMIN, Role.AUDITOR)


def unit_ids_for_records(user: User) -> set[int]:
    return unit_ids_for_roles(user, RECORDS_ROLES, practice=False)


def units_for_records(user: User) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(id__in=unit_ids_for_records(user)).order_by("path")


def channels_for_records(user: User) -> QuerySet[Channel]:
    return Channel.objects.filter(unit_id__in=unit_ids_for_records(user))


def user_may_use_records(user: User) -> bool:
    """Cheap (no query once the role assignments are loaded): for the navigation and the
    pages' permission check."""
    return user_has_role(user, *RECORDS_ROLES, practice=False)


def user_may_export_records_of(user: User, unit_id: int) -> bool:
    return unit_id in unit_ids_for_records(user)
