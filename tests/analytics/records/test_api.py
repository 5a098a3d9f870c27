# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The records export API: request (queued after commit), list (a fixed number of
queries), one export's state and progress, the download (audited), the OpenAPI schema, and
refusals: other roles 403, another authority's channel 400, its exports 404."""

from __future__ import annotations

from base64 import b64encode
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from analytics.models import RecordsExport
from tests.analytics.records.conftest import PERIOD
from tests.analytics.records.conftest import queued_export
from tests.analytics.records.test_pages import ready_export
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import close
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

API = "/api/v1/analytics/records/"


def body(unit: Any, channel: Any = None) -> dict[str, Any]:
    return {
        "unit": unit.pk,
        "channel": channel.pk if channel is not None else None,
        "period_start": PERIOD[0].isoformat(),
        "period_end": PERIOD[1].isoformat(),
    }


def test_an_auditor_requests_an_export(
    api_client_for: Any, org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client = api_client_for(people.auditor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(API, body(org.press), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "queued"
    assert response.json()["download_url"] is None
    assert len(callbacks) == 1
    assert RecordsExport.objects.get().channel is None


def test_another_authoritys_channel_is_refused(
    api_client_for: Any, org: Org, people: People
) -> None:
    response = api_client_for(people.approver).post(
        API, body(org.press, org.police_channel), format="json"
    )
    assert response.status_code == 400
    assert "channel" in str(response.json())
    assert not RecordsExport.objects.exists()


def test_another_authoritys_unit_is_refused(api_client_for: Any, org: Org, people: People) -> None:
    response = api_client_for(people.approver).post(API, body(org.police_press), format="json")
    assert response.status_code == 400
    assert not RecordsExport.objects.exists()


def test_other_roles_are_refused(api_client_for: Any, org: Org, people: People) -> None:
    client = api_client_for(people.community_manager)
    assert client.get(API).status_code == 403
    assert client.post(API, body(org.press), format="json").status_code == 403


def test_one_export_shows_its_progress(api_client_for: Any, org: Org, people: People) -> None:
    export = queued_export(org.press, people.approver, state="building", posts_done=12)
    RecordsExport.objects.filter(pk=export.pk).update(posts_total=340)
    data = api_client_for(people.auditor).get(f"{API}{export.pk}/").json()
    assert (data["state"], data["posts_done"], data["posts_total"]) == ("building", 12, 340)


def test_the_download_is_audited(api_client_for: Any, org: Org, people: People) -> None:
    export = ready_export(org.press, people.approver)
    client = api_client_for(people.system_admin)
    detail = client.get(f"{API}{export.pk}/").json()
    assert detail["download_url"].endswith(f"{API}{export.pk}/download/")
    response = client.get(f"{API}{export.pk}/download/")
    assert response.status_code == 200
    assert response["Repr-Digest"] == f"sha-256=:{b64encode(bytes.fromhex('a' * 64)).decode()}:"
    close(response)
    assert AuditEntry.objects.filter(
        action="analytics.records.downloaded", actor=people.system_admin
    ).exists()


def test_another_authoritys_export_is_not_found(
    api_client_for: Any, org: Org, people: People
) -> None:
    export = ready_export(org.police_press, people.outsider)
    client = api_client_for(people.auditor)
    assert client.get(f"{API}{export.pk}/").status_code == 404
    assert client.get(f"{API}{export.pk}/download/").status_code == 404
    assert export.pk not in [e["id"] for e in client.get(API).json()["results"]]


def test_the_list_stays_a_fixed_number_of_queries(
    api_client_for: Any, org: Org, people: People
) -> None:
    client = api_client_for(people.auditor)
    queued_export(org.press, people.approver)
    client.get(API)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(API).status_code == 200
    for _number in range(8):
        queued_export(org.social, people.system_admin, channel=org.social_channel)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(API).json()["results"]) == 9
    assert len(many) == len(few)


def test_in_the_openapi_schema(client_for: Any, people: People) -> None:
    schema = client_for(people.auditor).get("/api/schema/?format=json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/analytics/records/"])
    assert "/api/v1/analytics/records/{id}/" in schema["paths"]
    download = schema["paths"]["/api/v1/analytics/records/{id}/download/"]["get"]
    assert "application/zip" in download["responses"]["200"]["content"]
