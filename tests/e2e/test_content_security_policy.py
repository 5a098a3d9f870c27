"""The Content-Security-Policy header as the browser receives it. That no page violates it is
checked on every page the end-to-end tests open (tests/e2e/conftest.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.conftest import People
from tests.e2e.conftest import assert_no_csp_violations
from tests.e2e.conftest import check_csp_only
from tests.e2e.conftest import login
from tests.e2e.conftest import visit

pytestmark = [pytest.mark.e2e]

STRICT = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def _directives(header: str | None) -> set[str]:
    assert header, "no Content-Security-Policy header"
    return {part.strip() for part in header.split(";")}


def test_a_page_and_an_api_answer_carry_the_strict_policy(page: Page, people: People) -> None:
    response = visit(page, "/accounts/login/")
    assert _directives(response.headers.get("content-security-policy")) == STRICT

    api = page.request.get("/api/v1/users/me/")
    assert api.status in (401, 403)
    assert api.headers["content-type"].startswith("application/json")
    assert _directives(api.headers.get("content-security-policy")) == STRICT

    login(page, people.editor)
    api = page.request.get("/api/v1/users/me/")
    assert api.ok
    assert _directives(api.headers.get("content-security-policy")) == STRICT


def test_a_blocked_inline_script_is_reported(page: Page, people: People) -> None:
    """The check itself: content the policy refuses makes the page fail."""
    visit(page, "/accounts/login/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ran = true"; document.body.append(s); }"""
    )
    assert page.evaluate("() => window.ran") is None
    with pytest.raises(pytest.fail.Exception, match="script-src"):
        assert_no_csp_violations(page)


def test_the_api_documentation_works_under_its_policy(page: Page, people: People) -> None:
    login(page, people.editor)
    response = page.goto("/api/docs/")
    assert response is not None and response.ok
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Sprachrohr API")
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-summary-control").first.click()  # opens an operation
    expect(page.locator(".opblock-body").first).to_be_visible()
    check_csp_only(page)
