# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""What blocks a post from going to review: accessibility errors, platform limits, the
unit's rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from editorial.models import EditorialPolicy
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.posts.services import post_submit
from editorial.posts.services import post_update
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_an_image_without_alt_text_cannot_go_to_review(
    people: People, make_draft: Callable[..., Post], make_image: Callable[..., MediaAsset]
) -> None:
    post = make_draft(media_ids=[make_image().pk])
    with pytest.raises(ValidationError) as error:
        post_submit(actor=people.editor, post=post)
    assert any(
        "alt" in message.lower() or "alternativ" in message.lower()
        for message in error.value.messages
    )
    assert Post.objects.get(pk=post.pk).status == Post.Status.DRAFT


def test_text_over_the_platform_limit_blocks_review(
    people: People, make_draft: Callable[..., Post]
) -> None:
    post = make_draft(text="x" * 1001)  # the sandbox allows 1,000 graphemes
    with pytest.raises(ValidationError):
        post_submit(actor=people.editor, post=post)


@pytest.fixture
def link_required(org: Org) -> EditorialPolicy:
    return EditorialPolicy.objects.create(unit=org.press, require_website_link=True)


@pytest.mark.usefixtures("link_required")
def test_a_unit_requiring_a_website_link_refuses_a_post_without_one(
    people: People, make_draft: Callable[..., Post]
) -> None:
    with pytest.raises(ValidationError):
        post_submit(actor=people.editor, post=make_draft())


@pytest.mark.usefixtures("link_required")
def test_a_unit_requiring_a_website_link_accepts_a_post_with_one(
    people: People, make_draft: Callable[..., Post]
) -> None:
    post = make_draft()
    post_update(actor=people.editor, post=post, website_link="https://www.musterstadt.example/a")
    post_submit(actor=people.editor, post=Post.objects.get(pk=post.pk))
    assert Post.objects.get(pk=post.pk).status == Post.Status.IN_REVIEW
