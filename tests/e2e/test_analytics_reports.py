"""The monthly report pages in the browser: an approver reaches them from the analytics
sub-navigation, switches the Presseamt's report on with a recipient and an address, builds a
report now and sees its state, then its download once the worker's part is done; an auditor
reads the archive and settings without the buttons to change them. Every page passes the
suite's axe-core check (WCAG 2.1 AA, none serious or critical) and its CSP check."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from analytics.models import ReportRun
from analytics.models import ReportSettings
from analytics.reports.services import report_build
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit

pytestmark = [pytest.mark.e2e]


def test_approver_sets_up_and_builds_the_report(page: Page, org: Org, people: People) -> None:
    login(page, people.approver)
    visit(page, "/analytics/goals/")
    submit(page, page.locator('.sub-nav a[href="/analytics/reports/"]'))
    assert path_of(page) == "/analytics/reports/"

    submit(page, page.locator('main a[href="/analytics/reports/settings/"]'))
    submit(page, page.locator(f'a[href="/analytics/reports/settings/{org.press.pk}/"]'))
    page.locator("#id_enabled").check()
    page.locator(f'input[name="recipients"][value="{people.editor.pk}"]').check()
    page.locator("#id_extra_addresses").fill("kein-mail")
    submit(page, main_form_submit(page))
    # The error is shown at its field, the page still accessible.
    expect(page.locator("#id_extra_addresses")).to_have_attribute("aria-invalid", "true")
    page.locator("#id_extra_addresses").fill("rathaus@stadt.example")
    submit(page, main_form_submit(page))
    assert path_of(page) == "/analytics/reports/settings/"
    assert ReportSettings.objects.get(unit=org.press).enabled
    expect(page.locator("main table")).to_contain_text("rathaus@stadt.example")

    visit(page, "/analytics/reports/new/")
    page.locator("#id_unit").select_option(str(org.press.pk))
    page.locator("#id_month").fill("2026-10")
    submit(page, main_form_submit(page))
    run = ReportRun.objects.get()
    assert path_of(page) == f"/analytics/reports/{run.pk}/"
    expect(page.locator(f'main a[href="/analytics/reports/{run.pk}/"]')).to_be_visible()

    report_build(run_id=run.pk)  # the worker's part
    submit(page, page.locator(f'main a[href="/analytics/reports/{run.pk}/"]'))
    expect(page.locator(f'a[href="/analytics/reports/{run.pk}/download/"]')).to_be_visible()
    visit(page, "/analytics/reports/")
    expect(page.locator("main table")).to_contain_text("Presseamt")


def test_auditor_reads_the_archive_and_settings(page: Page, org: Org, people: People) -> None:
    ReportSettings.objects.create(unit=org.press, enabled=True).recipients.add(people.auditor)
    login(page, people.auditor)
    visit(page, "/analytics/reports/")
    expect(page.locator('a[href="/analytics/reports/new/"]')).to_have_count(0)
    visit(page, "/analytics/reports/settings/")
    expect(page.locator("main table")).to_contain_text(people.auditor.email)
    expect(page.locator('a[href^="/analytics/reports/settings/"]')).to_have_count(0)
