# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Reports API: the archive, a report requested for a month (202, built in the background),
its state and download, the OpenAPI schema."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine

from analytics.models import ReportRun
from analytics.reports.services import report_build
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import close
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_request_follow_and_download(
    api_client_for: Any, org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client = api_client_for(people.approver)
    with time_machine.travel(date(2026, 11, 3)):
        with django_capture_on_commit_callbacks() as queued:
            response = client.post(
                "/api/v1/analytics/reports/", {"unit": org.press.pk, "month": "2026-10"}
            )
        assert response.status_code == 202, response.content
        body = response.json()
        assert (body["month"], body["status"], body["download"]) == ("2026-10", "queued", None)
        assert len(queued) == 1
        report_build(run_id=body["id"])
    detail = client.get(f"/api/v1/analytics/reports/{body['id']}/").json()
    assert detail["status"] == "ready" and len(detail["sha256"]) == 64
    download = client.get(detail["download"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    close(download)
    listed = client.get("/api/v1/analytics/reports/", {"unit": org.press.pk}).json()
    assert [item["id"] for item in listed["results"]] == [body["id"]]


def test_a_second_request_while_building_is_a_conflict(
    api_client_for: Any, org: Org, people: People
) -> None:
    client = api_client_for(people.approver)
    client.post("/api/v1/analytics/reports/", {"unit": org.press.pk, "month": "2026-01"})
    again = client.post("/api/v1/analytics/reports/", {"unit": org.press.pk, "month": "2026-01"})
    assert again.status_code == 409
    assert ReportRun.objects.count() == 1


def test_an_auditor_reads_but_does_not_request(
    api_client_for: Any, org: Org, people: People
) -> None:
    client = api_client_for(people.auditor)
    assert client.get("/api/v1/analytics/reports/").status_code == 200
    refused = client.post("/api/v1/analytics/reports/", {"unit": org.press.pk, "month": "2026-01"})
    assert refused.status_code in (400, 403) and not ReportRun.objects.exists()


def test_a_month_in_other_digits_than_ascii_is_refused(
    api_client_for: Any, org: Org, people: People
) -> None:
    response = api_client_for(people.approver).post(
        "/api/v1/analytics/reports/", {"unit": org.press.pk, "month": "٢٠٢٦-٠٣"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"month"}


def test_in_the_openapi_schema(api_client_for: Any, people: People) -> None:
    schema = api_client_for(people.auditor).get("/api/schema/?format=json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/analytics/reports/"])
    assert "/api/v1/analytics/reports/{id}/download/" in schema["paths"]
