"""A channel whose access has expired: its variant fails with a reason, people are told, the
post shows what failed, and staff retry only the failed channels after reconnecting."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Notification
from channels_app.models import Channel
from channels_app.services import channel_connect_with_form
from editorial.models import Post
from editorial.models import PostVariant
from editorial.publishing.engine import variant_publish
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.editorial.factories import due_post
from tests.editorial.factories import sandbox_connected

pytestmark = pytest.mark.django_db(transaction=True)

V = PostVariant.Status


# --- One channel, expired -------------------------------------------------------------------


@pytest.fixture
def expired(control, org: Org, people: People) -> PostVariant:  # type: ignore[no-untyped-def]
    """Due on an account whose token has expired, after the engine tried to publish it."""
    channel = sandbox_connected(org.press_channel, people, "abgelaufen")
    control("abgelaufen", expire_token=True)
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    assert variant_publish(variant.pk) == "failed"
    return PostVariant.objects.get(pk=variant.pk)


def test_an_expired_channel_fails_the_variant_with_a_reason_and_the_post(
    expired: PostVariant,
) -> None:
    assert expired.status == V.FAILED and expired.last_error
    assert Post.objects.get(pk=expired.post_id).status == Post.Status.FAILED


def test_an_expired_channel_needs_reconnecting(expired: PostVariant) -> None:
    assert Channel.objects.get(pk=expired.channel_id).status == Channel.Status.NEEDS_RECONNECT


def test_an_expired_channel_tells_the_author(people: People, expired: PostVariant) -> None:
    assert Notification.objects.filter(
        recipient=people.editor, kind="editorial.publish_failed"
    ).exists()


# --- Two channels, one failed ---------------------------------------------------------------


@pytest.fixture
def partly_failed(control, org: Org, people: People) -> Post:  # type: ignore[no-untyped-def]
    """Published on "gut", failed on "schlecht" (expired)."""
    good = sandbox_connected(org.press_channel, people, "gut")
    bad = sandbox_connected(org.social_channel, people, "schlecht")
    control("schlecht", expire_token=True)
    post = due_post(org, people, [good, bad])
    for variant in PostVariant.objects.filter(post=post):
        variant_publish(variant.pk)
    return Post.objects.get(pk=post.pk)


def test_a_post_failed_on_one_of_two_channels_is_partly_failed(partly_failed: Post) -> None:
    assert partly_failed.status == Post.Status.PARTLY_FAILED


def test_the_post_page_names_the_failed_channel(
    org: Org, people: People, partly_failed: Post
) -> None:
    page = login(Client(), people.editor).get(f"/editorial/posts/{partly_failed.pk}/")
    content = page.content.decode()
    assert "schlecht" in content or Channel.objects.get(pk=org.social_channel.pk).name in content


@pytest.fixture
def retried(org: Org, people: People, partly_failed: Post):  # type: ignore[no-untyped-def]
    """The failed channel reconnected, then "retry failed channels" on the post page."""
    channel_connect_with_form(
        actor=people.channel_admin,
        channel=Channel.objects.get(pk=org.social_channel.pk),
        values={"handle": "schlecht", "password": "pw"},
    )
    return login(Client(), people.editor).post(f"/editorial/posts/{partly_failed.pk}/retry_failed/")


def test_retrying_failed_channels_schedules_the_failed_variant_again(
    org: Org, partly_failed: Post, retried
) -> None:  # type: ignore[no-untyped-def]
    assert retried.status_code == 302
    failed_variant = PostVariant.objects.get(post=partly_failed, channel=org.social_channel)
    assert failed_variant.status == V.SCHEDULED


def test_the_retried_variant_is_published_and_the_post_with_it(
    org: Org, partly_failed: Post, retried
) -> None:  # type: ignore[no-untyped-def]
    failed_variant = PostVariant.objects.get(post=partly_failed, channel=org.social_channel)
    assert variant_publish(failed_variant.pk) == "published"
    assert Post.objects.get(pk=partly_failed.pk).status == Post.Status.PUBLISHED
