# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Storing what the sandbox sends: every comment once, with its thread context, author and
raw payload; the cursor moves with the batch; edits, hides and deletions become revisions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import RemoteKind
from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.services import comment_reply
from editorial.models import PostVariant
from editorial.posts.services import post_create
from moderation.ingestion.services import _page_store
from moderation.ingestion.services import items_store
from moderation.models import Author
from moderation.models import InboxItem
from moderation.models import IngestCursor
from moderation.models import ItemRevision
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.ingestion.conftest import connect_sandbox
from tests.moderation.ingestion.conftest import cursor_of
from tests.moderation.ingestion.conftest import sandbox_posts
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def remote(remote_id: str, **kw: Any) -> RemoteComment:
    """A platform item as an adapter hands it over."""
    text = kw.pop("text", "Gilt das auch am Wochenende?")
    values: dict[str, Any] = {
        "post_remote_id": "p1",
        "author_name": kw.pop("author_name", "Anna Krüger"),
        "author_id": "citizen-001",
        "text": text,
        "created_at": datetime(2026, 5, 1, 10, 0, tzinfo=UTC),
        "raw": {"id": remote_id, "text": text},
        "parent_remote_id": kw.pop("parent", ""),
        "is_hidden": kw.pop("hidden", False),
    }
    values.update(kw)
    return RemoteComment(remote_id=remote_id, **values)


def test_every_comment_is_stored_once_with_its_context(org: Org, run: Callable[..., str]) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    posts = sandbox_posts("stadt", 3)
    cursor = cursor_of(channel)
    assert run(cursor) == "ok"
    expected = sum(len(simulation.comment_schedule(p.remote_id)) for p in posts)
    assert InboxItem.objects.filter(channel=channel).count() == expected
    cursor.refresh_from_db()
    assert cursor.items_total == expected and cursor.cursor and cursor.last_success_at
    assert cursor.claimed_at is None
    # Polling again adds nothing.
    assert run(cursor) == "ok"
    assert InboxItem.objects.filter(channel=channel).count() == expected


def test_thread_context_author_and_raw(org: Org, run: Callable[..., str]) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    post = sandbox_posts("stadt", 1)[0]
    run(cursor_of(channel))
    comment = SandboxComment.objects.filter(post=post).first()
    assert comment is not None
    item = InboxItem.objects.get(channel=channel, remote_id=comment.remote_id)
    assert item.post_remote_id == post.remote_id
    assert item.kind == InboxItem.Kind.COMMENT
    assert item.author.remote_id == comment.author_id
    assert item.author.display_name == comment.author_name
    assert item.raw["id"] == comment.remote_id
    assert item.url.endswith(f"#comment-{comment.remote_id}")
    assert item.created_at == comment.created_at


def test_variant_found_by_channel_and_remote_id(
    org: Org, people: People, run: Callable[..., str]
) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    post = sandbox_posts("stadt", 1)[0]
    ours = post_create(
        actor=people.editor,
        unit=org.press,
        title="Hitze",
        text="Bitte viel trinken.",
        channels=[channel],
        planned_at=timezone.now() + timedelta(hours=1),
    )
    variant = PostVariant.objects.get(post=ours)
    PostVariant.objects.filter(pk=variant.pk).update(remote_id=post.remote_id)
    run(cursor_of(channel))
    assert set(InboxItem.objects.values_list("variant_id", flat=True)) == {variant.pk}


def test_our_own_replies_are_not_inbox_items(org: Org, run: Callable[..., str]) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    post = sandbox_posts("stadt", 1)[0]
    comment = SandboxComment.objects.filter(post=post).order_by("pk").first()
    if comment is None:  # comments are materialised on the first fetch
        run(cursor_of(channel))
        comment = SandboxComment.objects.filter(post=post).order_by("pk").first()
    assert comment is not None
    reply = comment_reply(post.account, comment.remote_id, {"text": "Danke, wir prüfen das."})
    run(cursor_of(channel))
    assert not InboxItem.objects.filter(remote_id=reply.reply.remote_id).exists()
    assert InboxItem.objects.filter(remote_id=comment.remote_id).exists()


def test_a_reply_is_linked_to_its_parent(org: Org, run: Callable[..., str]) -> None:
    channel = connect_sandbox(org.press_channel, "stadt")
    sandbox_posts("stadt", 12)
    run(cursor_of(channel))
    child = SandboxComment.objects.filter(parent__isnull=False, by_account=False).first()
    assert child is not None, "the schedule gives some posts follow-ups"
    item = InboxItem.objects.get(remote_id=child.remote_id)
    assert item.parent_remote_id == child.parent.remote_id  # type: ignore[union-attr]
    assert item.parent is not None and item.parent.remote_id == item.parent_remote_id


def test_a_child_stored_before_its_parent_finds_it_later(org: Org) -> None:
    channel = org.press_channel
    items_store(channel=channel, items=[remote("child", parent="parent")])
    items_store(channel=channel, items=[remote("parent")])
    child = InboxItem.objects.get(remote_id="child")
    assert child.parent is not None and child.parent.remote_id == "parent"


def test_an_edit_is_a_revision_with_the_previous_text(org: Org) -> None:
    channel = org.press_channel
    items_store(channel=channel, items=[remote("c1", text="Erst so.")])
    edited_at = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    result = items_store(
        channel=channel, items=[remote("c1", text="Dann anders.", edited_at=edited_at)]
    )
    item = InboxItem.objects.get(remote_id="c1")
    assert (item.text, item.edited_at) == ("Dann anders.", edited_at)
    revision = ItemRevision.objects.get(item=item)
    assert (revision.change, revision.previous_text) == ("edited", "Erst so.")
    assert [i.pk for i in result.edited] == [item.pk] and result.created == []


def test_the_same_text_again_is_no_revision(org: Org) -> None:
    items_store(channel=org.press_channel, items=[remote("c1")])
    items_store(channel=org.press_channel, items=[remote("c1")])
    assert InboxItem.objects.count() == 1
    assert not ItemRevision.objects.exists()


def test_hidden_and_shown_again_on_the_platform(org: Org) -> None:
    items_store(channel=org.press_channel, items=[remote("c1")])
    items_store(channel=org.press_channel, items=[remote("c1", hidden=True)])
    assert InboxItem.objects.get().remote_hidden
    items_store(channel=org.press_channel, items=[remote("c1")])
    assert not InboxItem.objects.get().remote_hidden
    assert list(ItemRevision.objects.values_list("change", flat=True)) == ["hidden", "unhidden"]


def test_a_deletion_keeps_the_text_and_records_when(org: Org) -> None:
    items_store(channel=org.press_channel, items=[remote("c1", text="Beweis")])
    items_store(channel=org.press_channel, items=[], removed=[remote("c1", deleted=True)])
    item = InboxItem.objects.get()
    assert item.remote_deleted_at is not None and item.text == "Beweis"
    revision = ItemRevision.objects.get()
    assert (revision.change, revision.previous_text) == ("deleted", "Beweis")
    # Reported again: still one revision.
    items_store(channel=org.press_channel, items=[], removed=[remote("c1", deleted=True)])
    assert ItemRevision.objects.count() == 1


def test_a_deletion_of_an_unknown_item_stores_nothing(org: Org) -> None:
    items_store(channel=org.press_channel, items=[], removed=[remote("never-seen", deleted=True)])
    assert not InboxItem.objects.exists() and not ItemRevision.objects.exists()


def test_the_same_item_from_two_streams_is_stored_once(org: Org) -> None:
    first = items_store(channel=org.press_channel, items=[remote("s1", kind=RemoteKind.COMMENT)])
    second = items_store(channel=org.press_channel, items=[remote("s1", kind=RemoteKind.MENTION)])
    assert len(first.created) == 1 and second.created == []
    assert InboxItem.objects.get().kind == InboxItem.Kind.COMMENT


def test_authors_are_unique_per_channel_and_updated(org: Org) -> None:
    items_store(channel=org.press_channel, items=[remote("a", author_name="Anna")])
    items_store(channel=org.press_channel, items=[remote("b", author_name="Anna K.")])
    items_store(channel=org.social_channel, items=[remote("a", author_name="Anna")])
    assert Author.objects.filter(channel=org.press_channel).get().display_name == "Anna K."
    assert Author.objects.count() == 2


def test_hooks_get_new_and_edited_items(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    flagged: list[list[str]] = []
    deadlines: list[list[str]] = []
    monkeypatch.setattr(
        "moderation.ingestion.services.flags_raise",
        lambda *, items: flagged.append(sorted(i.remote_id for i in items)) or [],
    )
    monkeypatch.setattr(
        "moderation.ingestion.services.items_set_deadlines",
        lambda *, items: deadlines.append(sorted(i.remote_id for i in items)),
    )
    channel = org.press_channel
    channel.status = channel.Status.ACTIVE
    page = CommentPage(items=[remote("n1"), remote("n2")], next_cursor="x")
    cursor = cursor_of(channel)
    IngestCursor.objects.filter(pk=cursor.pk).update(claimed_at=timezone.now())
    token = IngestCursor.objects.get(pk=cursor.pk).claimed_at
    assert token is not None
    _page_store(cursor.pk, token, None, page)
    _page_store(
        cursor.pk, token, "x", CommentPage(items=[remote("n1", text="neu")], next_cursor="y")
    )
    assert flagged == [["n1", "n2"], ["n1"]]
    assert deadlines == [["n1", "n2"]]
    cursor.refresh_from_db()
    assert (cursor.cursor, cursor.items_total) == ("y", 2)
