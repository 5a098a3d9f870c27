"""The dashboard in the browser: an approver reaches it from the "Analytics" navigation,
sees the goals first, the tiles, each chart with its table and summary, filters by unit and
a custom period with ISO dates, and downloads a table; an auditor reads it. Every page
passes the axe-core check (WCAG 2.1 AA, none serious or critical), the Content-Security-
Policy check, and weighs under 200 KB."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page
from playwright.sync_api import expect

from analytics.models import ChannelAnalyticsSettings
from channels_app.models import Platform
from tests.analytics.dashboard.conftest import figure
from tests.analytics.dashboard.conftest import published
from tests.analytics.goals.conftest import make_goal
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import assert_page_weight
from tests.e2e.conftest import login
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit
from tests.factories import ChannelFactory

pytestmark = [pytest.mark.e2e]


def _figures(org: Org) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    for back in range(30):
        figure(org.press_channel, yesterday - timedelta(days=back), followers=2000 - back * 5)
    at = timezone.now() - timedelta(days=3)
    published(
        [org.press_channel],
        at,
        title="Hitzewarnung",
        readings={org.press_channel.pk: {"likes": 40, "shares": 5}},
    )
    facebook = ChannelFactory(unit=org.press, platform=Platform.FACEBOOK, name="Stadt Facebook")
    ChannelAnalyticsSettings.objects.create(channel=facebook, insights_enabled=False)


def test_approver_walks_the_dashboard(page: Page, org: Org, people: People) -> None:
    _figures(org)
    today = timezone.localdate()
    make_goal(
        org.press,
        title="Mehr Menschen erreichen",
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=60),
    )
    login(page, people.approver)
    submit(page, page.locator('.main-nav a[href="/analytics/"]'))
    assert path_of(page) == "/analytics/"
    assert_page_weight(page)
    main = page.locator("main")
    expect(main).to_contain_text("Mehr Menschen erreichen")
    expect(main).to_contain_text("Stadt Facebook")  # Insights switched off: said so
    expect(main.locator("svg.chart[role=img]").first).to_be_visible()
    expect(main).to_contain_text("Hitzewarnung")

    # A unit and a custom period, typed as ISO dates.
    page.locator("#id_preset").select_option("custom")
    page.locator("#id_start").fill((today - timedelta(days=10)).isoformat())
    page.locator("#id_end").fill((today - timedelta(days=1)).isoformat())
    page.locator("#id_unit").select_option(str(org.press.pk))
    submit(page, page.locator("main form.filter-form button[type=submit]"))
    assert "preset=custom" in path_of(page)
    assert_page_weight(page)
    expect(main).to_contain_text("Hitzewarnung")

    # The goals are one step away.
    submit(page, page.locator('.sub-nav a[href="/analytics/goals/"]'))
    assert path_of(page) == "/analytics/goals/"

    visit(page, "/analytics/")
    with page.expect_download() as download:
        page.locator('a[href$="export=top_posts&format=csv"]').click()
    assert download.value.suggested_filename.startswith("top_posts-")


def test_auditor_reads_the_dashboard(page: Page, org: Org, people: People) -> None:
    _figures(org)
    login(page, people.auditor)
    visit(page, f"/analytics/?preset=last_90&unit={org.press.pk}")
    assert_page_weight(page)
    expect(page.locator("main table").first).to_be_visible()
