# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Hostile content in citizens' text and names is stored intact and always rendered
escaped: in the list, in the conversation; the API hands it back unchanged as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from moderation.models import InboxItem
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.inbox.conftest import make_author
from tests.moderation.inbox.conftest import make_item
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ClientFor = Callable[[User], Client]
SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
RLO = "\u202egnp.exe"
HOSTILE = f"{SCRIPT} {IMG} {RLO} " + "A" * 100_000


@pytest.fixture
def hostile(org: Org) -> InboxItem:
    author = make_author(org.press_channel, display_name=f"{IMG}{RLO}", handle="<b>troll</b>")
    return make_item(org.press_channel, text=HOSTILE, author=author)


def _assert_escaped(page: str) -> None:
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>troll" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    # The right-to-left override cannot reorder anything outside its own isolate.
    assert f"<bdi>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;{RLO}</bdi>" in page


def test_the_list_escapes_hostile_content(
    hostile: InboxItem, people: People, client_for: ClientFor
) -> None:
    response = client_for(people.community_manager).get("/moderation/inbox/")
    assert response.status_code == 200
    _assert_escaped(response.content.decode())


def test_the_conversation_escapes_hostile_content(
    hostile: InboxItem, people: People, client_for: ClientFor
) -> None:
    response = client_for(people.community_manager).get(f"/moderation/inbox/{hostile.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    _assert_escaped(page)
    assert "A" * 100_000 in page  # the whole text, not cut off


def test_the_api_returns_hostile_content_intact(
    hostile: InboxItem, people: People, api_client_for: Callable[[User], Any]
) -> None:
    body = api_client_for(people.auditor).get(f"/api/v1/inbox-items/{hostile.pk}/").json()
    assert body["text"] == HOSTILE
    assert body["author"]["display_name"] == f"{IMG}{RLO}"
    row = api_client_for(people.auditor).get("/api/v1/inbox-items/").json()["results"][0]
    assert row["excerpt"] == HOSTILE[:280]
