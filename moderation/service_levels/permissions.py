"""Who sees and who changes a unit's service levels.

Community managers maintain the service levels of their units; auditors read them; system
admins see them too (they govern the privacy half of the same settings). Another
authority's unit is not found (404); a unit the user reads but may not change is a 403."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import OrgUnit
from accounts.models import User
from moderation.common.permissions import units_for_governing
from moderation.common.permissions import units_for_moderating
from moderation.common.permissions import units_for_reading_or_governing


def units_for_service_levels(user: User) -> QuerySet[OrgUnit]:
    """Units whose service levels the user may see."""
    return units_for_reading_or_governing(user)


def unit_for_service_levels(user: User, unit_id: int) -> OrgUnit:
    unit = units_for_service_levels(user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def user_may_edit_service_levels(user: User, unit: OrgUnit) -> bool:
    return units_for_moderating(user).filter(pk=unit.pk).exists()


def user_may_govern(user: User, unit: OrgUnit) -> bool:
    """Retention periods, the criminal unit and the per-employee switch."""
    return units_for_governing(user).filter(pk=unit.pk).exists()
