"""The goals pages in the browser: an approver sets a target group, a goal with a KPI target
and a channel's strategy through the forms, reached from the "Analytics" navigation entry;
an auditor reads them. Every page passes the suite's axe-core check (WCAG 2.1 AA, none
serious or critical) and its Content-Security-Policy check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from analytics.models import ChannelDailyFigure
from analytics.models import ChannelStrategy
from analytics.models import Goal
from analytics.models import TargetGroup
from tests.analytics.goals.conftest import make_goal
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit

pytestmark = [pytest.mark.e2e]


def test_approver_sets_goals_and_strategy(page: Page, org: Org, people: People) -> None:
    login(page, people.approver)
    # The navigation lands on the dashboard; the goals are in its sub-navigation.
    submit(page, page.locator('.main-nav a[href="/analytics/"]'))
    submit(page, page.locator('.sub-nav a[href="/analytics/goals/"]'))
    assert path_of(page) == "/analytics/goals/"

    # A target group first, so the goal can name it.
    submit(page, page.locator('.sub-nav a[href="/analytics/goals/target-groups/"]'))
    submit(page, page.locator('a[href="/analytics/goals/target-groups/new/"]'))
    page.locator("#id_unit").select_option(str(org.press.pk))
    page.locator("#id_name").fill("Junge Erwachsene")
    submit(page, main_form_submit(page))
    group = TargetGroup.objects.get()
    expect(page.locator("main table")).to_contain_text("Junge Erwachsene")

    visit(page, "/analytics/goals/new/")
    page.locator("#id_unit").select_option(str(org.press.pk))
    page.locator("#id_title").fill("Jüngere Menschen erreichen")
    page.locator(f'input[name="target_groups"][value="{group.pk}"]').check()
    page.locator("#id_period_start").fill("2026-01-01")
    page.locator("#id_period_end").fill("2026-12-31")
    page.locator("#id_metric").select_option("followers_growth")
    page.locator("#id_target_value").fill("20")
    submit(page, main_form_submit(page))
    goal = Goal.objects.get()
    assert path_of(page) == f"/analytics/goals/{goal.pk}/"
    assert goal.target_value == Decimal(20)
    expect(page.locator("h1")).to_have_text("Jüngere Menschen erreichen")

    # A form with an error is shown again, accessible, with the error at its field.
    visit(page, f"/analytics/goals/{goal.pk}/edit/")
    page.locator("#id_target_value").fill("")
    submit(page, main_form_submit(page))
    expect(page.locator("#id_target_value")).to_have_attribute("aria-invalid", "true")

    submit(page, page.locator('.sub-nav a[href="/analytics/goals/channels/"]'))
    submit(page, page.locator(f'a[href="/analytics/goals/channels/{org.press_channel.pk}/"]'))
    page.locator("#id_purpose").fill("Schnelle Meldungen aus dem Rathaus")
    page.locator(f'input[name="target_groups"][value="{group.pk}"]').check()
    submit(page, main_form_submit(page))
    assert ChannelStrategy.objects.get().purpose == "Schnelle Meldungen aus dem Rathaus"
    expect(page.locator("main table")).to_contain_text("Schnelle Meldungen aus dem Rathaus")


def test_auditor_reads_progress(page: Page, org: Org, people: People) -> None:
    goal = make_goal(org.press, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    ChannelDailyFigure.objects.create(
        channel=org.press_channel, day=date(2026, 1, 1), followers=1000
    )
    ChannelDailyFigure.objects.create(
        channel=org.press_channel, day=date(2026, 2, 1), followers=1250
    )
    login(page, people.auditor)
    visit(page, "/analytics/goals/")
    submit(page, page.locator(f'a[href="/analytics/goals/{goal.pk}/"]'))
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator('a[href$="/edit/"]')).to_have_count(0)
    visit(page, "/analytics/goals/target-groups/")
    visit(page, "/analytics/goals/channels/")
