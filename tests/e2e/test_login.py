"""Logging in and out with a password, and the skip link."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.models import AuditEntry
from tests.conftest import People
from tests.e2e.conftest import assert_accessible
from tests.e2e.conftest import login
from tests.e2e.conftest import login_with_password
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import translated
from tests.e2e.conftest import visit
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e]


def test_wrong_password_stays_on_login_then_login_and_logout(page: Page, people: People) -> None:
    editor = people.editor

    login_with_password(page, editor, password="falsch-falsch-falsch")

    assert path_of(page).startswith("/accounts/login/")
    expect(page.get_by_role("alert")).to_have_text(
        translated("E-mail address or password is wrong.")
    )
    expect(page.locator("#id_username")).to_have_value(editor.email)
    assert AuditEntry.objects.filter(action="accounts.login.failed").count() == 1

    page.locator("#id_password").fill(TEST_PASSWORD)
    submit(page, main_form_submit(page))

    assert path_of(page) == "/"
    roles = page.locator("section[aria-labelledby=panel-roles-heading] .dashboard-items li")
    with translation.override(editor.language):
        expected = [
            f"{a.get_role_display()} · {a.unit.name}" for a in editor.role_assignments.all()
        ]
    expect(roles).to_have_text(expected)
    assert AuditEntry.objects.filter(action="accounts.login.succeeded", actor=editor).exists()

    submit(page, page.locator("header form[action='/accounts/logout/'] button[type=submit]"))

    assert path_of(page).startswith("/accounts/login/")
    assert AuditEntry.objects.filter(action="accounts.logout", actor=editor).exists()
    # The session is gone: the dashboard sends back to the login page.
    visit(page, "/")
    assert path_of(page) == "/accounts/login/?next=/"


def test_first_tab_focuses_skip_link(page: Page, people: People) -> None:
    login(page, people.editor)

    page.keyboard.press("Tab")

    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#main")
    box = skip_link.bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the focused skip link must be visible on screen"
    assert_accessible(page)  # with the skip link shown

    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
