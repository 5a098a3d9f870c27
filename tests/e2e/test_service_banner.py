"""Issue 13 in the browser: a real Celery worker runs and reports, no banner; the worker is
killed (SIGKILL, as it died in the issue), its heartbeat goes stale, and every page shows the
banner to the people who publish."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.tasks import record_worker_heartbeat
from editorial.publishing.selectors import publishing_service_status
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import visit
from tests.editorial.publishing.test_faults import CeleryProcesses
from tests.editorial.publishing.test_faults import celery_processes  # noqa: F401 (fixtures)
from tests.editorial.publishing.test_faults import sandbox  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Short instead of 120 s: the test waits for a stale heartbeat, not for minutes.
FRESH_FOR = timedelta(seconds=6)


def _until(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _heartbeats_sent_and_recorded() -> bool:
    """What beat does every 30 s, once per service queue; true once the worker wrote them."""
    for queue in ("default", "publishing"):
        record_worker_heartbeat.apply_async(args=(queue,), queue=queue)
    time.sleep(0.5)
    return publishing_service_status().running


def test_the_banner_appears_when_the_worker_is_killed(
    page: Page,
    people: People,
    celery_processes: CeleryProcesses,  # noqa: F811 (the fixture imported above)
    settings: Any,
) -> None:
    settings.SERVICE_BANNER_ENABLED = True
    settings.WORKER_HEARTBEAT_MAX_AGE = FRESH_FOR
    worker = celery_processes.worker("w1")
    login(page, people.editor)
    _until(_heartbeats_sent_and_recorded, "the worker records the heartbeats")
    visit(page, "/editorial/posts/")
    expect(page.locator(".service-banner")).to_have_count(0)

    celery_processes.kill(worker)
    _until(lambda: not publishing_service_status().running, "the heartbeats go stale")
    visit(page, "/editorial/posts/")
    banner = page.locator(".service-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("role", "alert")
    # Editors cannot open the operations page: the banner does not send them there.
    expect(banner.locator("a[href*='service-help']")).to_have_count(0)
