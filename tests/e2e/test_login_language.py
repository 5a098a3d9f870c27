"""The language picked on the login page is the language after the login."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit

pytestmark = [pytest.mark.e2e]


def test_english_chosen_at_login_stays_after_login(page: Page, people: People) -> None:
    visit(page, "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.locator("#language-switch").select_option("en")
    submit(page, page.locator("form.user-menu button[type=submit]"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    login(page, people.editor)  # fills the form of the (English) login page
    assert path_of(page) == "/"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    visit(page, "/accounts/notifications/")
    expect(page.locator("h1")).to_have_text("Notifications")
