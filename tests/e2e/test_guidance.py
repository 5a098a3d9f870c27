"""A new editor's first steps: the onboarding checklist on the dashboard, the checklist page,
the "?" help opening the guide section of the page; an auditor exports the training record.
Every page is checked with axe (0 serious/critical) and for CSP violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.audit import audit_log
from accounts.models import AuditEntry
from accounts.models import Role
from tests.accounts.guidance.conftest import practice_space
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import translated
from tests.e2e.conftest import visit

pytestmark = [pytest.mark.e2e]


def test_a_new_editor_sees_the_checklist_and_opens_the_help(page: Page, people: People) -> None:
    editor = people.editor
    unit = practice_space(editor, Role.EDITOR)
    audit_log(action="editorial.post.created", actor=editor, unit=unit)
    login(page, editor)

    panel = page.locator("[data-panel='checklist']")
    expect(panel).to_be_visible()
    expect(panel.locator(".checklist-progress")).to_have_attribute("data-done", "1")
    expect(panel.locator(".checklist-progress")).to_have_attribute("data-total", "3")
    expect(panel.locator("[data-item='editor.first_draft']")).to_have_attribute("data-done", "true")

    submit(page, panel.locator("a[href='/guide/checklist/']"))
    assert path_of(page) == "/guide/checklist/"
    expect(page.locator("main [data-item='editor.submit_for_review']")).to_have_attribute(
        "data-done", "false"
    )

    # The "?" in the header: a visible question mark with an accessible name.
    help_link = page.locator("header a.help-link")
    expect(help_link).to_have_text("?" + translated("Help for this page"), use_inner_text=False)
    submit(page, help_link)
    assert path_of(page) == "/guide/editor/"
    expect(page.locator("article.guide h1")).to_be_visible()
    expect(page.locator("article.guide img").first).to_be_visible()

    # From a post list, the "?" opens the section of that page.
    visit(page, "/editorial/posts/")
    href = page.locator("header a.help-link").get_attribute("href") or ""
    assert href.startswith("/guide/editor/#")
    submit(page, page.locator("header a.help-link"))
    anchor = href.split("#", 1)[1]
    expect(page.locator(f"[id='{anchor}']")).to_be_visible()


def test_an_auditor_exports_the_training_record(page: Page, people: People) -> None:
    login(page, people.auditor)
    visit(page, "/guide/training/")
    expect(page.locator(f"tr[data-person='{people.editor.pk}']")).to_be_visible()
    with page.expect_download() as download:
        page.locator("main a[href$='format=csv']").click()
    assert download.value.suggested_filename.startswith("training-record-")
    assert AuditEntry.objects.filter(action="accounts.training.exported").exists()
