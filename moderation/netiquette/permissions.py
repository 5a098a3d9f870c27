"""Who maintains a unit's Netiquette: the community managers of the unit or above;
auditors read. A unit the user cannot read at all is answered as unknown (404)."""

from __future__ import annotations

from accounts.models import OrgUnit
from accounts.models import User
from moderation.common.permissions import units_for_moderating
from moderation.common.permissions import units_for_reading


def user_may_read_netiquette(user: User, unit: OrgUnit) -> bool:
    return units_for_reading(user).filter(pk=unit.pk).exists()


def user_may_edit_netiquette(user: User, unit: OrgUnit) -> bool:
    return units_for_moderating(user).filter(pk=unit.pk).exists()
