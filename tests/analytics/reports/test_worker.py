"""The monthly report as beat triggers it, run by a REAL Celery worker process on the
``analytics`` queue: the dispatcher queues the previous month's report of the unit that has
it switched on, the worker builds the PDF and e-mails it once; the dispatcher run again
builds and sends nothing more.

The worker subprocess sees the test database (``transaction=True``), the tests' Redis and
the same media folder (``tests/editorial/publishing/test_faults.py``'s process helpers); it
writes its e-mails to files (``worker_settings.py``)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.utils import timezone

from analytics.models import ReportRun
from analytics.reports.selectors import Month
from analytics.reports.services import report_settings_update
from analytics.reports.tasks import dispatch_monthly_reports
from config.celery import app as celery_app
from tests.analytics.reports.conftest import month_of_figures
from tests.analytics.reports.conftest import pdf_text
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.publishing.test_faults import CeleryProcesses
from tests.editorial.publishing.test_faults import celery_processes
from tests.editorial.publishing.test_faults import sandbox

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
__all__ = ["celery_processes", "sandbox"]  # the fixtures, used by name


def _sent(mail_dir: Path) -> list[str]:
    return [
        line
        for path in mail_dir.iterdir()
        for line in path.read_text(errors="replace").splitlines()
        if line.startswith("To: ")
    ]


def test_the_scheduled_report_is_built_and_mailed_once_by_a_worker(
    celery_processes: CeleryProcesses, org: Org, people: People, tmp_path: Path
) -> None:
    month = Month.of(timezone.localdate()).previous()
    month_of_figures(org, month)
    report_settings_update(
        actor=people.approver,
        unit=org.press,
        enabled=True,
        language="de",
        recipients=[people.editor],
        extra_addresses="rathaus@stadt.example",
    )
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with celery_app.connection_for_write() as conn:
        celery_app.amqp.queues["analytics"](conn.default_channel).declare()
    args = ["worker", "--hostname", "reports@%h", "--pool", "threads", "--concurrency", "2"]
    args += ["--queues", "analytics", "--without-gossip", "--without-mingle"]
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.analytics.reports.worker_settings",
        "SPRACHROHR_TEST_MAIL_DIR": str(mail_dir),
    }
    celery_processes.wait_for_output(
        celery_processes._start("reports-worker", args, env), " ready."
    )

    dispatch_monthly_reports.delay()  # what beat sends on the first at 06:00
    deadline = time.monotonic() + 120
    while not ReportRun.objects.filter(mailed_at__isnull=False).exists():
        celery_processes.check_alive()
        assert time.monotonic() < deadline, "the worker did not build and mail the report"
        time.sleep(0.3)
    run = ReportRun.objects.get()
    assert (run.unit_id, run.month, run.status) == (org.press.pk, month.start, "ready")
    assert "Presseamt" in pdf_text(run)
    assert sorted(_sent(mail_dir)) == sorted(
        [f"To: {people.editor.email}", "To: rathaus@stadt.example"]
    )

    dispatch_monthly_reports.delay()  # beat again (a second beat, a restart): nothing new
    time.sleep(3)
    assert ReportRun.objects.count() == 1
    assert len(_sent(mail_dir)) == 2
