# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Each download of a monthly report is audited (page and API): who took which report,
with its month and SHA-256. A report not built yet is not found and not audited."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.files.base import ContentFile

from accounts.models import AuditEntry
from accounts.models import User
from analytics.models import ReportRun
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import close
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

PDF = b"%PDF-1.7\n% a built report\n"


def _ready(org: Org) -> ReportRun:
    run = ReportRun(
        unit=org.press,
        month=date(2026, 10, 1),
        language="de",
        trigger=ReportRun.Trigger.SCHEDULE,
        status=ReportRun.Status.READY,
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
    )
    run.file.save("report.pdf", ContentFile(PDF), save=False)
    run.save()
    return run


def _downloads(user: User) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="analytics.reports.downloaded", actor=user))


def test_a_download_from_the_page_is_audited(client_for: Any, org: Org, people: People) -> None:
    run = _ready(org)
    response = client_for(people.auditor).get(f"/analytics/reports/{run.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    (entry,) = _downloads(people.auditor)
    assert entry.target_id == str(run.pk)
    assert entry.data == {"month": "2026-10", "sha256": run.sha256}


def test_a_download_through_the_api_is_audited(
    api_client_for: Any, org: Org, people: People
) -> None:
    run = _ready(org)
    response = api_client_for(people.editor).get(f"/api/v1/analytics/reports/{run.pk}/download/")
    assert response.status_code == 200
    close(response)
    assert len(_downloads(people.editor)) == 1


def test_a_report_not_built_is_not_found_and_not_audited(
    api_client_for: Any, org: Org, people: People
) -> None:
    run = ReportRun.objects.create(
        unit=org.press, month=date(2026, 10, 1), language="de", trigger=ReportRun.Trigger.REQUEST
    )
    response = api_client_for(people.approver).get(f"/api/v1/analytics/reports/{run.pk}/download/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="analytics.reports.downloaded").exists()


def test_another_authority_downloads_nothing(api_client_for: Any, org: Org, people: People) -> None:
    run = _ready(org)
    assert (
        api_client_for(people.outsider)
        .get(f"/api/v1/analytics/reports/{run.pk}/download/")
        .status_code
        == 404
    )
    assert not AuditEntry.objects.filter(action="analytics.reports.downloaded").exists()
