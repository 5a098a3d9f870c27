from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from accounts.audit import audit_log
from tests.conftest import Org, People, login

pytestmark = pytest.mark.django_db


def _csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_filters_by_action_unit_object_and_period(org: Org, people: People) -> None:
    audit_log(
        action="accounts.unit.updated",
        actor=people.system_admin,
        unit=org.social,
        target=org.social,
    )
    client = login(Client(), people.auditor)
    page = client.get("/audit/", {"action": "accounts.unit.updated"})
    assert {entry.action for entry, _label in page.context["rows"]} == {"accounts.unit.updated"}
    page = client.get("/audit/", {"unit": org.social.pk})
    assert {entry.unit_id for entry, _label in page.context["rows"]} == {org.social.pk}
    page = client.get("/audit/", {"target_type": "accounts.orgunit", "target_id": org.social.pk})
    assert {entry.target_id for entry, _label in page.context["rows"]} == {str(org.social.pk)}
    page = client.get("/audit/", {"actor": people.system_admin.pk})
    assert [entry.action for entry, _label in page.context["rows"]] == ["accounts.unit.updated"]
    page = client.get("/audit/", {"since": "2001-01-01", "until": "2001-12-31"})
    assert page.context["rows"] == []


def test_invalid_filter_shows_errors_not_a_crash(people: People) -> None:
    page = login(Client(), people.auditor).get("/audit/", {"since": "gestern"})
    assert page.status_code == 200
    assert page.context["form"].errors["since"]


def test_csv_export_respects_filters_and_neutralises_formulas(org: Org, people: People) -> None:
    audit_log(
        action="accounts.login.failed",
        actor_label='=HYPERLINK("http://evil.example")',
        unit=org.press,
    )
    client = login(Client(), people.auditor)
    response = client.get("/audit/", {"format": "csv", "action": "accounts.login.failed"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = _csv_rows(response)
    assert rows[0][:5] == ["sequence", "time", "actor", "token", "action"]
    assert len(rows) == 2
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][4] == "accounts.login.failed"


def test_hostile_text_is_escaped_on_the_page(org: Org, people: People) -> None:
    audit_log(
        action="accounts.login.failed", actor_label="<script>alert(1)</script>", unit=org.press
    )
    html = login(Client(), people.auditor).get("/audit/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_audit_page_uses_a_constant_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), people.auditor)
    client.get("/audit/")
    with django_assert_max_num_queries(30) as baseline:
        client.get("/audit/")
    for i in range(40):
        audit_log(
            action="accounts.user.updated",
            actor=people.editor,
            target=people.editor,
            unit=org.press if i % 2 else org.social,
        )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get("/audit/")
    assert len(response.context["rows"]) == 50


def test_user_language_switches_the_interface(people: People) -> None:
    client = login(Client(), people.editor)
    assert client.get("/").headers["Content-Language"] == "de"
    client.post("/accounts/profile/", {"save_profile": "1", "full_name": "Rita", "language": "en"})
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_anonymous_pages_follow_the_language_switch() -> None:
    client = Client()
    assert '<html lang="de">' in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()
