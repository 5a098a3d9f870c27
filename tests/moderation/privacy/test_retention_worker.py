"""The retention task as beat schedules it and a real worker runs it."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from accounts.models import AuditEntry
from config.celery import app as celery_app
from moderation.models import InboxItem
from moderation.privacy.tasks import apply_retention
from tests.moderation.privacy.conftest import build_trail

pytestmark = pytest.mark.django_db(transaction=True)


def test_beat_runs_retention_hourly() -> None:
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "moderation.privacy.tasks.apply_retention"
    )
    assert entry["schedule"].total_seconds() == 3600
    assert apply_retention.name == "moderation.privacy.tasks.apply_retention"


def test_a_real_worker_applies_retention(org, people) -> None:
    trail = build_trail(org, people, closed_days_ago=100)
    with start_worker(
        celery_app, pool="threads", concurrency=1, perform_ping_check=False, queues=["default"]
    ):
        apply_retention.delay()
        deadline = time.monotonic() + 20
        while not AuditEntry.objects.filter(action="moderation.privacy.retention_applied").exists():
            assert time.monotonic() < deadline
            time.sleep(0.2)
    assert InboxItem.objects.get(pk=trail.items[0].pk).erased_at is not None
