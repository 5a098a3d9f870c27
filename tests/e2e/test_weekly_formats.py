"""An editor sets up a standing weekly format in the browser: the list, the form (weekday, ISO
time), the format planned in the calendar, pause and resume. Every page is checked with axe
(0 serious/critical) and for CSP violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from editorial.models import WeeklyFormat
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import translated
from tests.e2e.conftest import visit

pytestmark = [pytest.mark.e2e]


def test_an_editor_creates_pauses_and_resumes_a_weekly_format(
    page: Page, org: Org, people: People
) -> None:
    login(page, people.editor)
    visit(page, "/editorial/weekly-formats/")
    submit(page, page.locator("main a[href='/editorial/weekly-formats/new/']"))
    page.locator("#id_unit").select_option(str(org.press.pk))
    page.locator("#id_title").fill("Service-Tipp")
    page.locator("#id_weekday").select_option("2")
    page.locator("#id_time").fill("11:00")
    submit(page, main_form_submit(page))
    assert path_of(page) == "/editorial/weekly-formats/"
    weekly_format = WeeklyFormat.objects.get(title="Service-Tipp")
    row = page.locator(f"tr[data-weekly-format='{weekly_format.pk}']")
    expect(row).to_contain_text(translated("Wednesday"))
    expect(row).to_contain_text("11:00")

    slot = weekly_format.slots.order_by("day").first()
    assert slot is not None
    visit(page, f"/editorial/planning/?view=week&date={slot.day.isoformat()}")
    expect(page.locator("main")).to_contain_text("Service-Tipp")

    visit(page, "/editorial/weekly-formats/")
    submit(page, row.get_by_role("button"))
    expect(row).to_contain_text(translated("Paused"))
    assert not weekly_format.slots.exists()
    submit(page, row.get_by_role("button"))
    expect(row).to_contain_text(translated("Running"))
    assert weekly_format.slots.exists()
