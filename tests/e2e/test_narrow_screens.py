"""The pages with wide tables on a phone (390 px): the page itself never scrolls sideways.
A table with many columns scrolls inside its own region (``.table-scroll``, static/css/app.css),
which a keyboard can reach and scroll; long German words in headings break."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from accounts.models import User
from accounts.selectors import user_requires_two_factor
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import visit
from tests.e2e.test_moderation_pages import Area
from tests.e2e.test_moderation_pages import area  # noqa: F401 (fixture: one of everything)
from tests.factories import totp_device_for

pytestmark = [pytest.mark.e2e]

PHONE = {"width": 390, "height": 844}


def _login_on_a_phone(page: Page, user: User) -> None:
    page.set_viewport_size(PHONE)
    login(page, user, totp_device_for(user) if user_requires_two_factor(user) else None)


def _page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _fits_the_phone(page: Page, path: str) -> None:
    visit(page, path)
    assert _page_width(page) <= PHONE["width"], path
    for region in page.locator("main .table-scroll, main .cal-scroll").all():
        assert region.get_attribute("tabindex") == "0", path
        assert region.get_attribute("role") == "region", path
        assert region.get_attribute("aria-label") or region.get_attribute("aria-labelledby")


def test_the_audit_log_scrolls_its_table_not_the_page(page: Page, people: People) -> None:
    _login_on_a_phone(page, people.auditor)
    _fits_the_phone(page, "/audit/")
    region = page.locator("main .table-scroll")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # the table is wider
    # And a keyboard scrolls it (the browser may scroll smoothly: wait for it).
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle(), timeout=5000)


def test_the_moderation_decisions_fit_a_phone(
    page: Page,
    org: Org,
    people: People,
    area: Area,  # noqa: F811 (the fixture imported above)
) -> None:
    _login_on_a_phone(page, people.community_manager)
    for path in (
        "/moderation/actions/",
        f"/moderation/actions/items/{area.item.pk}/",
        "/moderation/evidence/",
        f"/moderation/evidence/{area.evidence.pk}/",
        "/moderation/blocks/",
        "/moderation/privacy/requests/",
        f"/moderation/privacy/units/{org.press.pk}/",
    ):
        _fits_the_phone(page, path)


def test_the_system_admins_tables_fit_a_phone(
    page: Page,
    org: Org,
    people: People,
    area: Area,  # noqa: F811 (the fixture imported above)
) -> None:
    _login_on_a_phone(page, people.system_admin)
    for path in (
        "/editorial/publishing/",
        "/moderation/service-levels/",
        "/moderation/service-levels/report/",
        "/moderation/privacy/",
        "/audit/",
    ):
        _fits_the_phone(page, path)


def test_the_editors_tables_fit_a_phone(page: Page, people: People) -> None:
    _login_on_a_phone(page, people.editor)
    for path in (
        "/editorial/post-templates/",
        "/editorial/posts/",
        "/editorial/planning/",
        "/editorial/planning/?view=week",
        "/editorial/planning/?view=list",
    ):
        _fits_the_phone(page, path)
