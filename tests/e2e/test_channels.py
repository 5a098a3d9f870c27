"""A channel admin connects a sandbox channel in the browser and sees what the platform can do."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from channels_app.models import Channel
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import translated
from tests.e2e.conftest import visit
from tests.factories import totp_device_for

pytestmark = [pytest.mark.e2e]


def test_create_connect_and_test_a_sandbox_channel(
    page: Page, org: Org, people: People, live_server: Any, settings: Any
) -> None:
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    admin = people.channel_admin
    login(page, admin, totp_device_for(admin))

    submit(page, page.locator("nav.main-nav a[href='/channels/']"))
    submit(page, page.locator("main a[href='/channels/new/']"))
    page.locator("#id_unit").select_option(str(org.press.pk))
    page.locator("#id_platform").select_option("sandbox")
    page.locator("#id_name").fill("Presseamt Übungskanal")
    page.locator("#id_impressum_url").fill("https://www.musterstadt.example/impressum")
    submit(page, main_form_submit(page))
    channel = Channel.objects.get(name="Presseamt Übungskanal")
    assert path_of(page) == f"/channels/{channel.pk}/"
    expect(page.locator("table.capabilities")).to_be_visible()

    submit(page, page.locator(f"main a[href='/channels/{channel.pk}/connect/']"))
    page.locator("input[name=handle]").fill("presseamt-uebung")
    secret_field = page.locator("input[name=password]")
    expect(secret_field).to_have_attribute("type", "password")
    secret_field.fill("geheim-2026")
    submit(page, main_form_submit(page))
    expect(page.locator(".message--success")).to_have_text(translated("The channel is connected."))
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ACTIVE
    assert "geheim-2026" not in page.content()

    submit(page, page.locator(f"form[action='/channels/{channel.pk}/test/'] button"))
    expect(page.locator(".message--success")).to_contain_text("presseamt-uebung")

    # The public sandbox profile of the account exists and is labelled as a sandbox.
    visit(page, "/sandbox/@presseamt-uebung/")
    expect(page.locator("body")).to_contain_text("sandbox", ignore_case=True)
