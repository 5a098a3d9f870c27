"""Reads every moderation feature shares: a unit's effective settings."""

from __future__ import annotations

from accounts.models import OrgUnit
from moderation.models import ModerationSettings


def moderation_settings_for(unit: OrgUnit) -> ModerationSettings:
    """The unit's own settings, else the nearest ancestor's, else the defaults (unsaved)."""
    found = {s.unit_id: s for s in ModerationSettings.objects.filter(unit_id__in=unit.ancestor_ids)}
    for unit_id in reversed(unit.ancestor_ids):
        if unit_id in found:
            return found[unit_id]
    return ModerationSettings(unit=unit)
