# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""One rule for moving a post in time, whichever way it is moved (the calendar's move, the
edit form, the API): an approved post keeps its approval when it moves, but never into the
past, where it would go out at once without anybody having approved that.

Failing first: the rule lived only in ``post_reschedule``; ``post_update`` (edit page and
API) moved an approved post into the past and kept its approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditEntry
from editorial.models import Post
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_reschedule
from editorial.posts.services import post_submit
from editorial.posts.services import post_update
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture
def approved(org: Org, people: People) -> Post:
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title="Hitze",
        text="Bitte viel trinken.",
        channels=[org.press_channel],
        planned_at=timezone.now() + timedelta(days=1),
    )
    post_submit(actor=people.editor, post=post)
    return post_approve(actor=people.approver, post=post)


def test_the_edit_cannot_move_an_approved_post_into_the_past(
    people: People, approved: Post
) -> None:
    with pytest.raises(ValidationError):
        post_update(
            actor=people.editor, post=approved, planned_at=timezone.now() - timedelta(hours=1)
        )
    approved.refresh_from_db()
    assert approved.planned_at > timezone.now()


def test_the_calendar_cannot_move_an_approved_post_into_the_past(
    people: People, approved: Post
) -> None:
    with pytest.raises(ValidationError):
        post_reschedule(
            actor=people.editor, post=approved, planned_at=timezone.now() - timedelta(hours=1)
        )


def test_moving_by_edit_and_by_calendar_keeps_the_approval_and_is_audited_alike(
    people: People, approved: Post
) -> None:
    later = approved.planned_at + timedelta(hours=2)  # type: ignore[operator]
    post_update(actor=people.editor, post=approved, planned_at=later)
    post_reschedule(actor=people.editor, post=approved, planned_at=later + timedelta(hours=1))
    approved.refresh_from_db()
    assert approved.status == Post.Status.SCHEDULED
    moves = AuditEntry.objects.filter(action="editorial.post.rescheduled").order_by("sequence")
    assert [entry.data.get("kept_approval") for entry in moves] == [True, True]


def test_an_approved_post_cannot_lose_its_time(people: People, approved: Post) -> None:
    with pytest.raises(ValidationError) as refused:
        post_update(actor=people.editor, post=approved, planned_at=None)
    assert "planned_at" in refused.value.message_dict
