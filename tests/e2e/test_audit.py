"""The audit log as an auditor sees it: entries, filter, CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from accounts.models import AuditEntry
from tests.conftest import People
from tests.e2e.conftest import login, login_with_password, path_of, submit

pytestmark = [pytest.mark.e2e]

CSV_HEADER = (
    "sequence,time,actor,token,action,description,object_type,object_id,object,unit,ip,data,"
    "entry_hash"
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

    page.locator("#id_action").fill("accounts.login")
    submit(page, page.locator("form.filter-form button[type=submit]"))

    assert "action=accounts.login" in path_of(page)
    expect(page.locator("#id_action")).to_have_value("accounts.login")
    login_actions = actions.all_inner_texts()
    assert login_actions
    assert all(action.startswith("accounts.login") for action in login_actions), login_actions
    shown = [
        int(s) for s in page.locator("table.audit-table tbody td:first-child").all_inner_texts()
    ]
    assert shown == list(
        AuditEntry.objects.filter(action__startswith="accounts.login").values_list(
            "sequence", flat=True
        )
    )

    export = page.locator("main a[href$='format=csv']")
    href = export.get_attribute("href") or ""
    assert "action=accounts.login" in href
    assert href.endswith("format=csv")
    with page.expect_download() as download_info:
        export.click()
    download = download_info.value
    assert download.suggested_filename.startswith("audit-")
    assert download.suggested_filename.endswith(".csv")
    content = download.path().read_bytes()

    assert content.startswith(b"\xef\xbb\xbf" + CSV_HEADER.encode() + b"\r\n")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [int(row["sequence"]) for row in rows] == shown
    assert {row["action"] for row in rows} == {"accounts.login.succeeded", "accounts.login.failed"}
    assert path_of(page).startswith("/audit/?")  # a download, no page change
