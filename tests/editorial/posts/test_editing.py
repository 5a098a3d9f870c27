# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Edits of an approved post: what the public sees sends it back to review; the time and the
internal title do not. Published posts are no longer edited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import AuditEntry
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.services import post_reschedule
from editorial.posts.services import post_update
from editorial.posts.services import variant_update
from editorial.posts.status import TransitionError
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# --- Published content changed: back to review ---------------------------------------------


@pytest.fixture(
    params=[
        {"text": "Das Bürgerbüro hat am Freitag bis 17 Uhr geöffnet."},
        {"website_link": "https://www.musterstadt.example/buergerbuero"},
        {"channels": "both"},
    ],
    ids=["text", "website_link", "channels"],
)
def edited_after_approval(request, org: Org, people: People, approved: Post) -> Post:  # type: ignore[no-untyped-def]
    change = request.param
    if change.get("channels") == "both":
        change = {"channels": [org.press_channel, org.social_channel]}
    post_update(actor=people.editor, post=approved, **change)
    return Post.objects.get(pk=approved.pk)


def test_an_edit_after_approval_returns_to_review(edited_after_approval: Post) -> None:
    assert edited_after_approval.status == Post.Status.IN_REVIEW


def test_an_edit_after_approval_withdraws_the_approval(edited_after_approval: Post) -> None:
    assert edited_after_approval.approved_hash == ""
    assert not edited_after_approval.approvals.filter(is_current=True).exists()


def test_an_edit_after_approval_unschedules_the_variants(edited_after_approval: Post) -> None:
    assert not edited_after_approval.variants.filter(status=PostVariant.Status.SCHEDULED).exists()


def test_an_edit_after_approval_is_audited(edited_after_approval: Post) -> None:
    assert AuditEntry.objects.filter(action="editorial.post.returned_to_review").exists()


def test_a_changed_channel_text_returns_to_review(people: People, approved: Post) -> None:
    variant_update(
        actor=people.editor,
        variant=approved.variants.get(),
        text_override="Nur für Mastodon: Freitag bis 18 Uhr!",
        media_override=False,
    )
    assert Post.objects.get(pk=approved.pk).status == Post.Status.IN_REVIEW


# --- Moving and renaming: the approval stays -----------------------------------------------


@pytest.fixture
def moved(people: People, approved: Post) -> Post:
    """``approved``, moved three hours later."""
    post_reschedule(
        actor=people.editor,
        post=approved,
        planned_at=approved.planned_at + timedelta(hours=3),  # type: ignore[operator]
    )
    return Post.objects.get(pk=approved.pk)


def test_moving_an_approved_post_keeps_the_approval(moved: Post) -> None:
    assert moved.status == Post.Status.SCHEDULED
    assert moved.approvals.filter(is_current=True).count() == 1


def test_moving_an_approved_post_moves_its_variants(approved: Post, moved: Post) -> None:
    assert moved.planned_at == approved.planned_at + timedelta(hours=3)  # type: ignore[operator]
    assert moved.variants.get().scheduled_at == moved.planned_at


def test_moving_an_approved_post_is_audited_as_keeping_the_approval(moved: Post) -> None:
    entry = AuditEntry.objects.filter(action="editorial.post.rescheduled").latest("sequence")
    assert entry.data["kept_approval"] is True


def test_renaming_an_approved_post_keeps_the_approval(people: People, approved: Post) -> None:
    # The internal title is not published either: renaming keeps the approval.
    post_update(actor=people.editor, post=approved, title="Neuer interner Titel")
    assert Post.objects.get(pk=approved.pk).status == Post.Status.SCHEDULED


# --- Published ------------------------------------------------------------------------------


def test_published_posts_cannot_be_edited(people: People, approved: Post) -> None:
    Post.objects.filter(pk=approved.pk).update(status=Post.Status.PUBLISHED)
    with pytest.raises(TransitionError):
        post_update(actor=people.editor, post=approved, text="Zu spät")
