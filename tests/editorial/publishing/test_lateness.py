# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""A post past its time shows "late" with the causes the facts show (issue 13):
``post_lateness``, and the post list and page that show it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django.utils import translation

from accounts.models import User
from accounts.services import worker_heartbeat_record
from channels_app.models import Channel
from editorial.models import Post
from editorial.models import PostVariant
from editorial.models import PublishingPause
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from editorial.publishing.selectors import post_lateness
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _services_run() -> None:
    worker_heartbeat_record(hostname="celery@host", queue="default")
    worker_heartbeat_record(hostname="publisher@host", queue="publishing")


@pytest.fixture(autouse=True)
def _english_and_connected(org: Org) -> Iterator[None]:
    # The test organisation's channels are not connected: a cause of their own.
    Channel.objects.update(status=Channel.Status.ACTIVE)
    with translation.override("en"):  # assertions on the English source texts
        yield


def _post(org: Org, people: People, *, approve: bool = True, title: str = "Spät") -> Post:
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title=title,
        text="Text",
        channels=[org.press_channel],
        planned_at=timezone.now() + timedelta(hours=1),
    )
    post_submit(actor=people.editor, post=post)
    if approve:
        post_approve(actor=people.approver, post=post)
    return Post.objects.get(pk=post.pk)


def _in(minutes: int) -> Any:
    """The clock ``minutes`` after now (the post was planned for one hour from now)."""
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def _reasons(post: Post) -> tuple[str, ...]:
    return post_lateness([Post.objects.get(pk=post.pk)])[post.pk].reasons


def test_a_post_within_a_minute_of_its_time_is_not_late(org: Org, people: People) -> None:
    post = _post(org, people)
    with _in(60 + 1 - 1):  # exactly at its time
        assert post_lateness([post]) == {}


def test_a_scheduled_post_past_its_time_is_late(org: Org, people: People) -> None:
    post = _post(org, people)
    with _in(65):
        assert post_lateness([post])[post.pk].due_at == post.planned_at


def test_silent_services_are_named(org: Org, people: People) -> None:
    post = _post(org, people)
    with _in(65):
        assert _reasons(post) == (
            "The background service that hands posts over is not running.",
            "The publishing service is not running.",
        )


def test_with_both_services_running_the_cause_is_unknown(org: Org, people: People) -> None:
    post = _post(org, people)
    with _in(65):
        _services_run()
        assert _reasons(post) == ("No cause is known yet; the operations page shows more.",)


def test_a_post_in_review_waits_for_approval(org: Org, people: People) -> None:
    post = _post(org, people, approve=False)
    with _in(65):
        _services_run()
        assert _reasons(post) == ("It is waiting for approval.",)


def test_crisis_mode_is_named(org: Org, people: People) -> None:
    post = _post(org, people)
    PublishingPause.objects.create(unit=org.city, reason="Amoklage", started_by=people.approver)
    with _in(65):
        _services_run()
        assert _reasons(post) == ("Publishing is paused (crisis mode).",)


def test_a_pause_of_another_channel_is_not_named(org: Org, people: People) -> None:
    post = _post(org, people)
    PublishingPause.objects.create(
        channel=org.social_channel, reason="Sturm", started_by=people.approver
    )
    with _in(65):
        _services_run()
        assert "Publishing is paused (crisis mode)." not in _reasons(post)


def test_expired_channel_access_is_named(org: Org, people: People) -> None:
    post = _post(org, people)
    Channel.objects.filter(pk=org.press_channel.pk).update(
        access_expires_at=timezone.now() + timedelta(minutes=30)
    )
    with _in(65):
        _services_run()
        assert _reasons(post) == (f"Access to the channel “{org.press_channel.name}” has expired.",)


def test_a_temporary_platform_error_is_named(org: Org, people: People) -> None:
    post = _post(org, people)
    with _in(65):
        _services_run()
        PostVariant.objects.filter(post=post).update(
            attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=2)
        )
        assert "answered with a temporary error" in _reasons(post)[0]


def test_a_published_post_is_not_late(org: Org, people: People) -> None:
    post = _post(org, people)
    PostVariant.objects.filter(post=post).update(status=PostVariant.Status.PUBLISHED)
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
    with _in(65):
        assert post_lateness([Post.objects.get(pk=post.pk)]) == {}


def test_a_page_of_posts_costs_two_queries(
    org: Org, people: People, django_assert_num_queries: Any
) -> None:
    posts = [_post(org, people, title=f"Post {n}") for n in range(5)]
    with _in(65):
        _services_run()
        with django_assert_num_queries(2):
            assert len(post_lateness(posts)) == 5


def test_the_post_list_shows_late_with_the_reason(org: Org, people: People) -> None:
    post = _post(org, people)
    User.objects.filter(pk=people.editor.pk).update(language="en")
    with _in(65):
        html = login(Client(), people.editor).get("/editorial/posts/").content.decode()
    assert 'class="status status--late"' in html
    assert "The publishing service is not running." in html
    assert post.title in html


def test_the_post_page_shows_late_with_the_reason(org: Org, people: People) -> None:
    post = _post(org, people, approve=False)
    User.objects.filter(pk=people.editor.pk).update(language="en")
    with _in(65):
        html = login(Client(), people.editor).get(f"/editorial/posts/{post.pk}/").content.decode()
    assert "It is waiting for approval." in html
