# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""A unit's moderation settings: what a change records, and what a unit inherits."""

from __future__ import annotations

import importlib

from django.apps import apps

from accounts.models import AuditEntry
from moderation.models import ModerationSettings
from moderation.models import moderation_settings_defaults
from moderation.service_levels.selectors import settings_for_units
from moderation.service_levels.services import moderation_settings_update
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_first_change_of_a_unit_records_that_it_inherited_before(org, people) -> None:
    ModerationSettings.objects.create(unit=org.city, first_response_minutes=60)
    moderation_settings_update(
        actor=people.community_manager, unit=org.press, values={"first_response_minutes": 90}
    )
    entry = AuditEntry.objects.get(action="moderation.service_levels.updated")
    assert entry.data["inherited_before"] == ["first_response_minutes"]


def _effective(unit):  # type: ignore[no-untyped-def]
    return settings_for_units([unit])[unit.pk]


def test_saving_service_levels_keeps_following_retention_set_above(org, people) -> None:
    moderation_settings_update(
        actor=people.community_manager, unit=org.press, values={"first_response_minutes": 90}
    )
    moderation_settings_update(
        actor=people.system_admin,
        unit=org.city,
        values={"retention_days": 30},
        action="moderation.privacy.settings_updated",
    )
    assert _effective(org.press).retention_days == 30


def test_saving_retention_keeps_following_the_employee_switch_above(org, people) -> None:
    moderation_settings_update(
        actor=people.system_admin,
        unit=org.press,
        values={"retention_days": 30, "employee_figures": False},
        action="moderation.privacy.settings_updated",
    )
    ModerationSettings.objects.create(unit=org.city, employee_figures=True)
    assert _effective(org.press).employee_figures is True


def test_a_value_the_unit_set_itself_is_kept_when_the_unit_above_changes(org, people) -> None:
    moderation_settings_update(
        actor=people.community_manager, unit=org.press, values={"first_response_minutes": 90}
    )
    moderation_settings_update(
        actor=people.community_manager, unit=org.city, values={"first_response_minutes": 30}
    )
    assert _effective(org.press).first_response_minutes == 90


def test_each_field_comes_from_the_nearest_unit_that_set_it(org) -> None:
    ModerationSettings.objects.create(unit=org.city, retention_days=30, storm_threshold=5)
    ModerationSettings.objects.create(unit=org.press, storm_threshold=7)
    effective = _effective(org.social)
    assert (
        effective.retention_days,
        effective.storm_threshold,
        effective.block_retention_days,
    ) == (
        30,
        7,
        730,
    )


def test_migration_turns_copied_inherited_values_back_into_inherited_ones(org) -> None:
    migration = importlib.import_module("moderation.migrations.0009_settings_inherited_per_field")
    ModerationSettings.objects.create(unit=org.city, retention_days=30)
    # What saving the press office's service levels used to store: a copy of everything.
    ModerationSettings.objects.create(
        unit=org.press,
        **{**moderation_settings_defaults(), "retention_days": 30, "first_response_minutes": 90},
    )
    migration.empty_inherited_copies(apps, None)
    row = ModerationSettings.objects.get(unit=org.press)
    assert (row.retention_days, row.employee_figures, row.first_response_minutes) == (
        None,
        None,
        90,
    )
