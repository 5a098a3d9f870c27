"""Storing what the sandbox sends: every comment once, with its thread context, author and
raw payload; the cursor moves with the batch; edits, hides and deletions become revisions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxComment
from editorial.models import PostVariant
from editorial.posts.services import post_create
from moderation.models import InboxItem
from tests.conftest import Org, People
from tests.moderation.ingestion.conftest import connect_sandbox, cursor_of, sandbox_posts


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
