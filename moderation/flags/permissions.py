"""Who may see and change what in the flags feature: community managers act (alerts,
lexicon, dismissing) for their units and channels; auditors read; another authority's units
and items do not exist for a user (404)."""

from __future__ import annotations

from accounts.models import OrgUnit
from accounts.models import User
from moderation.common.permissions import channels_for_moderating
from moderation.common.permissions import units_for_moderating
from moderation.common.permissions import units_for_reading
from moderation.common.permissions import user_may_use_inbox
from moderation.models import Flag
from moderation.models import KeywordAlert
from moderation.models import LexiconEntry


def user_may_see_flags_area(user: User) -> bool:
    return user_may_use_inbox(user)


def user_may_read_unit(user: User, unit: OrgUnit) -> bool:
    return units_for_reading(user).filter(pk=unit.pk).exists()


def user_may_manage_unit(user: User, unit: OrgUnit) -> bool:
    """May add and remove the unit's keyword alerts and lexicon words."""
    return units_for_moderating(user).filter(pk=unit.pk).exists()


def user_may_manage_alert(user: User, alert: KeywordAlert) -> bool:
    return units_for_moderating(user).filter(pk=alert.unit_id).exists()


def user_may_manage_entry(user: User, entry: LexiconEntry) -> bool:
    return units_for_moderating(user).filter(pk=entry.unit_id).exists()


def user_may_dismiss(user: User, flag: Flag) -> bool:
    return channels_for_moderating(user).filter(pk=flag.item.channel_id).exists()
