# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The simulated colleague of a practice space: four eyes in practice, never in real units."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from accounts.practice.selectors import practice_colleague_for
from accounts.practice.selectors import practice_unit_for
from accounts.practice.services import practice_mode_set
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.services import adapter_for
from editorial.models import Post
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from editorial.practice.services import practice_colleague_review
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _practising(user: User) -> User:
    practice_mode_set(user=user, active=True)
    return User.objects.get(pk=user.pk)


def _practice_post(user: User) -> Post:
    unit = practice_unit_for(user)
    post = post_create(
        actor=user,
        unit=unit,
        title="Übung",
        text="Das Bürgerbüro ist am Freitag geschlossen.",
        channels=list(Channel.objects.filter(unit=unit)),
    )
    return post_submit(actor=user, post=post)


def test_the_colleague_submits_a_post_for_the_users_review(org: Org, people: People) -> None:
    editor = _practising(people.editor)
    waiting = Post.objects.get(unit=practice_unit_for(editor))
    assert waiting.status == Post.Status.IN_REVIEW
    assert waiting.author == practice_colleague_for(editor)
    approved = post_approve(actor=editor, post=waiting)
    assert approved.status == Post.Status.APPROVED


def test_the_colleague_approves_the_users_practice_post(org: Org, people: People) -> None:
    editor = _practising(people.editor)
    post = _practice_post(editor)
    assert practice_colleague_review(post.pk)
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED
    assert post.approvals.get().approver == practice_colleague_for(editor)


def test_the_colleague_reviews_once(org: Org, people: People) -> None:
    editor = _practising(people.editor)
    post = _practice_post(editor)
    practice_colleague_review(post.pk)
    assert not practice_colleague_review(post.pk)


def test_nobody_approves_their_own_post_in_practice_either(org: Org, people: People) -> None:
    editor = _practising(people.editor)
    post = _practice_post(editor)
    with pytest.raises(PermissionDenied):
        post_approve(actor=editor, post=post)


def test_the_colleague_never_reviews_a_real_post(org: Org, people: People) -> None:
    editor = _practising(people.editor)
    practice_mode_set(user=editor, active=False)
    editor = User.objects.get(pk=people.editor.pk)
    post = post_submit(
        actor=editor,
        post=post_create(
            actor=editor,
            unit=org.press,
            title="Echt",
            text="Echter Beitrag.",
            channels=[org.press_channel],
        ),
    )
    assert not practice_colleague_review(post.pk)
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert not post.approvals.exists()


def test_no_real_platform_adapter_for_a_practice_unit(org: Org, people: People) -> None:
    editor = _practising(people.editor)
    # Even if a real channel were placed there behind the services' back.
    channel = Channel.objects.create(
        unit=practice_unit_for(editor),
        platform=Platform.MASTODON,
        name="Echt",
        base_url="https://social.example",
    )
    with pytest.raises(PermissionDenied):
        adapter_for(channel)
