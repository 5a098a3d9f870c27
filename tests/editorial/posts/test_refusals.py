# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Refusals that explain: the four-eyes rule is said, not only enforced."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from accounts.models import Role
from accounts.models import User
from editorial.models import Post
from editorial.posts.permissions import FourEyesError
from editorial.posts.permissions import approve_refusal
from editorial.posts.permissions import four_eyes_message
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture
def author_and_approver(org: Org) -> User:
    return UserFactory(roles=[(org.press, Role.EDITOR), (org.press, Role.APPROVER)])


@pytest.fixture
def own_post(org: Org, author_and_approver: User) -> Post:
    post = post_create(
        actor=author_and_approver,
        unit=org.press,
        title="Eigen",
        text="Text",
        channels=[org.press_channel],
    )
    return post_submit(actor=author_and_approver, post=post)


def test_approving_ones_own_post_is_refused_with_the_rule_explained(
    author_and_approver: User, own_post: Post
) -> None:
    with translation.override("en"), pytest.raises(FourEyesError) as refused:
        post_approve(actor=author_and_approver, post=own_post)
    assert "You wrote this post. Four-eyes rule" in str(refused.value)


def test_the_page_refusing_an_own_approval_explains_the_rule(
    author_and_approver: User, own_post: Post
) -> None:
    response = login(Client(), author_and_approver).post(f"/editorial/posts/{own_post.pk}/approve/")
    assert response.status_code == 403
    with translation.override("de"):
        assert escape(four_eyes_message()) in response.content.decode()
    assert Post.objects.get(pk=own_post.pk).status == Post.Status.IN_REVIEW


def test_the_api_answers_an_own_approval_with_the_rule(
    author_and_approver: User, own_post: Post
) -> None:
    response = login(Client(), author_and_approver).post(
        f"/api/v1/posts/{own_post.pk}/approve/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_the_author_sees_the_explanation_instead_of_the_approve_button(
    author_and_approver: User, own_post: Post
) -> None:
    html = (
        login(Client(), author_and_approver)
        .get(f"/editorial/posts/{own_post.pk}/")
        .content.decode()
    )
    assert f"/editorial/posts/{own_post.pk}/approve/" not in html
    assert 'class="message message--info approve-refusal"' in html
    assert approve_refusal(author_and_approver, own_post) == four_eyes_message()


def test_an_approver_of_only_some_channels_is_told_why(
    org: Org, make_in_review: Callable[..., Post]
) -> None:
    post = make_in_review(channels=[org.press_channel, org.social_channel])
    social_only = UserFactory(roles=[(org.social, Role.APPROVER)])
    assert approve_refusal(social_only, post) != ""


def test_others_see_no_refusal_where_they_may_approve(people: People, in_review: Post) -> None:
    assert approve_refusal(people.approver, in_review) == ""
