# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The demo register: two blocked authors per sandbox channel, one due for review with an
objection waiting; loading twice adds nothing."""

from __future__ import annotations

from channels_app.models import Channel
from moderation.blocks import demo
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_the_demo_fills_each_section_of_the_register_once(org: Org, people: People) -> None:
    channel = org.press_channel
    channel.status = Channel.Status.ACTIVE
    channel.handle = "presse"
    channel.save()
    NetiquetteFactory(unit=org.city)
    InboxItemFactory(channel=channel, text="Gilt das auch am Wochenende?")
    first = InboxItemFactory(channel=channel, text="Ihr seid doch alle unfähig!")
    InboxItemFactory(channel=channel, author=first.author, text="Ihr Versager!")
    second = InboxItemFactory(channel=channel, text="Ihr Versager gehört entlassen.")

    demo.load({})
    demo.load({})

    blocks = BlockEntry.objects.order_by("pk")
    assert [b.author_id for b in blocks] == [first.author_id, second.author_id]
    assert all(b.evidence_id and b.rule.number == 1 for b in blocks)
    assert blocks[0].blocked_by == people.community_manager
    assert BlockAppeal.objects.get().block == blocks[0]
    assert blocks[0].review_due_on <= blocks[1].review_due_on
