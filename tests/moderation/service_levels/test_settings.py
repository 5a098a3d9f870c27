"""A unit's moderation settings: what a change records, and what a unit inherits."""

from __future__ import annotations

import pytest

from accounts.models import AuditEntry
from moderation.models import ModerationSettings
from moderation.service_levels.services import moderation_settings_update

pytestmark = pytest.mark.django_db


def test_first_change_of_a_unit_records_that_it_inherited_before(org, people) -> None:
    ModerationSettings.objects.create(unit=org.city, first_response_minutes=60)
    moderation_settings_update(
        actor=people.community_manager, unit=org.press, values={"first_response_minutes": 90}
    )
    entry = AuditEntry.objects.get(action="moderation.service_levels.updated")
    assert entry.data["inherited_before"] is True
