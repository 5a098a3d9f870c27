# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The records export pages: the list with state and progress (a fixed number of queries
however many exports), the request form (queues the build after commit, refuses another
authority's channel), the download (audited) and who may use them."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from analytics.models import RecordsExport
from tests.analytics.records.conftest import PERIOD
from tests.analytics.records.conftest import queued_export
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import close
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

NEW = "/analytics/records/new/"
INDEX = "/analytics/records/"


def form(unit: Any, channel: Any = None) -> dict[str, Any]:
    return {
        "unit": unit.pk,
        "channel": channel.pk if channel is not None else "",
        "period_start": PERIOD[0].isoformat(),
        "period_end": PERIOD[1].isoformat(),
    }


def ready_export(unit: Any, user: Any) -> RecordsExport:
    export = queued_export(unit, user, state=RecordsExport.State.READY, sha256="a" * 64)
    export.file.save("records.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    return export


def test_requesting_an_export_queues_its_build_after_commit(
    client_for: Any, org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(people.approver)
    assert client.get(NEW).status_code == 200
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(NEW, form(org.press, org.press_channel))
    assert response.status_code == 302 and response["Location"] == INDEX
    export = RecordsExport.objects.get()
    assert (export.channel, export.unit, export.state) == (org.press_channel, org.press, "queued")
    assert len(callbacks) == 1
    entry = AuditEntry.objects.get(action="analytics.records.requested")
    assert entry.data["channel"] == org.press_channel.pk


def test_another_authoritys_channel_is_refused(client_for: Any, org: Org, people: People) -> None:
    response = client_for(people.approver).post(NEW, form(org.press, org.police_channel))
    assert response.status_code == 400
    assert not RecordsExport.objects.exists()


def test_a_channel_outside_the_unit_is_refused(client_for: Any, org: Org, people: People) -> None:
    response = client_for(people.system_admin).post(NEW, form(org.social, org.press_channel))
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not RecordsExport.objects.exists()


def test_a_period_ending_before_it_begins_is_refused(
    client_for: Any, org: Org, people: People
) -> None:
    data = {**form(org.press), "period_end": "2026-02-01"}
    assert client_for(people.auditor).post(NEW, data).status_code == 400
    assert not RecordsExport.objects.exists()


def test_editors_do_not_export_records(client_for: Any, people: People) -> None:
    client = client_for(people.editor)
    assert client.get(INDEX).status_code == 403
    assert client.get(NEW).status_code == 403


def test_the_list_shows_state_and_progress(client_for: Any, org: Org, people: People) -> None:
    queued_export(org.press, people.approver, state="building", posts_done=12, posts_total=340)
    body = client_for(people.auditor).get(INDEX).content.decode()
    assert "12 von 340 Beiträgen" in body or "12 of 340 posts" in body


def test_the_list_queries_do_not_grow(client_for: Any, org: Org, people: People) -> None:
    client = client_for(people.auditor)
    ready_export(org.press, people.approver)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    for _number in range(10):
        queued_export(org.social, people.system_admin, channel=org.social_channel)
    with CaptureQueriesContext(connection) as many:
        response = client.get(INDEX)
    assert response.content.decode().count("<tr>") == 12  # header and 11 exports
    assert len(many) == len(few)


def test_the_download_is_the_zip_and_audited(client_for: Any, org: Org, people: People) -> None:
    export = ready_export(org.press, people.approver)
    response = client_for(people.auditor).get(f"/analytics/records/{export.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content).startswith(b"PK")  # type: ignore[attr-defined]
    close(response)  # the file, without closing the test's database connection
    entry = AuditEntry.objects.get(action="analytics.records.downloaded")
    assert entry.actor == people.auditor and entry.data == {"sha256": "a" * 64}


def test_an_export_not_ready_is_not_downloaded(client_for: Any, org: Org, people: People) -> None:
    export = queued_export(org.press, people.approver)
    response = client_for(people.approver).get(f"/analytics/records/{export.pk}/download/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="analytics.records.downloaded").exists()


def test_another_authoritys_export_is_not_found(client_for: Any, org: Org, people: People) -> None:
    export = ready_export(org.police_press, people.outsider)
    response = client_for(people.system_admin).get(f"/analytics/records/{export.pk}/download/")
    assert response.status_code == 404


def test_the_analytics_navigation_offers_the_exports_to_who_may_use_them(
    client_for: Any, people: People
) -> None:
    link = 'href="/analytics/records/"'
    assert link in client_for(people.auditor).get("/analytics/goals/").content.decode()
    assert link not in client_for(people.editor).get("/analytics/goals/").content.decode()


def test_a_period_beginning_in_the_future_is_refused(
    client_for: Any, org: Org, people: People
) -> None:
    data = {**form(org.press), "period_start": "2999-01-01", "period_end": "9999-12-31"}
    assert client_for(people.approver).post(NEW, data).status_code == 400
    assert not RecordsExport.objects.exists()
