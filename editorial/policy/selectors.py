"""A unit's effective editorial rules (its own, or the nearest unit above that has some)."""

from __future__ import annotations

from accounts.models import OrgUnit
from editorial.models import EditorialPolicy


def editorial_policy_for(unit: OrgUnit) -> EditorialPolicy:
    """The unit's own policy, else the nearest ancestor's, else the defaults (unsaved)."""
    policies = {p.unit_id: p for p in EditorialPolicy.objects.filter(unit_id__in=unit.ancestor_ids)}
    for unit_id in reversed(unit.ancestor_ids):
        if unit_id in policies:
            return policies[unit_id]
    return EditorialPolicy(unit=unit)
