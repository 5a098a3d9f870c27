# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Storm alerts: once per window, audited, community managers notified."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import Notification
from moderation.models import ModerationSettings
from moderation.models import StormAlert
from moderation.service_levels.services import storm_check
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture
def storm_settings(org):  # type: ignore[no-untyped-def]
    return ModerationSettings.objects.create(
        unit=org.press, storm_threshold=5, storm_window_minutes=30
    )


def _items(channel, count: int, minutes_ago: int = 1) -> None:  # type: ignore[no-untyped-def]
    for _n in range(count):
        InboxItemFactory(
            channel=channel, created_at=timezone.now() - timedelta(minutes=minutes_ago)
        )


def test_below_the_threshold_no_alert(org, storm_settings) -> None:
    _items(org.press_channel, 4)
    assert storm_check(channel=org.press_channel) is None


def test_items_outside_the_window_do_not_count(org, storm_settings) -> None:
    _items(org.press_channel, 10, minutes_ago=45)
    assert storm_check(channel=org.press_channel) is None


def test_threshold_reached_raises_an_alert(org, storm_settings) -> None:
    _items(org.press_channel, 5)
    alert = storm_check(channel=org.press_channel)
    assert alert is not None
    assert alert.item_count == 5


def test_alert_is_audited(org, storm_settings) -> None:
    _items(org.press_channel, 5)
    alert = storm_check(channel=org.press_channel)
    entry = AuditEntry.objects.get(action="moderation.service_levels.storm_alert")
    assert entry.target_id == str(alert.pk)
    assert entry.data["item_count"] == 5


def test_community_managers_of_the_unit_are_notified(org, people, storm_settings) -> None:
    _items(org.press_channel, 5)
    storm_check(channel=org.press_channel)
    recipients = set(
        Notification.objects.filter(kind="moderation.storm_alert").values_list(
            "recipient__email", flat=True
        )
    )
    assert recipients == {people.community_manager.email}


def test_only_once_per_window(org, storm_settings) -> None:
    _items(org.press_channel, 5)
    assert storm_check(channel=org.press_channel) is not None
    _items(org.press_channel, 5)
    assert storm_check(channel=org.press_channel) is None
    assert StormAlert.objects.count() == 1


def test_again_after_the_window(org, storm_settings) -> None:
    _items(org.press_channel, 5)
    storm_check(channel=org.press_channel)
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        _items(org.press_channel, 5)
        assert storm_check(channel=org.press_channel) is not None
    assert StormAlert.objects.count() == 2


def test_another_channel_has_its_own_window(org, storm_settings) -> None:
    _items(org.press_channel, 5)
    storm_check(channel=org.press_channel)
    _items(org.social_channel, 5)
    assert storm_check(channel=org.social_channel) is not None


def test_notification_names_the_channel_and_count(org, people, storm_settings) -> None:
    from accounts.notifications import notification_render

    _items(org.press_channel, 5)
    storm_check(channel=org.press_channel)
    notification = Notification.objects.get(kind="moderation.storm_alert")
    rendered = notification_render(notification, language="en")
    assert rendered.subject == "Storm alert: 5 items on Stadt Mastodon"
    assert "within 30 minutes" in rendered.text
    assert "/moderation/service-levels/" in rendered.html
