"""A channel admin switches Facebook Insights off for a channel in the browser (axe-checked
pages), and the channel's figures are then read without them."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from analytics.metrics.selectors import insights_enabled
from channels_app.models import Channel
from channels_app.models import Platform
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit
from tests.factories import totp_device_for

pytestmark = [pytest.mark.e2e]


def test_a_channel_admin_switches_insights_off(page: Page, org: Org, people: People) -> None:
    Channel.objects.filter(pk=org.press_channel.pk).update(platform=Platform.FACEBOOK)
    channel = Channel.objects.get(pk=org.press_channel.pk)
    admin = people.channel_admin
    login(page, admin, totp_device_for(admin))

    visit(page, f"/channels/{channel.pk}/")
    submit(page, page.locator(f"main a[href='/analytics/metrics/channels/{channel.pk}/insights/']"))
    box = page.locator("#id_insights_enabled")
    expect(box).to_be_checked()
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=f"{os.environ['SCREENSHOT_DIR']}/insights.png", full_page=True)
    box.uncheck()
    submit(page, main_form_submit(page))
    assert path_of(page) == f"/channels/{channel.pk}/"
    expect(page.locator(".message--success")).to_be_visible()
    assert not insights_enabled(channel)
