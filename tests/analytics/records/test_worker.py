"""A records export built by a REAL Celery worker process on the ``analytics`` queue, as the
Procfile runs it: requested through the service (the task is queued when the request
commits), claimed and built by the worker, and the ZIP it stored verifies.

The worker subprocess sees the test database (``transaction=True``), the tests' Redis and
the same media folder (see ``tests/editorial/publishing/test_faults.py``, whose process
helpers this uses)."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from analytics.models import RecordsExport
from analytics.records.services import records_export_request
from tests.analytics.metrics.test_worker import _analytics_worker
from tests.analytics.records.conftest import PERIOD
from tests.analytics.records.conftest import build_record
from tests.analytics.records.conftest import open_zip
from tests.analytics.records.conftest import records_of
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.publishing.test_faults import CeleryProcesses
from tests.editorial.publishing.test_faults import celery_processes
from tests.editorial.publishing.test_faults import sandbox

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
__all__ = ["celery_processes", "sandbox"]  # the fixtures, used by name


def test_a_worker_builds_the_export_and_its_manifest_verifies(
    celery_processes: CeleryProcesses, org: Org, people: People
) -> None:
    record = build_record(org, people)
    _analytics_worker(celery_processes)
    export = records_export_request(
        actor=people.auditor, unit=org.press, period_start=PERIOD[0], period_end=PERIOD[1]
    )
    deadline = time.monotonic() + 90
    while RecordsExport.objects.get(pk=export.pk).state in ("queued", "building"):
        celery_processes.check_alive()
        assert time.monotonic() < deadline, "the worker did not build the export"
        time.sleep(0.3)
    export.refresh_from_db()
    assert export.state == RecordsExport.State.READY, export.error
    assert (export.posts_done, export.posts_total) == (1, 1)
    archive = open_zip(export)
    manifest = json.loads(archive.read("manifest.json"))
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    assert [post["id"] for post in records_of(archive)["posts"]] == [record.post.pk]
    assert archive.read(f"media/{record.asset.pk}/Br_cke_gesperrt.png") == record.image
