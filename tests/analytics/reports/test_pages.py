# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Report pages: the archive (a fixed number of queries), a report built on request shows
its state with a refresh link until it is ready and is then downloaded, and the settings
page saves through the audited service."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from analytics.models import ReportRun
from analytics.models import ReportSettings
from analytics.reports.services import report_build
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import close
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _ready_run(org: Org, month: date, digit: str = "a") -> ReportRun:
    run = ReportRun.objects.create(
        unit=org.social,
        month=month,
        language="de",
        trigger=ReportRun.Trigger.SCHEDULE,
        status=ReportRun.Status.READY,
        sha256=digit * 64,
    )
    run.file.save(f"r-{digit}.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    return run


def test_archive_queries_do_not_grow(client_for: Any, org: Org, people: People) -> None:
    client = client_for(people.auditor)
    _ready_run(org, date(2026, 1, 1))
    client.get("/analytics/reports/")
    with CaptureQueriesContext(connection) as few:
        client.get("/analytics/reports/")
    for month in range(2, 12):
        _ready_run(org, date(2026, month, 1), digit=str(month % 10))
    with CaptureQueriesContext(connection) as many:
        response = client.get("/analytics/reports/")
    assert response.content.decode().count("/download/") == 11
    assert len(many) == len(few)


def test_settings_list_queries_do_not_grow(client_for: Any, org: Org, people: People) -> None:
    client = client_for(people.system_admin)
    ReportSettings.objects.create(unit=org.police, enabled=False)  # not shown: another authority
    ReportSettings.objects.create(unit=org.city).recipients.add(people.auditor)
    client.get("/analytics/reports/settings/")
    with CaptureQueriesContext(connection) as few:
        client.get("/analytics/reports/settings/")
    for unit in (org.press, org.social):
        settings = ReportSettings.objects.create(unit=unit, enabled=True)
        settings.recipients.add(people.editor, people.approver)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/analytics/reports/settings/")
    assert response.content.decode().count(people.editor.email) == 2
    assert len(many) == len(few)


def test_build_now_shows_the_state_then_the_download(
    client_for: Any, org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(people.approver)
    assert client.get("/analytics/reports/new/").status_code == 200
    with time_machine.travel(date(2026, 11, 3)):
        with django_capture_on_commit_callbacks() as queued:
            response = client.post(
                "/analytics/reports/new/", {"unit": org.press.pk, "month": "2026-10"}
            )
        assert len(queued) == 1  # the build task, after commit
        run = ReportRun.objects.get()
        assert (
            response.status_code == 302 and response["Location"] == f"/analytics/reports/{run.pk}/"
        )
        page = client.get(response["Location"]).content.decode()
        assert f'href="/analytics/reports/{run.pk}/"' in page  # the refresh link
        assert client.get(f"/analytics/reports/{run.pk}/download/").status_code == 404
        report_build(run_id=run.pk)  # the worker's part
        page = client.get(f"/analytics/reports/{run.pk}/").content.decode()
        assert f"/analytics/reports/{run.pk}/download/" in page
        download = client.get(f"/analytics/reports/{run.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    close(download)
    assert "2026-10.pdf" in download["Content-Disposition"]


def test_a_malformed_month_is_refused(client_for: Any, org: Org, people: People) -> None:
    response = client_for(people.approver).post(
        "/analytics/reports/new/", {"unit": org.press.pk, "month": "10/2026"}
    )
    assert response.status_code == 400 and not ReportRun.objects.exists()


def test_settings_page_saves(client_for: Any, org: Org, people: People) -> None:
    client = client_for(people.approver)
    url = f"/analytics/reports/settings/{org.press.pk}/"
    page = client.get(url).content.decode()
    assert people.auditor.email in page  # the city's auditor reads the Presseamt's reports
    response = client.post(
        url,
        {
            "enabled": "on",
            "language": "de",
            "recipients": [people.editor.pk],
            "extra_addresses": "rathaus@stadt.example",
        },
    )
    assert response.status_code == 302
    settings = ReportSettings.objects.get(unit=org.press)
    assert settings.enabled and settings.addresses == ["rathaus@stadt.example"]
    assert AuditEntry.objects.filter(action="analytics.reports.settings_updated").exists()


def test_switching_on_without_recipients_is_refused(
    client_for: Any, org: Org, people: People
) -> None:
    response = client_for(people.approver).post(
        f"/analytics/reports/settings/{org.press.pk}/", {"enabled": "on", "language": "de"}
    )
    assert response.status_code == 400 and not ReportSettings.objects.exists()
