"""Dispatching due variants into the real broker's publishing queue: once each, ahead of time
for the next tick's variants, and again for a variant moved after it was queued."""

from __future__ import annotations

import ast
import json
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from editorial.models import Post
from editorial.models import PostVariant
from editorial.models import PublishAttempt
from editorial.publishing.engine import variant_publish
from editorial.publishing.engine import variants_dispatch_due
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import due_post
from tests.editorial.factories import sandbox_connected

pytestmark = pytest.mark.django_db(transaction=True)

V = PostVariant.Status


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    """The real broker, its publishing queue emptied before and after."""
    broker = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    broker.delete("publishing")
    yield broker
    broker.delete("publishing")


def _queued_messages(broker: redis.Redis) -> list[tuple[int, dict[str, object]]]:
    """(variant id, kwargs) of every publishing task in the real broker's queue."""
    messages = []
    for raw in broker.lrange("publishing", 0, -1):
        headers = json.loads(raw)["headers"]
        messages.append(
            (ast.literal_eval(headers["argsrepr"])[0], ast.literal_eval(headers["kwargsrepr"]))
        )
    return messages


def test_two_beats_dispatching_at_once_queue_each_variant_once(
    sandbox: str, org: Org, people: People, broker: redis.Redis
) -> None:
    channel = sandbox_connected(org.press_channel, people, "doppelbeat")
    for i in range(6):
        due_post(org, people, [channel], title=f"Meldung {i}")
    barrier = threading.Barrier(2)

    def beat() -> None:
        try:
            barrier.wait()
            variants_dispatch_due()
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # What the real broker holds: one task per variant, none twice.
    queued = [variant_id for variant_id, _ in _queued_messages(broker)]
    assert sorted(queued) == sorted(PostVariant.objects.values_list("id", flat=True))


# --- Look-ahead -----------------------------------------------------------------------------


@pytest.fixture
def soon_and_later(sandbox: str, org: Org, people: People, settings) -> tuple[Post, Post]:  # type: ignore[no-untyped-def]
    """Two approved posts: one due in 2 s (before the next tick), one beyond the look-ahead
    (tick interval + 1 s)."""
    channel = sandbox_connected(org.press_channel, people, "vorab")
    soon = due_post(org, people, [channel], title="Gleich")
    later = due_post(org, people, [channel], title="Später")
    PostVariant.objects.filter(post=soon).update(scheduled_at=timezone.now() + timedelta(seconds=2))
    beyond = timezone.now() + timedelta(seconds=settings.PUBLISH_DISPATCH_SECONDS + 5)
    PostVariant.objects.filter(post=later).update(scheduled_at=beyond)
    return soon, later


def test_only_variants_due_before_the_next_tick_are_queued_ahead_with_their_second(
    soon_and_later: tuple[Post, Post], broker: redis.Redis
) -> None:
    soon, later = (PostVariant.objects.get(post=post) for post in soon_and_later)
    assert variants_dispatch_due() == 1
    # Beyond the look-ahead: left (scheduled) for the next tick.
    assert _queued_messages(broker) == [
        (soon.pk, {"not_before": soon.scheduled_at.timestamp()})  # type: ignore[union-attr]
    ]
    assert PostVariant.objects.get(pk=later.pk).status == V.SCHEDULED


def test_a_variant_queued_ahead_waits_for_its_second(soon_and_later: tuple[Post, Post]) -> None:
    variant = PostVariant.objects.get(post=soon_and_later[0])
    due = variant.scheduled_at
    assert variant_publish(variant.pk, not_before=due.timestamp()) == "published"  # type: ignore[union-attr]
    variant.refresh_from_db()
    assert variant.claimed_at is not None and variant.claimed_at >= due  # never early
    assert variant.published_at is not None and variant.published_at >= due  # type: ignore[operator]


# --- Moved after it was queued --------------------------------------------------------------


@pytest.fixture
def moved_after_queueing(sandbox: str, org: Org, people: People) -> PostVariant:
    """Queued, then moved an hour later: the queued task runs at the old time."""
    channel = sandbox_connected(org.press_channel, people, "verschoben")
    variant = PostVariant.objects.get(post=due_post(org, people, [channel]))
    PostVariant.objects.filter(pk=variant.pk).update(queued_at=timezone.now())
    later = timezone.now() + timedelta(hours=1)
    PostVariant.objects.filter(pk=variant.pk).update(scheduled_at=later)
    return variant


def test_a_variant_moved_later_after_it_was_queued_is_not_published_early(
    moved_after_queueing: PostVariant,
) -> None:
    variant = moved_after_queueing
    assert variant_publish(variant.pk) == "not_claimed"
    variant.refresh_from_db()
    assert variant.attempts == 0 and not PublishAttempt.objects.filter(variant=variant).exists()


def test_a_variant_moved_later_after_it_was_queued_is_queued_again_by_the_next_tick(
    moved_after_queueing: PostVariant,
) -> None:
    variant = moved_after_queueing
    variant_publish(variant.pk)
    variant.refresh_from_db()
    assert variant.status == V.SCHEDULED and variant.queued_at is None
