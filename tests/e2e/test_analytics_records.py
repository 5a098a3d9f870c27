"""The records export pages in the browser: an approver reaches them from the analytics
sub-navigation, requests an export of a channel for a period through the form (ISO date
inputs), follows its state in the list and downloads the ZIP once it is built. Every page
passes the suite's axe-core check (WCAG 2.1 AA, none serious or critical) and its
Content-Security-Policy check."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from analytics.models import RecordsExport
from analytics.records.services import records_export_build
from tests.analytics.records.conftest import PERIOD
from tests.analytics.records.conftest import build_record
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import translated
from tests.e2e.conftest import visit

pytestmark = [pytest.mark.e2e]


def test_approver_requests_and_downloads_a_records_export(
    page: Page, org: Org, people: People, tmp_path: Path
) -> None:
    record = build_record(org, people)
    login(page, people.approver)
    visit(page, "/analytics/goals/")
    submit(page, page.locator('.sub-nav a[href="/analytics/records/"]'))
    expect(page.locator("main table")).to_contain_text(translated("No records exports yet."))

    submit(page, page.locator('a[href="/analytics/records/new/"]'))
    page.locator("#id_unit").select_option(str(org.press.pk))
    page.locator("#id_channel").select_option(str(org.press_channel.pk))
    page.locator("#id_period_start").fill(PERIOD[0].isoformat())
    page.locator("#id_period_end").fill(PERIOD[1].isoformat())
    submit(page, main_form_submit(page))
    assert path_of(page) == "/analytics/records/"
    export = RecordsExport.objects.get()
    assert (export.channel_id, export.period_start) == (org.press_channel.pk, PERIOD[0])
    expect(page.locator('main a[href$="/download/"]')).to_have_count(0)

    # The worker's part, here in the test process (the worker test runs a real one).
    assert records_export_build(export_id=export.pk)
    visit(page, "/analytics/records/")
    link = page.locator(f'a[href="/analytics/records/{export.pk}/download/"]')
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    path = download_info.value.path()
    with zipfile.ZipFile(path) as archive:
        assert f"posts/{record.post.pk}.pdf" in archive.namelist()
        archive.extractall(tmp_path)

    # The ZIP's index as the e-file system's reader opens it: from disk, equally accessible,
    # and nothing is requested from anywhere (every response is a file of the export).
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    visit(page, (tmp_path / "index.html").as_uri())
    expect(page.locator("h1")).to_contain_text(str(export.pk))
    assert all(url.startswith("file://") for url in requested), requested
    # Every link of the index leads to a file of the export (the browser's own image viewer
    # is not ours to check with axe).
    for href in page.locator("main a").evaluate_all(
        "links => links.map(l => l.getAttribute('href'))"
    ):
        assert href.startswith("https://") or (tmp_path / href).is_file(), href
    assert f"media/{record.asset.pk}/Br_cke_gesperrt.png" in page.content()


def test_a_form_with_an_error_is_shown_again_accessibly(
    page: Page, org: Org, people: People
) -> None:
    login(page, people.auditor)
    visit(page, "/analytics/records/new/")
    page.locator("#id_unit").select_option(str(org.press.pk))
    page.locator("#id_period_start").fill("2026-03-31")
    page.locator("#id_period_end").fill("2026-03-01")
    submit(page, main_form_submit(page))
    expect(page.locator("#id_period_end")).to_have_attribute("aria-invalid", "true")
