"""The audit log as an auditor sees it: entries with what changed, the filter by readable
action names, CSV export for German Excel."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.audit import audit_log
from accounts.models import AuditEntry
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import login_with_password
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import translated
from tests.e2e.conftest import visit

pytestmark = [pytest.mark.e2e]

CSV_HEADER = (
    "sequence;time;actor;token;action;description;object_type;object_id;object;unit;ip;changes;"
    "data;previous_hash;entry_hash;key_id"
)


def test_auditor_filters_and_exports(page: Page, people: People) -> None:
    auditor = people.auditor
    # A failed and a successful login before, so there is more than one kind of login entry.
    login_with_password(page, auditor, password="nicht-das-passwort")
    login(page, auditor)

    # Auditors do not administer: "Administration" leads straight to the audit log.
    submit(page, page.locator("nav.main-nav a[href='/audit/']"))
    assert path_of(page) == "/audit/"
    actions = page.locator("table.audit-table tbody td:nth-child(4) code")
    all_actions = actions.all_inner_texts()
    assert "accounts.login.succeeded" in all_actions
    assert "accounts.login.failed" in all_actions
    assert any(not action.startswith("accounts.login") for action in all_actions), all_actions

    # The action filter offers readable names: "Failed login", not "accounts.login.failed".
    page.locator("#id_action").select_option(label=translated("Failed login"))
    submit(page, page.locator("form.filter-form button[type=submit]"))

    assert "action=accounts.login.failed" in path_of(page)
    expect(page.locator("#id_action")).to_have_value("accounts.login.failed")
    login_actions = actions.all_inner_texts()
    assert login_actions
    assert set(login_actions) == {"accounts.login.failed"}, login_actions
    shown = [
        int(s) for s in page.locator("table.audit-table tbody td:first-child").all_inner_texts()
    ]
    assert shown == list(
        AuditEntry.objects.filter(action="accounts.login.failed").values_list("sequence", flat=True)
    )

    export = page.locator("main a[href$='format=csv']")
    href = export.get_attribute("href") or ""
    assert "action=accounts.login.failed" in href
    assert href.endswith("format=csv")
    with page.expect_download() as download_info:
        export.click()
    download = download_info.value
    assert download.suggested_filename.startswith("audit-")
    assert download.suggested_filename.endswith(".csv")
    content = download.path().read_bytes()

    assert content.startswith(b"\xef\xbb\xbf" + CSV_HEADER.encode() + b"\r\n")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [int(row["sequence"]) for row in rows] == shown
    assert {row["action"] for row in rows} == {"accounts.login.failed"}
    assert path_of(page).startswith("/audit/?")  # a download, no page change


def test_an_entry_reads_as_a_list_of_changed_fields(page: Page, org: Org, people: People) -> None:
    audit_log(
        action="accounts.user.updated",
        actor=people.system_admin,
        target=people.editor,
        unit=org.press,
        before={"full_name": "Rita", "language": "de"},
        after={"full_name": "Rita Muster", "language": "de"},
    )
    login(page, people.auditor)
    visit(page, "/audit/?action=accounts.user.updated")
    changes = page.locator("table.audit-table tbody ul.audit-changes li")
    expect(changes).to_have_count(1)  # the language did not change
    expect(changes.first).to_contain_text("Rita")
    expect(changes.first).to_contain_text("Rita Muster")
    expect(page.locator("table.audit-table tbody td:nth-child(2)").first).to_contain_text(
        re.compile(r"\b(MEZ|MESZ|CET|CEST)\b")
    )
