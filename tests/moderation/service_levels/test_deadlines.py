# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Response deadlines set per ingestion batch, and what a sent reply records."""

from __future__ import annotations

from datetime import timedelta

from moderation.models import InboxItem
from moderation.models import ModerationSettings
from moderation.service_levels.services import item_response_recorded
from moderation.service_levels.services import items_set_deadlines
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.moderation.service_levels.conftest import berlin
from tests.moderation.service_levels.conftest import sent_reply
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_new_item_gets_the_first_response_target(org) -> None:
    # Defaults: 240 service minutes, Monday-Friday 08:00-16:00; Friday 15:00 → Monday 11:00.
    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 4, 15, 0))
    items_set_deadlines(items=[item])
    item.refresh_from_db()
    assert item.response_due_at == berlin(2026, 12, 7, 11, 0)


def test_holiday_of_the_units_state_is_skipped(org) -> None:
    # The city lies in North Rhine-Westphalia: Fronleichnam (4 June 2026) has no service.
    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 6, 3, 15, 0))
    items_set_deadlines(items=[item])
    item.refresh_from_db()
    assert item.response_due_at == berlin(2026, 6, 5, 11, 0)


def test_settings_are_inherited_from_the_unit_above(org) -> None:
    ModerationSettings.objects.create(unit=org.city, first_response_minutes=30)
    item = InboxItemFactory(channel=org.social_channel, created_at=berlin(2026, 12, 1, 9, 0))
    items_set_deadlines(items=[item])
    item.refresh_from_db()
    assert item.response_due_at == berlin(2026, 12, 1, 9, 30)


def test_a_batch_is_written_in_a_bounded_number_of_queries(
    org, django_assert_max_num_queries
) -> None:
    ModerationSettings.objects.create(unit=org.police, first_response_minutes=60)
    items = [
        InboxItemFactory(channel=channel, created_at=berlin(2026, 12, 1, 9, minute))
        for minute in range(20)
        for channel in (org.press_channel, org.social_channel, org.police_channel)
    ]
    parent = items[0]
    for child in items[1:10]:
        child.parent = parent
        child.parent_remote_id = parent.remote_id
    with django_assert_max_num_queries(10):
        items_set_deadlines(items=items)
    due = dict(InboxItem.objects.values_list("pk", "response_due_at"))
    assert all(due[item.pk] is not None for item in items)
    police = next(i for i in items if i.channel_id == org.police_channel.pk)
    assert due[police.pk] == police.created_at + timedelta(minutes=60)


def test_follow_up_in_a_thread_we_answered_gets_the_next_response_target(org, people) -> None:
    ModerationSettings.objects.create(
        unit=org.press, first_response_minutes=60, next_response_minutes=120
    )
    author = AuthorFactory(channel=org.press_channel)
    first = InboxItemFactory(
        channel=org.press_channel, author=author, created_at=berlin(2026, 12, 1, 9, 0)
    )
    item_response_recorded(item=first, at=berlin(2026, 12, 1, 9, 30))
    follow_up = InboxItemFactory(
        channel=org.press_channel,
        author=author,
        parent=first,
        parent_remote_id=first.remote_id,
        created_at=berlin(2026, 12, 1, 10, 0),
    )
    items_set_deadlines(items=[follow_up])
    follow_up.refresh_from_db()
    assert follow_up.response_due_at == berlin(2026, 12, 1, 12, 0)


def test_answer_to_our_reply_is_a_follow_up(org, people) -> None:
    ModerationSettings.objects.create(
        unit=org.press, first_response_minutes=60, next_response_minutes=120
    )
    author = AuthorFactory(channel=org.press_channel)
    first = InboxItemFactory(
        channel=org.press_channel, author=author, created_at=berlin(2026, 12, 1, 9, 0)
    )
    sent_reply(first, people.community_manager, berlin(2026, 12, 1, 9, 20), remote_id="r-1")
    item_response_recorded(item=first, at=berlin(2026, 12, 1, 9, 20))
    # The platform names our reply as the parent; it is no inbox item.
    answer = InboxItemFactory(
        channel=org.press_channel,
        author=author,
        parent_remote_id="r-1",
        created_at=berlin(2026, 12, 1, 10, 0),
    )
    items_set_deadlines(items=[answer])
    answer.refresh_from_db()
    assert answer.response_due_at == berlin(2026, 12, 1, 12, 0)


def test_deeper_follow_up_finds_the_answer_up_the_chain(org) -> None:
    ModerationSettings.objects.create(
        unit=org.press, first_response_minutes=60, next_response_minutes=120
    )
    author = AuthorFactory(channel=org.press_channel)
    root = InboxItemFactory(
        channel=org.press_channel, author=author, created_at=berlin(2026, 12, 1, 9)
    )
    item_response_recorded(item=root, at=berlin(2026, 12, 1, 9, 10))
    middle = InboxItemFactory(
        channel=org.press_channel, parent=root, created_at=berlin(2026, 12, 1, 9, 20)
    )
    leaf = InboxItemFactory(
        channel=org.press_channel, author=author, parent=middle, created_at=berlin(2026, 12, 1, 10)
    )
    items_set_deadlines(items=[leaf])
    leaf.refresh_from_db()
    assert leaf.response_due_at == berlin(2026, 12, 1, 12, 0)


def test_someone_else_joining_an_answered_thread_gets_the_first_response_target(org) -> None:
    ModerationSettings.objects.create(
        unit=org.press, first_response_minutes=60, next_response_minutes=120
    )
    first = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 1, 9, 0))
    item_response_recorded(item=first, at=berlin(2026, 12, 1, 9, 30))
    other = InboxItemFactory(
        channel=org.press_channel, parent=first, created_at=berlin(2026, 12, 1, 10, 0)
    )
    items_set_deadlines(items=[other])
    other.refresh_from_db()
    assert other.response_due_at == berlin(2026, 12, 1, 11, 0)


def test_direct_message_after_an_answered_one_is_a_follow_up(org) -> None:
    ModerationSettings.objects.create(
        unit=org.press, first_response_minutes=60, next_response_minutes=120
    )
    author = AuthorFactory(channel=org.press_channel)
    earlier = InboxItemFactory(
        channel=org.press_channel,
        author=author,
        kind=InboxItem.Kind.MESSAGE,
        created_at=berlin(2026, 12, 1, 9),
    )
    item_response_recorded(item=earlier, at=berlin(2026, 12, 1, 9, 10))
    later = InboxItemFactory(
        channel=org.press_channel,
        author=author,
        kind=InboxItem.Kind.MESSAGE,
        created_at=berlin(2026, 12, 1, 10),
    )
    items_set_deadlines(items=[later])
    later.refresh_from_db()
    assert later.response_due_at == berlin(2026, 12, 1, 12, 0)


def test_closed_item_gets_no_deadline(org) -> None:
    item = InboxItemFactory(
        channel=org.press_channel,
        status=InboxItem.Status.CLOSED,
        created_at=berlin(2026, 12, 1, 9),
    )
    items_set_deadlines(items=[item])
    item.refresh_from_db()
    assert item.response_due_at is None


def test_unit_without_service_hours_sets_no_deadline(org) -> None:
    ModerationSettings.objects.create(unit=org.press, service_hours={})
    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 1, 9))
    items_set_deadlines(items=[item])
    item.refresh_from_db()
    assert item.response_due_at is None


def test_response_in_time_is_met_and_clears_the_deadline(org) -> None:
    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 1, 9))
    items_set_deadlines(items=[item])
    item_response_recorded(item=item, at=berlin(2026, 12, 1, 10))
    item.refresh_from_db()
    assert item.first_response_breached is False
    assert item.first_responded_at == item.last_responded_at == berlin(2026, 12, 1, 10)
    assert item.response_due_at is None


def test_late_response_is_breached(org) -> None:
    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 1, 9))
    items_set_deadlines(items=[item])
    item_response_recorded(item=item, at=berlin(2026, 12, 2, 9))
    item.refresh_from_db()
    assert item.first_response_breached is True


def test_second_response_keeps_the_first(org) -> None:
    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 1, 9))
    items_set_deadlines(items=[item])
    item_response_recorded(item=item, at=berlin(2026, 12, 1, 10))
    item_response_recorded(item=item, at=berlin(2026, 12, 3, 10))
    item.refresh_from_db()
    assert item.first_responded_at == berlin(2026, 12, 1, 10)
    assert item.last_responded_at == berlin(2026, 12, 3, 10)
    assert item.first_response_breached is False
