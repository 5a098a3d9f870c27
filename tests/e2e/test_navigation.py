"""Finding one's way in the browser: from every main page the editor reaches the areas
through the main navigation and the post form through "New post" in the header."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from editorial.models import Post
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import translated
from tests.editorial.factories import PostFactory

pytestmark = [pytest.mark.e2e]

MAIN_PAGES = (
    "/editorial/planning/",
    "/editorial/posts/",
    "/editorial/media/",
    "/editorial/post-templates/",
    "/channels/",
)


def _new_post_reaches_the_form(page: Page) -> None:
    button = page.locator("header.site-header").get_by_role(
        "link", name=translated("New post"), exact=True
    )
    expect(button).to_be_visible()
    submit(page, button)
    assert path_of(page) == "/editorial/posts/new/"
    expect(page.locator("main form #id_title")).to_be_visible()
    expect(button).to_have_attribute("aria-current", "page")


def test_the_editor_finds_new_post_from_every_main_page(
    page: Page, org: Org, people: People
) -> None:
    login(page, people.editor)  # ends on the dashboard
    _new_post_reaches_the_form(page)
    for path in MAIN_PAGES:
        entry = page.locator(f"nav.main-nav a[href='{path}']")
        submit(page, entry)
        assert path_of(page) == path
        expect(entry).to_have_attribute("aria-current", "page")
        _new_post_reaches_the_form(page)


def test_the_approver_sees_the_count_of_what_waits(page: Page, org: Org, people: People) -> None:
    PostFactory(
        unit=org.press,
        author=people.editor,
        status=Post.Status.IN_REVIEW,
        channels=[org.press_channel],
    )
    login(page, people.approver)
    entry = page.locator("nav.main-nav a[href='/editorial/approvals/']")
    expect(entry.locator(".badge")).to_contain_text("1")
    expect(page.locator("header.site-header a.nav-action")).to_have_count(0)
