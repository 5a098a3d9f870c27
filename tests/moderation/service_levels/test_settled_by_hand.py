# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""An item set "answered" by hand (answered by phone or on the platform itself) counts as
answered when its status was changed; "no action needed" and closed need no answer. The
badge, the report and the breach list agree."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
import time_machine

from moderation.common.permissions import channels_for_reading
from moderation.inbox.services import inbox_item_set_status
from moderation.inbox.services import inbox_items_bulk_update
from moderation.models import InboxItem
from moderation.service_levels.selectors import deadline_state
from moderation.service_levels.selectors import items_breached
from moderation.service_levels.selectors import service_level_report
from moderation.service_levels.services import items_set_deadlines
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.service_levels.conftest import berlin
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

S = InboxItem.Status
DAY = {"start": date(2026, 12, 1), "end": date(2026, 12, 1)}


@pytest.fixture
def item(org) -> InboxItem:
    # Tuesday 09:00, 240 service minutes: due at 13:00.
    item = InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 12, 1, 9, 0))
    items_set_deadlines(items=[item])
    item.refresh_from_db()
    return item


def _set(people, item, status, at):  # type: ignore[no-untyped-def]
    with time_machine.travel(at, tick=False):
        inbox_item_set_status(actor=people.community_manager, item=item, status=status)
    item.refresh_from_db()
    return item


def _report(org, people):  # type: ignore[no-untyped-def]
    with time_machine.travel(berlin(2026, 12, 2, 9, 0), tick=False):
        return service_level_report(
            unit=org.press, channels=channels_for_reading(people.community_manager), **DAY
        )


def test_answered_by_hand_in_time_counts_as_met(org, people, item) -> None:
    _set(people, item, S.ANSWERED, berlin(2026, 12, 1, 10, 0))
    report = _report(org, people)
    assert (report.total.met, report.total.breached, report.total.open) == (1, 0, 0)


def test_answered_by_hand_after_the_deadline_counts_as_missed(org, people, item) -> None:
    _set(people, item, S.ANSWERED, berlin(2026, 12, 1, 15, 0))
    assert _report(org, people).total.breached == 1


def test_answered_by_hand_records_when_and_clears_the_deadline(org, people, item) -> None:
    item = _set(people, item, S.ANSWERED, berlin(2026, 12, 1, 10, 0))
    assert (item.first_responded_at, item.first_response_breached, item.response_due_at) == (
        berlin(2026, 12, 1, 10, 0),
        False,
        None,
    )


def test_answered_by_hand_is_not_in_the_breach_list(org, people, item) -> None:
    _set(people, item, S.ANSWERED, berlin(2026, 12, 1, 15, 0))
    assert not items_breached(InboxItem.objects.all(), now=berlin(2026, 12, 2, 9, 0)).exists()


def test_badge_of_an_item_answered_late_by_hand_says_so(org, people, item) -> None:
    item = _set(people, item, S.ANSWERED, berlin(2026, 12, 1, 15, 0))
    state = deadline_state(item, now=berlin(2026, 12, 2, 9, 0))
    assert (state.state, state.first_response_breached) == ("answered", True)


def test_answered_in_bulk_counts_as_responded(org, people, item) -> None:
    with time_machine.travel(berlin(2026, 12, 1, 10, 0), tick=False):
        inbox_items_bulk_update(
            actor=people.community_manager, items=[item], action="status", status=S.ANSWERED
        )
    assert _report(org, people).total.met == 1


def test_no_action_needed_counts_as_not_needed_even_after_the_deadline(org, people, item) -> None:
    _set(people, item, S.NO_ACTION, berlin(2026, 12, 1, 15, 0))
    report = _report(org, people)
    assert (report.total.not_needed, report.total.breached) == (1, 0)


def test_a_later_reply_does_not_move_the_first_response(org, people, item) -> None:
    from moderation.service_levels.services import item_response_recorded

    item = _set(people, item, S.ANSWERED, berlin(2026, 12, 1, 10, 0))
    item_response_recorded(item=item, at=berlin(2026, 12, 1, 16, 0))
    item.refresh_from_db()
    assert (item.first_responded_at, item.first_response_breached) == (
        berlin(2026, 12, 1, 10, 0),
        False,
    )


def test_migration_gives_items_answered_by_hand_before_their_response(org, item) -> None:
    from django.db import connection

    migration = importlib.import_module("moderation.migrations.0010_items_answered_by_hand")
    InboxItem.objects.filter(pk=item.pk).update(
        status=S.ANSWERED, updated_at=berlin(2026, 12, 1, 15, 0)
    )
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    item.refresh_from_db()
    assert (item.first_responded_at, item.first_response_breached, item.response_due_at) == (
        berlin(2026, 12, 1, 15, 0),
        True,
        None,
    )
