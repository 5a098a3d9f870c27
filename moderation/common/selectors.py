"""Reads every moderation feature shares: a unit's effective settings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from accounts.models import OrgUnit
from moderation.models import ModerationSettings
from moderation.models import moderation_settings_defaults

# Every setting a unit inherits field by field, by attribute name (``criminal_unit_id``:
# the key, so that resolving needs no query for the unit itself).
SETTINGS_ATTNAMES = tuple(moderation_settings_defaults())


def field_name(attname: str) -> str:
    return attname.removesuffix("_id")


@dataclass(frozen=True)
class EffectiveSettings:
    """A unit's settings as they apply to it: each field its own value, else the nearest
    unit's above that set it, else the default. Read-only: a unit's own values are written
    by ``moderation_settings_update``."""

    unit: OrgUnit
    service_hours: dict[str, list[list[str]]]
    first_response_minutes: int
    next_response_minutes: int
    storm_threshold: int
    storm_window_minutes: int
    replies_need_approval: bool
    retention_days: int
    evidence_retention_days: int
    block_retention_days: int
    criminal_unit_id: int | None
    employee_figures: bool
    # Field name → id of the unit whose value applies (``None``: the default).
    sources: dict[str, int | None]
    # The fields the unit set itself.
    own_fields: frozenset[str]

    @cached_property
    def criminal_unit(self) -> OrgUnit | None:
        if self.criminal_unit_id is None:
            return None
        return OrgUnit.objects.filter(pk=self.criminal_unit_id).first()

    def snapshot(self, *fields: str) -> dict[str, Any]:
        """``fields`` for an audit entry's before/after (a unit as its id)."""
        return {
            name: getattr(self, f"{name}_id" if name == "criminal_unit" else name)
            for name in fields
        }


def settings_for_units(units: Iterable[OrgUnit]) -> dict[int, EffectiveSettings]:
    """Each unit's effective settings, field by field: its own value, else the value of
    the nearest unit above that set the field, else the default. One query for any number
    of units."""
    units = list(units)
    ancestor_ids = {pk for unit in units for pk in unit.ancestor_ids}
    rows = {s.unit_id: s for s in ModerationSettings.objects.filter(unit_id__in=ancestor_ids)}
    result = {}
    for unit in units:
        values = moderation_settings_defaults()
        sources: dict[str, int | None] = {field_name(a): None for a in SETTINGS_ATTNAMES}
        # From the top down: a unit's value overrides what came from above it.
        for unit_id in unit.ancestor_ids:
            row = rows.get(unit_id)
            if row is None:
                continue
            for attname in SETTINGS_ATTNAMES:
                value = getattr(row, attname)
                if value is not None:
                    values[attname] = value
                    sources[field_name(attname)] = unit_id
        own = frozenset(name for name, source in sources.items() if source == unit.pk)
        result[unit.pk] = EffectiveSettings(unit=unit, sources=sources, own_fields=own, **values)
    return result


def moderation_settings_for(unit: OrgUnit) -> EffectiveSettings:
    """The unit's effective settings (see ``settings_for_units``)."""
    return settings_for_units([unit])[unit.pk]


def settings_origins(
    settings: EffectiveSettings, fields: Iterable[str]
) -> list[tuple[str, OrgUnit | None]]:
    """For the settings pages: the ``fields`` the unit did not set itself, each with the
    unit above whose value applies (``None``: the default); one query."""
    inherited = [name for name in fields if name not in settings.own_fields]
    source_ids = {settings.sources[name] for name in inherited} - {None}
    units = OrgUnit.objects.in_bulk(source_ids)
    return [
        (
            str(ModerationSettings._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
            units.get(settings.sources[name] or 0),
        )
        for name in inherited
    ]


def settings_origin(settings: EffectiveSettings, fields: Iterable[str]) -> str:
    """ "own", "mixed" (some fields set by the unit, some not), "inherited" (none set by the
    unit, some by a unit above) or "defaults"."""
    fields = list(fields)
    own = [name for name in fields if name in settings.own_fields]
    if own:
        return "own" if len(own) == len(fields) else "mixed"
    if any(settings.sources[name] is not None for name in fields):
        return "inherited"
    return "defaults"
