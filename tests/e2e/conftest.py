"""End-to-end tests: Debian's Chromium, driven by Playwright, against pytest-django's live
server, with an axe-core accessibility check and a Content-Security-Policy check of every
page a test visits.

Every page load is recorded. ``assert_accessible`` checks the current page; it fails if more
than one page was loaded since the previous check (a page went by unchecked), and when a test
ends its last page is checked if the test did not do so itself. ``visit`` and ``submit`` are
the navigations the tests use: they check the page they arrive at.

CSP: every document records the ``securitypolicyviolation`` events it sees (an init script,
which the page's policy does not apply to), and the browser's console reports of blocked
content are collected for the whole test. ``assert_no_csp_violations`` (part of
``assert_accessible``) fails on any of them. axe-core is injected the same way, as an init
script, because an inline ``<script>`` would be refused by the policy under test.
"""

from __future__ import annotations

import base64
import io
import os
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Playwright's sync API runs an event loop in the test thread; without this, Django refuses
# ORM calls from the test ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import Browser
from playwright.sync_api import ConsoleMessage
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator
from playwright.sync_api import Page
from playwright.sync_api import Playwright
from playwright.sync_api import Response
from playwright.sync_api import sync_playwright

from accounts.models import User
from config.celery import app as celery_app
from tests.factories import TEST_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 10_000
# The user guide's pictures (docs/guide/img), written by the browser tests that walk a path.
GUIDE_IMAGES = Path(django_settings.BASE_DIR) / "docs" / "guide" / "img"
VIEWPORT = {"width": 1280, "height": 800}


# --- Accessibility ---------------------------------------------------------------------------


@dataclass
class _PageLog:
    """The URLs of the documents a page loaded, and how many of them were checked."""

    loads: list[str] = field(default_factory=list)
    checked: int = 0
    # The browser's console reports of content the policy blocked, not yet reported.
    csp_console: list[str] = field(default_factory=list)
    # The responses of the current document's load (reset by each main-frame document), and
    # each URL's body size as last read: a revalidated (304) file counts at its size.
    responses: list[Response] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)


_logs: dict[Page, _PageLog] = {}

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
  }));
}"""


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"Accessibility violations on {url}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:300]}")
            for summary_line in (node["summary"] or "").splitlines():
                lines.append(f"      {summary_line}")
    return "\n".join(lines)


# --- Content-Security-Policy -----------------------------------------------------------------

_RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
}, true);
"""

# The events are dispatched as tasks: let them run before reading (and emptying: each
# violation is reported once) the list.
_READ_CSP_VIOLATIONS = """() => new Promise((resolve) => setTimeout(
  () => resolve((window.__cspViolations || []).splice(0)), 0))"""


def _is_csp_report(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


def assert_no_csp_violations(page: Page) -> None:
    """Fail if the current document reported a CSP violation, or the console reported one
    (on any page of this test) since the previous check."""
    violations: list[dict[str, Any]] = page.evaluate(_READ_CSP_VIOLATIONS)
    log = _logs.get(page)
    console = log.csp_console[:] if log is not None else []
    if log is not None:
        log.csp_console.clear()
    if violations or console:
        lines = [f"Content-Security-Policy violations on {page.url}:"]
        for v in violations:
            lines.append(
                f"- {v['directive']}: blocked {v['blocked'] or '?'} "
                f"at {v['source'] or '?'}:{v['line']} {v['sample'] or ''}".rstrip()
            )
        lines.extend(f"- console: {text}" for text in console)
        pytest.fail("\n".join(lines), pytrace=False)


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the current page; fail on serious or
    critical violations. Lesser ones are printed (shown with ``-s`` or on failure)."""
    page.wait_for_load_state("load")
    log = _logs.get(page)
    if log is not None:
        unchecked = log.loads[log.checked : -1]
        if unchecked:
            log.checked = len(log.loads)  # reported once, here
            pytest.fail(f"Pages were loaded without an accessibility check: {unchecked}")
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, AXE_TAGS)
    if log is not None:
        log.checked = len(log.loads)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if violations and not blocking:
        print(_format_violations(page.url, violations))
    if blocking:
        pytest.fail(_format_violations(page.url, blocking), pytrace=False)
    assert_no_csp_violations(page)


def check_csp_only(page: Page) -> None:
    """Check the current page for CSP violations but not its accessibility: for the one page
    that is a third party's (drf-spectacular's Swagger UI at /api/docs/, whose markup is not
    ours to fix)."""
    page.wait_for_load_state("load")
    assert_no_csp_violations(page)
    log = _logs.get(page)
    if log is not None:
        log.checked = len(log.loads)


# --- Page weight -----------------------------------------------------------------------------

PAGE_WEIGHT_LIMIT = 200 * 1024  # bytes: issue 13, for offices on slow or metered connections


_TIMED_BODY_SIZE = """(url) => {
  const entry = performance.getEntriesByName(url).pop();
  return entry ? entry.decodedBodySize : 0;
}"""


def page_weight(page: Page) -> dict[str, int]:
    """Each URL the current document's load fetched (document, CSS, JS, images, fonts) with
    its body size in bytes, uncompressed. Call it before leaving the page: a body can only be
    read while its page is shown. Redirects have no body of their own and are left out."""
    log = _logs[page]
    page.wait_for_load_state("load")
    weights: dict[str, int] = {}
    for response in log.responses:
        if 300 <= response.status < 400 and response.status != 304:
            continue
        url = response.url
        try:
            size = len(response.body())
        except PlaywrightError:
            # A revalidated (304) file has no body of its own: its size as read before, or
            # as the browser's resource timing knows it, or as declared.
            size = (
                log.sizes.get(url)
                or page.evaluate(_TIMED_BODY_SIZE, url)
                or int(response.headers.get("content-length") or 0)
            )
        if size:
            log.sizes[url] = size
        weights[url] = size
    return weights


def assert_page_weight(page: Page, limit: int = PAGE_WEIGHT_LIMIT) -> int:
    """Fail if the current page's load fetched more than ``limit`` bytes; return its weight."""
    weights = page_weight(page)
    total = sum(weights.values())
    if total >= limit:
        heaviest = sorted(weights.items(), key=lambda item: -item[1])[:10]
        listing = "\n".join(f"  {size:>9} {url}" for url, size in heaviest)
        pytest.fail(f"{page.url} weighs {total} bytes (limit {limit}):\n{listing}", pytrace=False)
    return total


# --- Browser ---------------------------------------------------------------------------------


# Browser tests outside tests/e2e (tests/moderation/*/test_browser.py) re-bind these fixtures
# in their modules, which makes a second session fixture of the same name; Playwright's sync
# API runs once per process, so the second one shares the instance the first started.
_running: list[Playwright] = []


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if _running:
        yield _running[0]
        return
    with sync_playwright() as playwright:
        _running.append(playwright)
        try:
            yield playwright
        finally:
            _running.clear()


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The end-to-end tests need Chromium at {CHROMIUM} (Debian: apt-get install "
            "chromium). Playwright's downloaded browsers are not used.",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def german_browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Chromium in German, as the press offices run it: date and time inputs read
    TT.MM.JJJJ and 24 hours (the language of the browser, not of the page, decides; Debian
    needs the package chromium-l10n for it, else they stay American). For the walks whose
    screenshots go into the guide: a module binds it as its ``browser``."""
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        env={**os.environ, "LANGUAGE": "de", "LANG": "de_DE.UTF-8"},
    )
    yield browser
    browser.close()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, pointed at the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        timezone_id="Europe/Berlin",
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    # Init scripts run in every document before its own scripts, and no CSP applies to them.
    context.add_init_script(_RECORD_CSP_VIOLATIONS)
    context.add_init_script(path=AXE_JS)
    page = context.new_page()
    log = _logs[page] = _PageLog()
    page.on("load", lambda loaded: log.loads.append(loaded.url))

    def on_console(message: ConsoleMessage) -> None:
        if _is_csp_report(message.text):
            log.csp_console.append(f"{message.text} ({message.location})")

    page.on("console", on_console)

    def on_response(response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            log.responses.clear()
        log.responses.append(response)

    page.on("response", on_response)
    try:
        yield page
        # The last page, if the test did not check it itself (and did not fail before), and
        # any violation since the last check (scripts run on after a page was checked).
        if not request.node.stash.get(_CALL_FAILED, False):
            if log.loads[log.checked :]:
                assert_accessible(page)
            else:
                assert_no_csp_violations(page)
    finally:
        _logs.pop(page, None)
        context.close()


# --- Navigation and login --------------------------------------------------------------------


def visit(page: Page, path: str) -> Response:
    """Open a page, expect a successful response and check its accessibility."""
    response = page.goto(path)
    assert response is not None
    assert response.ok, f"{path} answered {response.status}"
    assert_accessible(page)
    return response


def submit(page: Page, button: Locator) -> None:
    """Click a button or link that loads a new page, and check that page."""
    with page.expect_navigation():
        button.click()
    assert_accessible(page)


def path_of(page: Page) -> str:
    """The current URL without scheme and host, e.g. ``/accounts/2fa/verify/?next=/``."""
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def totp_code(device: TOTPDevice, offset: int = 0) -> str:
    """The device's current code (``offset`` steps away from now)."""
    device.refresh_from_db()
    code = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + offset,
    )
    return f"{code:0{device.digits}d}"


def totp_code_from_secret(secret: str) -> str:
    """The current code for a base32 key as shown for manual entry (groups of four)."""
    key = secret.replace(" ", "").upper()
    return f"{totp(base64.b32decode(key + '=' * (-len(key) % 8))):06d}"


def wrong_totp_code(device: TOTPDevice) -> str:
    """A six-digit code that is valid in none of the steps the device accepts now."""
    valid = {totp_code(device, offset) for offset in range(-2, 3)}
    return next(code for n in range(1000) if (code := f"{n:06d}") not in valid)


def main_form_submit(page: Page) -> Locator:
    return page.locator("main form[method=post] button[type=submit]")


def login_with_password(page: Page, user: User, password: str = TEST_PASSWORD) -> None:
    visit(page, "/accounts/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(password)
    submit(page, main_form_submit(page))


def login(page: Page, user: User, device: TOTPDevice | None = None) -> None:
    """Log in with password and, if given, the device's current code; end on the dashboard."""
    login_with_password(page, user)
    if device is not None:
        assert path_of(page).startswith("/accounts/2fa/verify/")
        page.locator("#id_token").fill(totp_code(device))
        submit(page, main_form_submit(page))
    assert path_of(page) == "/"


def translated(text: str, language: str = "de") -> str:
    """``text`` as the server shows it to a user with ``language``: German if the catalogue
    is compiled, else the English source."""
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture
def worker() -> Iterator[None]:
    """A real Celery worker (threads) for the queues replies, moderation actions, practice
    reviews, publishing and ingestion go to."""
    with start_worker(
        celery_app,
        pool="threads",
        concurrency=1,
        perform_ping_check=False,
        queues=["default", "publishing", "ingest"],
    ):
        yield


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Until ``condition`` holds (what a worker does in the background), at most 20 s."""
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


# --- Screenshots for the guide ---------------------------------------------------------------


def screenshot(page: Page, filename: str, folder: Path, *, show: Locator | None = None) -> None:
    """What the person sees now, as ``folder/filename``; with ``SPRACHROHR_GUIDE_SHOTS=1``
    also, reduced to a small palette, in ``docs/guide/img/``, where the guide shows it. So
    the guide's pictures are made by the tests and stay current:

        SPRACHROHR_GUIDE_SHOTS=1 python -m pytest tests/e2e/test_daily_paths.py -p no:xdist
    """
    if show is not None:
        # The part the step is about at the top of the window, not wherever it fell.
        show.first.evaluate("e => { e.scrollIntoView({block: 'start'}); scrollBy(0, -24); }")
    else:
        page.evaluate("window.scrollTo(0, 0)")
    # No focus ring or selected digits from the last field typed in.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    png = page.screenshot()
    (folder / filename).write_bytes(png)
    if os.environ.get("SPRACHROHR_GUIDE_SHOTS") == "1":
        GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
        _save_small(png, GUIDE_IMAGES / filename)


def _save_small(png: bytes, path: Path) -> None:
    """A palette PNG: the interface has few colours, and the guide lives in the repository."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=96, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
