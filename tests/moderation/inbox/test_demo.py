# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The demo triage leaves every state to see, through the services, and runs twice safely."""

from __future__ import annotations

from accounts.models import AuditEntry
from channels_app.models import Channel
from moderation.inbox import demo
from moderation.models import InboxItem
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.inbox.conftest import S
from tests.moderation.inbox.conftest import make_item
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_the_demo_triages_each_sandbox_channel_once(org: Org, people: People) -> None:
    Channel.objects.filter(pk=org.press_channel.pk).update(status=Channel.Status.ACTIVE)
    for minutes in range(12):
        make_item(org.press_channel, minutes_ago=minutes)
    demo.load({})
    statuses = set(InboxItem.objects.values_list("status", flat=True))
    assert {S.NEW, S.OPEN, S.PENDING, S.NO_ACTION, S.CLOSED} <= statuses
    assert InboxItem.objects.filter(snoozed_until__isnull=False).count() == 1
    assert InboxItem.objects.filter(notes__isnull=False).count() == 1
    entries = AuditEntry.objects.count()
    demo.load({})
    assert AuditEntry.objects.count() == entries
