"""The own account: profile page, a personal API token, notifications."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.models import ApiToken
from accounts.models import Notification
from accounts.services import api_token_digest
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit

pytestmark = [pytest.mark.e2e]


def test_api_token_is_shown_once_and_notified(page: Page, people: People) -> None:
    editor = people.editor
    login(page, editor)

    submit(page, page.locator(".user-menu a[href='/accounts/profile/']"))
    assert path_of(page) == "/accounts/profile/"
    expect(page.locator("main")).to_contain_text(editor.email)

    token_form = page.locator("main form[action='/accounts/tokens/']")
    token_form.locator("#id_name").fill("Intranet-Dashboard")
    submit(page, token_form.locator("button[type=submit]"))

    key = page.locator("#api-token-key").input_value()
    assert key.startswith("spr_")
    token = ApiToken.objects.get(user=editor, name="Intranet-Dashboard")
    assert key.startswith(token.prefix)
    assert token.key_digest == api_token_digest(key)  # only a fingerprint is stored
    response = Client().get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["email"] == editor.email

    submit(page, page.locator("main a.button[href='/accounts/profile/']"))
    token_row = page.locator("section[aria-labelledby=tokens-heading] tbody tr")
    expect(token_row).to_have_count(1)
    expect(token_row.locator("td").first).to_have_text("Intranet-Dashboard")
    expect(token_row.locator("code")).to_have_text(f"{token.prefix}…")
    assert key not in page.content()  # shown once, never again

    # The new token is announced as an unread notification.
    notifications_link = page.locator("header a.notifications-link")
    expect(notifications_link.locator(".badge")).to_contain_text("1")
    submit(page, notifications_link)
    assert path_of(page) == "/accounts/notifications/"
    expect(page.locator("main .notification-list li.unread")).to_have_count(1)
    expect(page.locator("main .notification-title")).to_contain_text("Intranet-Dashboard")

    submit(page, page.locator("main form button[type=submit]"))
    assert path_of(page) == "/accounts/notifications/"
    expect(page.locator("main .notification-list li.unread")).to_have_count(0)
    expect(notifications_link.locator(".badge")).to_have_count(0)
    assert not Notification.objects.filter(recipient=editor, read_at__isnull=True).exists()


def test_profile_and_notifications_pages_when_empty(page: Page, people: People) -> None:
    login(page, people.approver)
    visit(page, "/accounts/notifications/")
    expect(page.locator("main .notification-list")).to_have_count(0)
    visit(page, "/accounts/profile/")
    # Sent without a name: the error is shown at the field.
    submit(page, page.locator("main form[action='/accounts/tokens/'] button[type=submit]"))
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    assert not ApiToken.objects.exists()
