"""Fixtures of the block register tests: the city's published Netiquette, a comment on the
press office's Mastodon channel (faked at the HTTP boundary with ``responses``, payloads as
Mastodon's documentation shows them), its evidence record, and a second community manager
who may decide objections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import Role
from accounts.models import User
from channels_app.credentials import credentials_write
from channels_app.models import Channel
from channels_app.models import Platform
from moderation.actions.services import action_block
from moderation.evidence.services import evidence_record
from moderation.models import BlockEntry
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import NetiquetteRule
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory

MASTODON = "https://social.musterstadt.example"
AUTHOR_ID = "109876543210"


def relationship(blocking: bool) -> dict[str, Any]:
    """Mastodon's Relationship entity, as /api/v1/accounts/:id/block|unblock return it."""
    return {
        "id": AUTHOR_ID,
        "following": False,
        "showing_reblogs": False,
        "notifying": False,
        "languages": None,
        "followed_by": False,
        "blocking": blocking,
        "blocked_by": False,
        "muting": False,
        "muting_notifications": False,
        "requested": False,
        "requested_by": False,
        "domain_blocking": False,
        "endorsed": False,
        "note": "",
    }


BLOCK_URL = f"{MASTODON}/api/v1/accounts/{AUTHOR_ID}/block"
UNBLOCK_URL = f"{MASTODON}/api/v1/accounts/{AUTHOR_ID}/unblock"


def connect(channel: Channel, platform: str, **fields: Any) -> Channel:
    channel.platform = platform
    for name, value in fields.items():
        setattr(channel, name, value)
    credentials_write(channel, {"access_token": "token-0123456789abcdef"})
    channel.status = Channel.Status.ACTIVE
    channel.save()
    return channel


@pytest.fixture
def rules(org: Org) -> list[NetiquetteRule]:
    """The city's published Netiquette (applies to every unit below)."""
    netiquette = NetiquetteFactory(unit=org.city)
    return list(netiquette.rules.order_by("number"))


@pytest.fixture
def rule(rules: list[NetiquetteRule]) -> NetiquetteRule:
    return rules[0]


@pytest.fixture
def mastodon(org: Org) -> Channel:
    return connect(
        org.press_channel, Platform.MASTODON, base_url=MASTODON, account_id="1", handle="@stadt"
    )


@pytest.fixture
def item(mastodon: Channel) -> InboxItem:
    author = AuthorFactory(channel=mastodon, remote_id=AUTHOR_ID, handle="@wutbuerger")
    return InboxItemFactory(channel=mastodon, author=author, text="Ihr Versager!")


@pytest.fixture
def evidence(item: InboxItem, people: People) -> EvidenceRecord:
    return evidence_record(actor=people.community_manager, item=item)


@pytest.fixture
def second_manager(org: Org) -> User:
    return UserFactory(
        email="community2@stadt.example", roles=[(org.press, Role.COMMUNITY_MANAGER)]
    )


@pytest.fixture
def third_manager(org: Org) -> User:
    return UserFactory(email="community3@stadt.example", roles=[(org.city, Role.COMMUNITY_MANAGER)])


WHY_NOT_HIDING = "Verborgene Kommentare haben nichts geändert: er schreibt weiter so."


@pytest.fixture
def make_block(people: People, rule: NetiquetteRule) -> Callable[..., BlockEntry]:
    """``make_block(item, **overrides)``: a block as every block is made, a moderation
    decision of kind block (``action_block``), its evidence first."""

    def make(item: InboxItem, **overrides: Any) -> BlockEntry:
        arguments: dict[str, Any] = {
            "actor": people.community_manager,
            "item": item,
            "rule": rule,
            "justification": "Wiederholte Beleidigungen trotz Hinweis auf § 1.",
            "why_not_milder": WHY_NOT_HIDING,
        }
        arguments.update(overrides)
        return action_block(**arguments)

    return make


@pytest.fixture
def block(make_block: Callable[..., BlockEntry], item: InboxItem) -> BlockEntry:
    return make_block(item)
