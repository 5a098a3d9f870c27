"""The block register in the browser (Debian's Chromium via Playwright, the e2e suite's
fixtures): from the conversation view's panel to a block, its review and an objection;
every page passes the axe-core WCAG check and the Content-Security-Policy check."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.models import User
from accounts.selectors import user_requires_two_factor
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from moderation.models import InboxItem
from moderation.models import NetiquetteRule
from tests.conftest import People
from tests.e2e import conftest as e2e
from tests.e2e.conftest import login
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit
from tests.factories import totp_device_for

pytestmark = [pytest.mark.e2e]

# The end-to-end suite's browser fixtures (its conftest applies to tests/e2e/ only).
playwright_instance = e2e.playwright_instance
browser = e2e.browser
page = e2e.page


def _login(page: Page, user: User) -> None:
    login(page, user, totp_device_for(user) if user_requires_two_factor(user) else None)


def _logout(page: Page) -> None:
    submit(page, page.locator("header form[action='/accounts/logout/'] button"))


def test_block_review_and_objection_in_the_browser(
    page: Page,
    people: People,
    item: InboxItem,
    rule: NetiquetteRule,
    second_manager: User,
) -> None:
    _login(page, people.community_manager)
    visit(page, f"/moderation/inbox/{item.pk}/")
    submit(page, page.locator(f"a[href='/moderation/blocks/new/?item={item.pk}']"))
    page.locator("#id_rule").select_option(str(rule.pk))
    page.locator("#id_justification").fill("Wiederholte Beleidigungen von Beschäftigten.")
    page.locator("#id_why_not_milder").fill("Verbergen hat nicht gereicht: er schreibt weiter so.")
    submit(page, main_form_submit(page))
    block = BlockEntry.objects.get()
    assert path_of(page) == f"/moderation/blocks/{block.pk}/"
    expect(page.locator("main")).to_contain_text("§ 1 Respekt")

    page.locator("form[action$='/review/'] textarea").fill("Weiterhin nötig.")
    submit(page, page.locator("form[action$='/review/'] button"))
    assert block.reviews.count() == 1

    visit(page, "/moderation/blocks/")
    expect(page.locator("main table")).to_contain_text("@wutbuerger")
    visit(page, "/moderation/blocks/?status=due")
    _logout(page)

    _login(page, second_manager)
    visit(page, f"/moderation/blocks/{block.pk}/")
    page.locator("form[action$='/appeals/'] textarea").fill("Bitte entsperren Sie mich.")
    submit(page, page.locator("form[action$='/appeals/'] button"))
    assert BlockAppeal.objects.get().recorded_by == second_manager
    # The recorder is not the second person: no decision form for them.
    expect(page.locator("form[action*='/decide/']")).to_have_count(0)
    _logout(page)

    _login(page, people.auditor)
    visit(page, f"/moderation/blocks/{block.pk}/")
    expect(page.locator("main form")).to_have_count(0)
