"""Which federal state a unit is in: its own, else the nearest ancestor's.

A federal state is set where it is known (usually at the authority) and holds for every
unit below it; the public holidays of a unit's service calendar and of its editorial plan
follow from it.
"""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import OrgUnit


def federal_states_for_units(units: Iterable[OrgUnit]) -> dict[int, str]:
    """Each unit's federal state (its own, else the nearest ancestor's; "" when none has
    one), by the unit's primary key, in one query."""
    units = list(units)
    ancestor_ids = {pk for unit in units for pk in unit.ancestor_ids}
    states = dict(
        OrgUnit.objects.filter(id__in=ancestor_ids)
        .exclude(federal_state="")
        .values_list("id", "federal_state")
    )
    return {
        unit.pk: next((states[pk] for pk in reversed(unit.ancestor_ids) if pk in states), "")
        for unit in units
    }
