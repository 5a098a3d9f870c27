"""author_notify, how the author hears of a decision on their post (approved, rejected,
approved in an emergency): one notification with the title, linking to the post."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.models import Notification
from editorial.models import Post
from editorial.posts.services import author_notify
from tests.conftest import People

pytestmark = pytest.mark.django_db


def test_the_author_gets_the_title_the_extra_context_and_a_link_to_the_post(
    people: People, make_draft: Callable[..., Post]
) -> None:
    post = make_draft()
    author_notify(post, "editorial.post_rejected", reason="Bitte kürzer.")
    notification = Notification.objects.get(kind="editorial.post_rejected")
    assert notification.recipient == people.editor
    assert notification.context == {"title": post.title, "reason": "Bitte kürzer."}
    assert notification.link == f"/editorial/posts/{post.pk}/"
