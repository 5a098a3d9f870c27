# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
from __future__ import annotations

import csv
import io
from datetime import UTC
from datetime import datetime

import openpyxl
import time_machine
from django.test import Client

from accounts.audit import AUDIT_ACTIONS
from accounts.audit import audit_log
from accounts.exports import XLSX_CONTENT_TYPE
from accounts.models import AuditEntry
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))


def test_filters_by_action_unit_object_and_period(org: Org, people: People) -> None:
    audit_log(
        action="accounts.unit.updated",
        actor=people.system_admin,
        unit=org.social,
        target=org.social,
    )
    client = login(Client(), people.auditor)
    page = client.get("/audit/", {"action": "accounts.unit.updated"})
    assert {entry.action for entry, *_ in page.context["rows"]} == {"accounts.unit.updated"}
    page = client.get("/audit/", {"unit": org.social.pk})
    assert {entry.unit_id for entry, *_ in page.context["rows"]} == {org.social.pk}
    page = client.get("/audit/", {"target_type": "accounts.orgunit", "target_id": org.social.pk})
    assert {entry.target_id for entry, *_ in page.context["rows"]} == {str(org.social.pk)}
    page = client.get("/audit/", {"actor": people.system_admin.pk})
    assert [entry.action for entry, *_ in page.context["rows"]] == ["accounts.unit.updated"]
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


def test_action_filter_offers_every_action_by_its_label_grouped_by_area(people: People) -> None:
    people.auditor.language = "en"
    people.auditor.save()
    form = login(Client(), people.auditor).get("/audit/").context["form"]
    groups = dict(form.fields["action"].choices[1:])
    assert "Users and sign-in" in groups
    accounts_choices = dict(groups["Users and sign-in"])
    assert accounts_choices["accounts.login.failed"] == "Failed login"
    assert accounts_choices["accounts."] == "All entries: Users and sign-in"
    offered = {value for choices in groups.values() for value, _label in choices}
    assert set(AUDIT_ACTIONS) <= offered


def test_action_filter_takes_a_whole_area(org: Org, people: People) -> None:
    audit_log(action="accounts.unit.updated", actor=people.system_admin, unit=org.social)
    audit_log(action="channels.channel.updated", actor=people.system_admin, unit=org.social)
    page = login(Client(), people.auditor).get("/audit/", {"action": "channels."})
    assert {entry.action for entry, *_ in page.context["rows"]} == {"channels.channel.updated"}


def test_an_action_not_offered_is_a_form_error(people: People) -> None:
    page = login(Client(), people.auditor).get("/audit/", {"action": "<script>"})
    assert page.status_code == 200
    assert page.context["form"].errors["action"]


def test_page_shows_changed_fields_by_label_and_times_in_berlin(org: Org, people: People) -> None:
    with time_machine.travel(datetime(2026, 7, 1, 10, 0, tzinfo=UTC), tick=False):
        audit_log(
            action="accounts.user.updated",
            actor=people.system_admin,
            target=people.editor,
            unit=org.press,
            before={"full_name": "Rita", "language": "de", "is_active": True},
            after={"full_name": "Rita Muster", "language": "en", "is_active": True},
        )
    people.auditor.language = "en"
    people.auditor.save()
    response = login(Client(), people.auditor).get("/audit/")
    html = response.content.decode()
    [changes] = [c for e, _l, c in response.context["rows"] if e.action == "accounts.user.updated"]
    # "is_active" did not change: not listed.
    assert {(c.label, c.before, c.after) for c in changes} == {
        ("Name", "Rita", "Rita Muster"),
        ("Language", "German", "English"),
    }
    assert '<ul class="audit-changes">' in html
    assert "12:00" in html and "CEST" in html  # 10:00 UTC is noon in Berlin in summer


def test_csv_export_opens_in_german_excel(org: Org, people: People) -> None:
    audit_log(
        action="accounts.unit.updated",
        actor=people.system_admin,
        target=org.social,
        unit=org.social,
        before={"name": "Social Media"},
        after={"name": "Social-Media-Team; Ämter"},
    )
    response = login(Client(), people.auditor).get(
        "/audit/", {"format": "csv", "action": "accounts.unit.updated"}
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbfsequence;time;actor;token;action;")
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    header, row = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
    record = dict(zip(header, row, strict=True))
    assert record["changes"].endswith("Social Media → Social-Media-Team; Ämter")
    assert record["entry_hash"] == AuditEntry.objects.get(action="accounts.unit.updated").entry_hash
    assert record["time"].endswith(("+01:00", "+02:00"))


def test_xlsx_export_has_the_entries_as_cells(org: Org, people: People) -> None:
    entry = audit_log(
        action="accounts.login.failed", actor_label="=1+1", unit=org.press, data={"n": 1}
    )
    response = login(Client(), people.auditor).get(
        "/audit/", {"format": "xlsx", "action": "accounts.login.failed"}
    )
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("sequence", "time", "actor", "token", "action")
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["sequence"] == entry.sequence
    assert record["actor"] == "'=1+1"  # a formula stays text
    assert record["entry_hash"] == entry.entry_hash
    assert len(rows) == 2


def test_csv_export_names_the_chain_link_and_the_hash_key_of_each_entry(
    org: Org, people: People
) -> None:
    entry = audit_log(action="accounts.unit.updated", unit=org.press, target=org.press)
    response = login(Client(), people.auditor).get(
        "/audit/", {"format": "csv", "action": "accounts.unit.updated"}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = csv.reader(io.StringIO(body), delimiter=";")
    record = dict(zip(header, row, strict=True))
    assert (record["previous_hash"], record["key_id"]) == (entry.previous_hash, entry.key_id)
    assert record["key_id"]
