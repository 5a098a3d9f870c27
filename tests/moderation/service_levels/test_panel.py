# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The response-time panel of the conversation view."""

from __future__ import annotations

from django.template.loader import render_to_string

from moderation.common.panels import item_panels_for
from moderation.service_levels.services import item_response_recorded
from moderation.service_levels.services import items_set_deadlines
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.service_levels.conftest import berlin
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _panel(user, item):  # type: ignore[no-untyped-def]
    return next((p for p in item_panels_for(user, item) if p.name == "service_levels"), None)


def test_panel_shows_the_first_response_in_service_hours(org, people) -> None:
    # Friday 15:00, answered Monday 09:00: one service hour on Friday, one on Monday.
    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 4, 15))
    items_set_deadlines(items=[item])
    item_response_recorded(item=item, at=berlin(2026, 12, 7, 9))
    panel = _panel(people.auditor, item)
    assert panel is not None
    assert panel.context["first_response_hours"] == 2.0
    html = render_to_string(panel.template, {"panel": panel.context})
    assert de("target met") in html


def test_panel_is_not_shown_to_another_authority(org, people) -> None:
    item = InboxItemFactory(channel=org.press_channel)
    assert _panel(people.outsider, item) is None
