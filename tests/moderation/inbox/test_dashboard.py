# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The inbox panel of the dashboard: what waits for an answer, what is overdue by the service
levels, what is assigned to me; on the channels the community manager moderates only."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from moderation.inbox.dashboard import inbox_panel
from moderation.models import InboxItem
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_the_community_manager_sees_open_overdue_and_assigned_items(
    org: Org, people: People
) -> None:
    now = timezone.now()
    InboxItemFactory(channel=org.press_channel, response_due_at=now - timedelta(hours=1))
    InboxItemFactory(
        channel=org.social_channel,
        response_due_at=now + timedelta(hours=3),
        assignee=people.community_manager,
    )
    InboxItemFactory(channel=org.press_channel, status=InboxItem.Status.PENDING)
    # Snoozed: out of the list, but its deadline passed all the same.
    InboxItemFactory(
        channel=org.press_channel,
        snoozed_until=now + timedelta(days=1),
        response_due_at=now - timedelta(minutes=5),
    )
    InboxItemFactory(channel=org.press_channel, status=InboxItem.Status.CLOSED)
    InboxItemFactory(channel=org.police_channel, response_due_at=now - timedelta(hours=1))
    panel = inbox_panel(people.community_manager)
    assert panel is not None
    assert [count.value for count in panel.counts] == [3, 2, 1]
    # The most urgent deadline first.
    assert panel.items[0].response_due_at < now


def test_the_panel_is_for_those_who_answer(people: People) -> None:
    assert inbox_panel(people.auditor) is None
    assert inbox_panel(people.editor) is None
