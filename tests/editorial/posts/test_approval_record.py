"""approval_record, the one way an approval is written (post_approve and the emergency
approval): it covers the content hash of the post as it stands, and only if that is what
the approver was shown."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.errors import ConflictError
from editorial.common.content import post_content_hash
from editorial.models import Approval
from editorial.models import Post
from editorial.posts.services import approval_record
from tests.conftest import People

pytestmark = pytest.mark.django_db


def test_the_approval_covers_the_posts_content_hash(
    people: People, make_in_review: Callable[..., Post]
) -> None:
    post = make_in_review()
    content_hash = approval_record(
        actor=people.approver, post=post, seen_hash=post_content_hash(post), comment="Passt."
    )
    approval = Approval.objects.get(post=post)
    assert content_hash == post_content_hash(post)
    assert approval.content_hash == content_hash
    assert approval.approver == people.approver
    assert approval.decision == Approval.Decision.APPROVED
    assert approval.comment == "Passt."
    assert approval.is_current
    assert not approval.is_emergency


def test_an_emergency_approval_is_marked_as_one(
    people: People, make_in_review: Callable[..., Post]
) -> None:
    post = make_in_review()
    approval_record(actor=people.approver, post=post, seen_hash="", is_emergency=True)
    assert Approval.objects.get(post=post).is_emergency


def test_content_other_than_what_was_shown_is_refused_and_nothing_recorded(
    people: People, make_in_review: Callable[..., Post]
) -> None:
    post = make_in_review()
    with pytest.raises(ConflictError):
        approval_record(actor=people.approver, post=post, seen_hash="0" * 64)
    assert not Approval.objects.filter(post=post).exists()
