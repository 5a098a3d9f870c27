"""Posts in the states the post tests start from: a draft, in review, approved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from editorial.models import MediaAsset
from editorial.models import Post
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People


@pytest.fixture
def make_draft(org: Org, people: People) -> Callable[..., Post]:
    """A draft by the press office's editor; keyword arguments override the defaults."""

    def make(**kwargs: Any) -> Post:
        values = {
            "title": "Bürgerbüro Öffnungszeiten",
            "text": "Das Bürgerbüro hat am Freitag bis 18 Uhr geöffnet.",
            "channels": [org.press_channel],
            "planned_at": timezone.now() + timedelta(days=1),
            **kwargs,
        }
        return post_create(actor=people.editor, unit=org.press, **values)

    return make


@pytest.fixture
def make_in_review(people: People, make_draft: Callable[..., Post]) -> Callable[..., Post]:
    """A draft (as ``make_draft``) submitted for review by its author."""

    def make(**kwargs: Any) -> Post:
        return post_submit(actor=people.editor, post=make_draft(**kwargs))

    return make


@pytest.fixture
def make_image(org: Org) -> Callable[..., MediaAsset]:
    """An image of the press office (no file on disk), with the given alt text."""

    def make(alt_text: str = "") -> MediaAsset:
        return MediaAsset.objects.create(
            unit=org.press,
            file="media/rathaus.jpg",
            original_name="rathaus.jpg",
            kind="image",
            mime_type="image/jpeg",
            size=1000,
            sha256="a" * 64,
            width=10,
            height=10,
            alt_text=alt_text,
        )

    return make


@pytest.fixture
def in_review(make_in_review: Callable[..., Post]) -> Post:
    return make_in_review()


@pytest.fixture
def approved(people: People, in_review: Post) -> Post:
    """``in_review``, approved by the press office's approver (read afresh)."""
    post_approve(actor=people.approver, post=in_review)
    return Post.objects.get(pk=in_review.pk)
