"""The second factor: verifying a code at login, and the setup forced on system admins."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.models import AuditEntry
from tests.conftest import People
from tests.e2e.conftest import login_with_password
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import totp_code
from tests.e2e.conftest import totp_code_from_secret
from tests.e2e.conftest import translated
from tests.e2e.conftest import visit
from tests.e2e.conftest import wrong_totp_code
from tests.factories import totp_device_for

pytestmark = [pytest.mark.e2e]


def test_login_with_confirmed_device_asks_for_code(page: Page, people: People) -> None:
    user = people.editor
    device = totp_device_for(user)

    login_with_password(page, user)
    assert path_of(page) == "/accounts/2fa/verify/?next=/"
    expect(page.locator("#id_token")).to_be_focused()

    # Other pages are closed until the second factor is given.
    visit(page, "/accounts/profile/")
    assert path_of(page).startswith("/accounts/2fa/verify/")

    page.locator("#id_token").fill(wrong_totp_code(device))
    submit(page, main_form_submit(page))
    assert path_of(page).startswith("/accounts/2fa/verify/")
    expect(page.locator("#id_token")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_token_error")).to_have_text(translated("The code is not valid."))
    assert AuditEntry.objects.filter(action="accounts.two_factor.failed", actor=user).exists()

    # django-otp refuses every code for a second after a failure: wait that out.
    page.wait_for_timeout(1100)
    page.locator("#id_token").fill(totp_code(device))
    submit(page, main_form_submit(page))

    assert path_of(page) == "/accounts/profile/"
    expect(page.locator("main h1")).to_be_visible()


def test_system_admin_without_device_must_set_one_up(page: Page, people: People) -> None:
    admin = people.system_admin
    assert not TOTPDevice.objects.filter(user=admin).exists()

    login_with_password(page, admin)
    assert path_of(page) == "/accounts/2fa/setup/"

    # The dashboard stays closed until the setup is done.
    visit(page, "/")
    assert path_of(page) == "/accounts/2fa/setup/"

    secret = page.locator("#totp-secret").inner_text()
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert secret.replace(" ", "") in device.config_url
    page.locator("#id_token").fill(totp_code_from_secret(secret))
    submit(page, main_form_submit(page))

    codes = page.locator("ul.backup-codes li")
    expect(codes).not_to_have_count(0)
    backup_codes = codes.all_inner_texts()
    assert set(backup_codes) == set(
        StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)
    )
    device.refresh_from_db()
    assert device.confirmed

    submit(page, page.locator("main a.button[href='/']"))
    assert path_of(page) == "/"
    expect(page.locator("nav.main-nav a[href='/manage/users/']")).to_be_visible()
