# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Hostile content is stored intact (or, where PostgreSQL cannot hold it, losslessly
enough: see ``moderation.ingestion.storable``) and rendered escaped."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime

from django.test import Client

from channels_app.adapters.base import RemoteComment
from moderation.ingestion.services import items_store
from moderation.ingestion.storable import ORIGINAL_KEY
from moderation.ingestion.storable import original_raw
from moderation.models import InboxItem
from moderation.models import IngestCursor
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.ingestion.conftest import cursor_of
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

SCRIPT = '<script>alert(1)</script><img src=x onerror="alert(2)">'
RTL = "Rechnung\u202egnp.exe"


def _from_json(payload: str) -> RemoteComment:
    """An item as an adapter builds it from the platform's JSON."""
    data = json.loads(payload)
    return RemoteComment(
        remote_id=data["id"],
        post_remote_id="p1",
        author_name=data["author"],
        author_id="citizen-666",
        text=data["text"],
        created_at=datetime(2026, 5, 1, tzinfo=UTC),
        raw=data,
    )


def test_markup_and_bidi_overrides_are_stored_intact(org: Org) -> None:
    text = f"{SCRIPT} {RTL}"
    items_store(
        channel=org.press_channel,
        items=[_from_json(json.dumps({"id": "h1", "author": SCRIPT, "text": text}))],
    )
    item = InboxItem.objects.select_related("author").get()
    assert item.text == text and item.raw["text"] == text
    assert item.author.display_name == SCRIPT
    assert ORIGINAL_KEY not in item.raw


def test_a_100_kb_text_is_stored_whole(org: Org) -> None:
    text = "Ä" * 100_000
    items_store(
        channel=org.press_channel,
        items=[_from_json(json.dumps({"id": "long", "author": "A", "text": text}))],
    )
    assert InboxItem.objects.get().text == text


def test_lone_surrogates_and_nul_are_kept_losslessly_enough(org: Org) -> None:
    payload = '{"id": "s1", "author": "Eve\\udc00", "text": "vorher\\ud800nachher\\u0000ende"}'
    items_store(channel=org.press_channel, items=[_from_json(payload)])
    item = InboxItem.objects.select_related("author").get()
    # Readable: each unstorable code point is a visible replacement character.
    assert item.text == "vorher\ufffdnachher\ufffdende"
    assert item.author.display_name == "Eve\ufffd"
    # Lossless: the platform's payload exactly as it came.
    assert original_raw(item.raw) == json.loads(payload)


def test_an_edit_with_a_surrogate_is_stored(org: Org) -> None:
    items_store(
        channel=org.press_channel,
        items=[_from_json('{"id": "e1", "author": "A", "text": "gut"}')],
    )
    items_store(
        channel=org.press_channel,
        items=[_from_json('{"id": "e1", "author": "A", "text": "b\\ud800se"}')],
    )
    assert InboxItem.objects.get().text == "b\ufffdse"


def test_a_javascript_url_is_never_stored_as_a_link(org: Org) -> None:
    comment = _from_json('{"id": "u1", "author": "A", "text": "x"}')
    items_store(
        channel=org.press_channel,
        items=[
            RemoteComment(
                **{**comment.__dict__, "url": "javascript:alert(1)"},
            )
        ],
    )
    item = InboxItem.objects.get()
    assert item.url == ""


def test_the_streams_page_escapes_what_platforms_and_channels_send(
    org: Org, people: People, client_for: object
) -> None:
    channel = org.press_channel
    channel.name = f"Kanal {SCRIPT}"
    channel.save(update_fields=["name"])
    cursor = cursor_of(channel)
    IngestCursor.objects.filter(pk=cursor.pk).update(
        last_error=f"Fehler {SCRIPT} {RTL}", unavailable_reason=SCRIPT
    )
    client: Client = client_for(people.community_manager)  # type: ignore[operator]
    html = client.get("/moderation/ingestion/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert RTL in html  # the text itself, escaped but unchanged


def test_two_author_ids_that_differ_only_in_unstorable_code_points(org: Org) -> None:
    first = _from_json('{"id": "x1", "author": "A", "text": "eins"}')
    second = _from_json('{"id": "x2", "author": "B", "text": "zwei"}')
    items_store(
        channel=org.press_channel,
        items=[
            RemoteComment(**{**first.__dict__, "author_id": "id\ud800"}),
            RemoteComment(**{**second.__dict__, "author_id": "id\udc00"}),
        ],
    )
    assert InboxItem.objects.count() == 2
    assert set(InboxItem.objects.values_list("author__remote_id", flat=True)) == {"id\ufffd"}
