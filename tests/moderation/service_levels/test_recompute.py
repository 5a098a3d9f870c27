# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Deadlines follow the unit's current service hours and targets: recomputed for the items
still awaiting a first answer when they change, and when an item is reopened."""

from __future__ import annotations

import time_machine

from moderation.inbox.services import inbox_item_set_status
from moderation.models import InboxItem
from moderation.models import ModerationSettings
from moderation.service_levels import services as service_levels
from moderation.service_levels.services import items_recompute_deadlines
from moderation.service_levels.services import items_set_deadlines
from moderation.service_levels.services import moderation_settings_update
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.service_levels.conftest import berlin
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

S = InboxItem.Status
# Tuesday 1 December 2026, 09:00; by default due at 13:00 (240 service minutes from 08:00).
WRITTEN = berlin(2026, 12, 1, 9, 0)


def _item(channel, **fields) -> InboxItem:  # type: ignore[no-untyped-def]
    item = InboxItemFactory(channel=channel, created_at=WRITTEN, **fields)
    items_set_deadlines(items=[item])
    item.refresh_from_db()
    return item


def _change(people, unit, **values) -> None:  # type: ignore[no-untyped-def]
    moderation_settings_update(actor=people.community_manager, unit=unit, values=values)


def _due(item: InboxItem):  # type: ignore[no-untyped-def]
    item.refresh_from_db()
    return item.response_due_at


def test_changed_service_hours_move_the_deadline_of_an_open_item(org, people) -> None:
    item = _item(org.press_channel, status=S.OPEN)
    _change(people, org.press, service_hours={"1": [["10:00", "16:00"]]})
    assert _due(item) == berlin(2026, 12, 1, 14, 0)


def test_a_changed_target_moves_the_deadline(org, people) -> None:
    item = _item(org.press_channel)
    _change(people, org.press, first_response_minutes=60)
    assert _due(item) == berlin(2026, 12, 1, 10, 0)


def test_units_below_that_inherit_the_hours_follow(org, people) -> None:
    item = _item(org.social_channel)
    _change(people, org.press, first_response_minutes=60)
    assert _due(item) == berlin(2026, 12, 1, 10, 0)


def test_a_settled_item_keeps_no_deadline(org, people) -> None:
    item = _item(org.press_channel)
    InboxItem.objects.filter(pk=item.pk).update(status=S.CLOSED, response_due_at=None)
    _change(people, org.press, first_response_minutes=60)
    assert _due(item) is None


def test_an_answered_item_gets_no_new_deadline(org, people) -> None:
    item = _item(org.press_channel)
    InboxItem.objects.filter(pk=item.pk).update(
        first_responded_at=berlin(2026, 12, 1, 9, 30), response_due_at=None
    )
    _change(people, org.press, first_response_minutes=60)
    assert _due(item) is None


def test_other_settings_leave_deadlines_alone(org, people) -> None:
    item = _item(org.press_channel)
    InboxItem.objects.filter(pk=item.pk).update(response_due_at=berlin(2026, 12, 9, 9, 0))
    _change(people, org.press, storm_threshold=10)
    assert _due(item) == berlin(2026, 12, 9, 9, 0)


def test_many_items_are_recomputed_in_a_task_after_commit(
    org, people, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from moderation.service_levels import tasks

    items = [_item(org.press_channel) for _n in range(3)]
    monkeypatch.setattr(service_levels, "RECOMPUTE_INLINE", 2)
    queued: list[int] = []
    monkeypatch.setattr(tasks.recompute_deadlines, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        _change(people, org.press, first_response_minutes=60)
    assert queued == [org.press.pk]
    assert _due(items[0]) == berlin(2026, 12, 1, 13, 0)


def test_the_task_recomputes_in_batches(org, people, monkeypatch) -> None:
    items = [_item(org.press_channel) for _n in range(3)]
    ModerationSettings.objects.create(unit=org.press, first_response_minutes=60)
    monkeypatch.setattr(service_levels, "BATCH", 2)
    assert items_recompute_deadlines(unit=org.press) == 3
    assert {_due(item) for item in items} == {berlin(2026, 12, 1, 10, 0)}


def test_reopening_an_answered_item_gives_it_the_next_response_target(org, people) -> None:
    item = _item(org.press_channel)
    with time_machine.travel(berlin(2026, 12, 1, 10, 0), tick=False):
        inbox_item_set_status(actor=people.community_manager, item=item, status=S.ANSWERED)
    # Reopened on Wednesday 09:00: 480 service minutes, due Thursday 09:00.
    with time_machine.travel(berlin(2026, 12, 2, 9, 0), tick=False):
        inbox_item_set_status(actor=people.community_manager, item=item, status=S.OPEN)
    assert _due(item) == berlin(2026, 12, 3, 9, 0)


def test_reopening_an_unanswered_item_gives_it_its_deadline_in_the_current_hours(
    org, people
) -> None:
    item = _item(org.press_channel)
    inbox_item_set_status(actor=people.community_manager, item=item, status=S.NO_ACTION)
    InboxItem.objects.filter(pk=item.pk).update(response_due_at=None)
    ModerationSettings.objects.create(unit=org.press, first_response_minutes=60)
    inbox_item_set_status(actor=people.community_manager, item=item, status=S.OPEN)
    assert _due(item) == berlin(2026, 12, 1, 10, 0)
