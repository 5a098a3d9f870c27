# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Four eyes: submitting, approving (by others than the author, as many as the unit requires),
rejecting, and approvals expiring."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import Notification
from accounts.models import Role
from accounts.models import User
from editorial.common.content import post_content_hash
from editorial.models import EditorialPolicy
from editorial.models import Post
from editorial.models import PostVariant
from editorial.posts.services import approvals_expire
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_reject
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# --- Four eyes ------------------------------------------------------------------------------


@pytest.fixture
def author_and_approver(org: Org) -> User:
    return UserFactory(roles=[(org.press, Role.EDITOR), (org.press, Role.APPROVER)])


@pytest.fixture
def own_post(org: Org, author_and_approver: User) -> Post:
    """In review, written by somebody who is also an approver of the unit."""
    post = post_create(
        actor=author_and_approver,
        unit=org.press,
        title="Eigen",
        text="Text",
        channels=[org.press_channel],
    )
    return post_submit(actor=author_and_approver, post=post)


def test_the_author_cannot_approve_their_own_post_through_the_service(
    author_and_approver: User, own_post: Post
) -> None:
    with pytest.raises(PermissionDenied):
        post_approve(actor=author_and_approver, post=own_post)
    assert Post.objects.get(pk=own_post.pk).status == Post.Status.IN_REVIEW


def test_the_author_cannot_approve_their_own_post_through_the_page(
    author_and_approver: User, own_post: Post
) -> None:
    login(Client(), author_and_approver).post(f"/editorial/posts/{own_post.pk}/approve/")
    assert Post.objects.get(pk=own_post.pk).status == Post.Status.IN_REVIEW


@pytest.mark.parametrize(
    "approver",
    [
        lambda org, people: UserFactory(roles=[(org.police, Role.APPROVER)]),
        lambda org, people: people.community_manager,
    ],
    ids=["approver_of_another_authority", "community_manager_without_approver_role"],
)
def test_people_without_approval_rights_for_the_post_cannot_approve(
    org: Org, people: People, in_review: Post, approver: Callable[[Org, People], User]
) -> None:
    with pytest.raises(PermissionDenied):
        post_approve(actor=approver(org, people), post=in_review)


# --- Approval -------------------------------------------------------------------------------


def test_approval_schedules_the_post_and_its_variants(approved: Post) -> None:
    assert approved.status == Post.Status.SCHEDULED
    variant = approved.variants.get()
    assert variant.status == PostVariant.Status.SCHEDULED
    assert variant.scheduled_at == approved.planned_at


def test_approval_pins_the_approved_content(people: People, in_review: Post) -> None:
    post_approve(actor=people.approver, post=in_review, comment="Passt.")
    in_review.refresh_from_db()
    assert in_review.approved_hash == post_content_hash(in_review)


def test_approval_is_audited(people: People, approved: Post) -> None:
    assert AuditEntry.objects.filter(
        action="editorial.post.approved", actor=people.approver
    ).exists()


def test_approval_notifies_the_author(people: People, approved: Post) -> None:
    assert Notification.objects.filter(
        recipient=people.editor, kind="editorial.post_approved"
    ).exists()


# --- Several approvals ----------------------------------------------------------------------


@pytest.fixture
def once_of_two(org: Org, people: People, in_review: Post) -> Post:
    """Approved once where the city (above the press office) requires two approvals."""
    EditorialPolicy.objects.create(unit=org.city, required_approvals=2)
    post_approve(actor=people.approver, post=in_review)
    return Post.objects.get(pk=in_review.pk)


def test_one_of_two_required_approvals_leaves_the_post_in_review(once_of_two: Post) -> None:
    assert once_of_two.status == Post.Status.IN_REVIEW


def test_the_same_approver_counts_once(people: People, once_of_two: Post) -> None:
    with pytest.raises(ValidationError):
        post_approve(actor=people.approver, post=once_of_two)
    assert Post.objects.get(pk=once_of_two.pk).status == Post.Status.IN_REVIEW


def test_a_second_approver_schedules_the_post(org: Org, once_of_two: Post) -> None:
    second = UserFactory(roles=[(org.press, Role.APPROVER)])
    post_approve(actor=second, post=once_of_two)
    assert Post.objects.get(pk=once_of_two.pk).status == Post.Status.SCHEDULED


# --- Rejection ------------------------------------------------------------------------------


def test_rejection_needs_a_reason(people: People, in_review: Post) -> None:
    with pytest.raises(ValidationError):
        post_reject(actor=people.approver, post=in_review, reason="  ")


@pytest.fixture
def rejected(people: People, in_review: Post) -> Post:
    post_reject(actor=people.approver, post=in_review, reason="Bitte Uhrzeit prüfen.")
    return Post.objects.get(pk=in_review.pk)


def test_rejection_records_the_reason(rejected: Post) -> None:
    assert rejected.status == Post.Status.REJECTED
    assert rejected.rejection_reason == "Bitte Uhrzeit prüfen."


def test_rejection_notifies_the_author(people: People, rejected: Post) -> None:
    assert Notification.objects.filter(
        recipient=people.editor, kind="editorial.post_rejected"
    ).exists()


def test_a_rejected_post_can_be_reworked_and_submitted_again(
    people: People, rejected: Post
) -> None:
    post_submit(actor=people.editor, post=rejected)
    assert Post.objects.get(pk=rejected.pk).status == Post.Status.IN_REVIEW


# --- Expiry ---------------------------------------------------------------------------------


@pytest.fixture
def approved_for_seven_days(org: Org, people: People, make_in_review) -> Post:  # type: ignore[no-untyped-def]
    EditorialPolicy.objects.create(unit=org.press, approval_valid_days=7)
    post = make_in_review(planned_at=timezone.now() + timedelta(days=30))
    return post_approve(actor=people.approver, post=post)


def test_an_approval_within_the_units_period_does_not_expire(
    approved_for_seven_days: Post,
) -> None:
    assert approvals_expire() == 0


def test_an_approval_past_the_units_period_expires_back_to_review(
    approved_for_seven_days: Post,
) -> None:
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert approvals_expire() == 1
    assert Post.objects.get(pk=approved_for_seven_days.pk).status == Post.Status.IN_REVIEW


def test_an_expired_approval_is_audited(approved_for_seven_days: Post) -> None:
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        approvals_expire()
    assert AuditEntry.objects.filter(action="editorial.post.approval_expired").exists()
