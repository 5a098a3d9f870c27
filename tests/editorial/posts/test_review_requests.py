# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
""" "Please approve" notifications answer themselves: once the post leaves review (approved,
rejected, withdrawn), nobody is asked any more, in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Notification
from accounts.models import Role
from editorial.models import Post
from editorial.posts.services import post_approve
from editorial.posts.services import post_reject
from editorial.posts.services import post_withdraw
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _open_requests(post: Post) -> list[int]:
    return list(
        Notification.objects.filter(
            kind="editorial.review_requested",
            link=f"/editorial/posts/{post.pk}/",
            read_at__isnull=True,
        ).values_list("recipient_id", flat=True)
    )


@pytest.fixture
def second_approver(org: Org) -> object:
    return UserFactory(email="approver2@stadt.example", roles=[(org.press, Role.APPROVER)])


def test_submitting_asks_every_approver(
    people: People, second_approver: object, in_review: Post
) -> None:
    assert sorted(_open_requests(in_review)) == sorted(
        [people.approver.pk, second_approver.pk]  # type: ignore[attr-defined]
    )


def test_approval_resolves_the_request_for_all_approvers(
    people: People, second_approver: object, in_review: Post
) -> None:
    post_approve(actor=people.approver, post=in_review)
    assert _open_requests(in_review) == []
    assert Notification.objects.filter(
        kind="editorial.review_requested", recipient=second_approver, read_at__isnull=False
    ).exists()


def test_rejection_and_withdrawal_resolve_the_request(
    people: People, make_in_review: Callable[..., Post]
) -> None:
    rejected, withdrawn = make_in_review(), make_in_review()
    post_reject(actor=people.approver, post=rejected, reason="Bitte kürzer.")
    post_withdraw(actor=people.editor, post=withdrawn)
    assert _open_requests(rejected) == [] and _open_requests(withdrawn) == []


def test_other_notifications_stay_unread(
    people: People, make_in_review: Callable[..., Post]
) -> None:
    approved, waiting = make_in_review(), make_in_review()
    post_approve(actor=people.approver, post=approved)
    assert _open_requests(waiting) == [people.approver.pk]
    assert Notification.objects.filter(
        kind="editorial.post_approved", recipient=people.editor, read_at__isnull=True
    ).exists()


def test_a_failed_approval_leaves_the_request_open(people: People, in_review: Post) -> None:
    with pytest.raises(PermissionDenied):  # the author may not approve their own post
        post_approve(actor=people.editor, post=in_review)
    assert _open_requests(in_review) == [people.approver.pk]
