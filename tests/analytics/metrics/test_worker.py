"""Snapshots read on schedule by REAL Celery processes (beat and a worker on the
``analytics`` queue) from the sandbox platform served by the live server: the first read is
rate-limited (429 with Retry-After), the channel backs off and the reading is taken once
the platform allows, exactly once.

The subprocesses see the test database (``transaction=True``) and the tests' Redis (see
``tests/editorial/publishing/test_faults.py``, whose process helpers this uses).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from analytics.models import ChannelMetricsState
from analytics.models import PostMetricSnapshot
from channels_app.adapters.base import PostContent
from channels_app.models import Channel
from channels_app.services import adapter_for
from config.celery import app as celery_app
from editorial.models import PostVariant
from tests.analytics.metrics.conftest import published_variant
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import sandbox_connected
from tests.editorial.publishing.test_faults import CeleryProcesses
from tests.editorial.publishing.test_faults import _control
from tests.editorial.publishing.test_faults import celery_processes
from tests.editorial.publishing.test_faults import sandbox

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
__all__ = ["celery_processes", "sandbox"]  # the fixtures, used by name


def _wait_for(what: str, predicate: Callable[[], bool], processes: CeleryProcesses) -> None:
    deadline = time.monotonic() + 60
    while not predicate():
        processes.check_alive()
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _analytics_worker(processes: CeleryProcesses) -> None:
    """A worker as the Procfile's, on the ``analytics`` queue only."""
    args = ["worker", "--hostname", "analytics@%h", "--pool", "threads", "--concurrency", "2"]
    args += ["--queues", "analytics", "--without-gossip", "--without-mingle"]
    processes.wait_for_output(
        processes._start("analytics-worker", args, {"PLATFORM_READ_TIMEOUT": "20"}), " ready."
    )


def test_beat_and_a_worker_read_snapshots_from_the_sandbox_through_a_rate_limit(
    celery_processes: CeleryProcesses, sandbox: str, org: Org, people: People, settings: Any
) -> None:
    settings.PLATFORM_READ_TIMEOUT = 20  # no timeouts tested here; a busy machine is slow
    channel = sandbox_connected(org.press_channel, people, "stadt-analytics")
    remote_id = adapter_for(channel).publish(PostContent(text="Hitzewarnung"), "key-a1").remote_id
    variant = published_variant(channel, remote_id)
    PostVariant.objects.filter(pk=variant.pk).update(
        published_at=timezone.now() - timedelta(minutes=61)
    )
    assert Channel.objects.get(pk=channel.pk).status == Channel.Status.ACTIVE
    # The next metrics read is refused with 429 and "Retry-After: 3".
    _control(
        sandbox,
        "stadt-analytics",
        read_fail_count=1,
        fail_status=429,
        retry_after_seconds=3,
    )
    with celery_app.connection_for_write() as conn:
        celery_app.amqp.queues["analytics"](conn.default_channel).declare()

    _analytics_worker(celery_processes)
    celery_processes.beat("analytics-beat", ANALYTICS_SNAPSHOT_DISPATCH_SECONDS="1")

    def backed_off() -> bool:
        state = ChannelMetricsState.objects.filter(channel=channel).first()
        return state is not None and state.failures == 1

    _wait_for("the rate-limited first read", backed_off, celery_processes)
    state = ChannelMetricsState.objects.get(channel=channel)
    assert state.last_error and state.not_before is not None
    assert not PostMetricSnapshot.objects.exists()

    _wait_for(
        "the reading after the back-off",
        lambda: PostMetricSnapshot.objects.filter(variant=variant).exists(),
        celery_processes,
    )
    snapshot = PostMetricSnapshot.objects.get(variant=variant)
    assert snapshot.age_bucket == 1
    assert snapshot.taken_at >= state.not_before  # the platform's Retry-After was honoured
    assert snapshot.impressions is not None and snapshot.likes is not None
    assert snapshot.video_views is None  # the sandbox gives no video views: not provided
    time.sleep(2.5)  # beat keeps running: nothing is read twice
    assert PostMetricSnapshot.objects.filter(variant=variant).count() == 1
    state.refresh_from_db()
    assert (state.failures, state.not_before) == (0, None)
