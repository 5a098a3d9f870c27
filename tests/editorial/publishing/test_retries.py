"""When the platform's answer is an error, late or missing: retried with backoff (or after
Retry-After), found instead of posted twice, or handed to a person."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
import responses
from django.utils import timezone

from channels_app.adapters.base import AccountChoice
from channels_app.models import Channel
from channels_app.services import channel_connect
from editorial.models import PostVariant
from editorial.models import PublishAttempt
from editorial.publishing.engine import variant_publish
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import due_post
from tests.editorial.factories import sandbox_connected

pytestmark = pytest.mark.django_db(transaction=True)

V = PostVariant.Status


# --- Server errors --------------------------------------------------------------------------


@pytest.fixture
def failing_twice(control, org: Org, people: People) -> PostVariant:  # type: ignore[no-untyped-def]
    """Due on an account that answers HTTP 500 twice, then works."""
    channel = sandbox_connected(org.press_channel, people, "wackelig")
    control("wackelig", fail_status=500, fail_count=2)
    return PostVariant.objects.get(post=due_post(org, people, [channel]))


def _retry_now(variant: PostVariant) -> None:
    PostVariant.objects.filter(pk=variant.pk).update(next_attempt_at=timezone.now())


def test_server_errors_are_retried_with_backoff_and_their_reason(
    failing_twice: PostVariant,
) -> None:
    variant = failing_twice
    for _ in range(2):
        assert variant_publish(variant.pk) == "retry"
        variant.refresh_from_db()
        assert variant.status == V.SCHEDULED and variant.next_attempt_at > timezone.now()
        assert "HTTP 500" in variant.last_error or "500" in variant.last_error
        _retry_now(variant)


@pytest.fixture
def after_two_errors(failing_twice: PostVariant) -> PostVariant:
    for _ in range(2):
        variant_publish(failing_twice.pk)
        _retry_now(failing_twice)
    return failing_twice


def test_after_server_errors_the_retry_publishes_once(
    after_two_errors: PostVariant, posts_created: Callable[[str], int]
) -> None:
    assert variant_publish(after_two_errors.pk) == "published"
    assert posts_created("wackelig") == 1


def test_every_attempt_is_logged(after_two_errors: PostVariant) -> None:
    variant_publish(after_two_errors.pk)
    assert PublishAttempt.objects.filter(variant=after_two_errors).count() == 3


# --- Rate limits ----------------------------------------------------------------------------


def test_rate_limits_honour_retry_after(control, org: Org, people: People) -> None:  # type: ignore[no-untyped-def]
    channel = sandbox_connected(org.press_channel, people, "gedrosselt")
    control("gedrosselt", fail_status=429, fail_count=1, retry_after_seconds=120)
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    assert variant_publish(variant.pk) == "retry"
    variant.refresh_from_db()
    assert variant.next_attempt_at >= timezone.now() + timedelta(seconds=115)


# --- Accepted, but the answer never came ----------------------------------------------------


@pytest.fixture
def accepted_then_timed_out(control, org: Org, people: People) -> PostVariant:  # type: ignore[no-untyped-def]
    """Due on an account that creates the post but answers after the read timeout (2 s)."""
    channel = sandbox_connected(org.press_channel, people, "langsam")
    control("langsam", timeout_after_accept_count=1, timeout_after_accept_seconds=4)
    return PostVariant.objects.get(post=due_post(org, people, [channel]))


def test_an_answer_that_never_came_is_retried(accepted_then_timed_out: PostVariant) -> None:
    assert variant_publish(accepted_then_timed_out.pk) == "retry"  # the answer never came


def test_accepted_then_timed_out_is_found_not_repeated(
    accepted_then_timed_out: PostVariant, posts_created: Callable[[str], int]
) -> None:
    variant = accepted_then_timed_out
    variant_publish(variant.pk)
    _retry_now(variant)
    assert variant_publish(variant.pk) == "found"
    variant.refresh_from_db()
    assert variant.status == V.PUBLISHED and variant.remote_id
    assert posts_created("langsam") == 1


# --- Unknown outcome on Telegram ------------------------------------------------------------


@pytest.fixture
def telegram_timing_out(org: Org, people: People) -> Iterator[PostVariant]:
    """Due on a Telegram channel whose sendMessage times out (outcome unknown)."""
    from accounts.permissions import channel_permissions_sync

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.add_passthru("http://localhost")
        channel = Channel.objects.create(unit=org.press, name="Telegram Kanal", platform="telegram")
        channel_permissions_sync(channel)
        channel_connect(
            actor=people.channel_admin,
            channel=channel,
            choice=AccountChoice(
                account_id="-1001234567890",
                name="Stadt",
                handle="@stadt_musterstadt",
                credentials={"bot_token": "123456:ABCdefGhIJKlmNoPQRsTUVwxyZ12345678"},
            ),
        )
        mocked.post(
            "https://api.telegram.org/bot123456:ABCdefGhIJKlmNoPQRsTUVwxyZ12345678/sendMessage",
            body=requests.ReadTimeout(),
        )
        post = due_post(org, people, [Channel.objects.get(pk=channel.pk)])
        yield PostVariant.objects.get(post=post)


def test_telegram_unknown_outcome_asks_a_person(telegram_timing_out: PostVariant) -> None:
    variant = telegram_timing_out
    assert variant_publish(variant.pk) == "needs_check"
    assert PostVariant.objects.get(pk=variant.pk).status == V.NEEDS_CHECK


def test_telegram_unknown_outcome_is_never_sent_again_by_itself(
    telegram_timing_out: PostVariant,
) -> None:
    variant_publish(telegram_timing_out.pk)
    assert variant_publish(telegram_timing_out.pk) == "not_claimed"
