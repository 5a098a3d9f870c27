"""Issue 13: each role's working day in the browser, through the navigation as a person clicks
it (only the login page is opened by address), in German, with a screenshot at each step.

Every page on the way passes the suite's accessibility and CSP checks (``submit``) and weighs
less than 200 KB with everything its load fetched (``assert_page_weight``). The screenshots go
to the test's temporary folder; with ``SPRACHROHR_GUIDE_SHOTS=1`` also, reduced to a small
palette, to ``docs/guide/img/``, where the user guide (``docs/guide/``) shows them:

    SPRACHROHR_GUIDE_SHOTS=1 python -m pytest tests/e2e/test_daily_paths.py -p no:xdist

The killed worker and its banner are ``test_service_banner.py``'s; finding "New post" from
every main page is ``test_navigation.py``'s."""

from __future__ import annotations

import io
import re
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from PIL import ImageDraw
from playwright.sync_api import Browser
from playwright.sync_api import Locator
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.models import Role
from accounts.models import User
from accounts.selectors import SERVICE_QUEUES
from accounts.selectors import user_has_role
from accounts.services import worker_heartbeat_record
from channels_app.models import Channel
from editorial.common.timeutil import BERLIN
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.service_levels.services import items_set_deadlines
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import VIEWPORT
from tests.e2e.conftest import assert_page_weight
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import screenshot
from tests.e2e.conftest import submit
from tests.e2e.conftest import totp_code
from tests.e2e.conftest import translated
from tests.e2e.conftest import visit
from tests.editorial.factories import MediaAssetFactory
from tests.editorial.factories import sandbox_connected
from tests.factories import TEST_PASSWORD
from tests.factories import totp_device_for
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory

pytestmark = [pytest.mark.e2e]

ALT_TEXT = "Das Rathaus von Musterstadt unter blauem Himmel"
TEXT = (
    "Das Bürgerbüro hat ab Montag donnerstags bis 19 Uhr geöffnet. #Bürgerbüro "
    "https://www.musterstadt.de/buergerbuero"
)


# --- Screenshots -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(german_browser: Browser) -> Browser:
    return german_browser


class Day:
    """One role's walk through the application: ``step`` checks the page's weight and takes
    the numbered screenshot of what the person sees at that moment."""

    def __init__(self, page: Page, role: str, tmp_path: Path) -> None:
        self.page = page
        self.role = role
        self.tmp_path = tmp_path
        self.number = 0
        page.set_viewport_size(VIEWPORT)

    def go(self, link_or_button: Locator) -> None:
        """Click, check the page it leads to (accessibility, CSP) and weigh it."""
        submit(self.page, link_or_button)
        assert_page_weight(self.page)

    def step(self, name: str, show: Locator | None = None) -> None:
        weight = assert_page_weight(self.page)
        self.number += 1
        filename = f"{self.role}-{self.number:02d}-{name}.png"
        screenshot(self.page, filename, self.tmp_path, show=show)
        print(f"{filename}: page weight {weight} bytes")


def _log_in(day: Day, user: User, *, second_factor: bool = False) -> None:
    """The login page by its address, then everything by clicking; ends on the dashboard."""
    page = day.page
    device = totp_device_for(user) if second_factor else None
    visit(page, "/accounts/login/")
    assert_page_weight(page)
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    if day.role == "editor":
        day.step("anmelden")
    day.go(main_form_submit(page))
    if device is not None:
        assert path_of(page).startswith("/accounts/2fa/verify/")
        page.locator("#id_token").fill(totp_code(device))
        day.step("zweiter-faktor")
        day.go(main_form_submit(page))
    assert path_of(page) == "/"
    day.step("startseite")


def _entry(page: Page, path: str) -> Locator:
    """The main navigation's entry for an area."""
    return page.locator(f"nav.main-nav a[href='{path}']")


# --- The office's data -------------------------------------------------------------------------


def _town_hall_png() -> bytes:
    """A small picture of a town hall: something to see in the previews and the guide."""
    image = Image.new("RGB", (480, 300), (150, 200, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 480, 300), fill=(90, 150, 80))
    draw.rectangle((120, 120, 360, 250), fill=(200, 170, 130))
    draw.polygon([(100, 120), (240, 50), (380, 120)], fill=(160, 60, 50))
    for x in range(140, 340, 50):
        draw.rectangle((x, 145, x + 25, 180), fill=(60, 80, 110))
    draw.rectangle((220, 195, 260, 250), fill=(110, 70, 40))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@pytest.fixture
def office(org: Org, people: People, live_server: Any, settings: Any) -> Org:
    """The Presseamt's two channels, named as a city names them, with their legal pages and
    connected to the sandbox (served by the live server); a picture with alt text in the media
    library; the people named as in the demo."""
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    for user, name in (
        (people.editor, "Rita Redaktion"),
        (people.approver, "Frank Freigabe"),
        (people.community_manager, "Clara Community"),
        (people.channel_admin, "Kai Kanaladmin"),
        (people.auditor, "Paula Prüfung"),
        (people.system_admin, "Alex Admin"),
    ):
        User.objects.filter(pk=user.pk).update(full_name=name)
        user.refresh_from_db()
    for channel, name, handle in (
        (org.press_channel, "Stadt Musterstadt", "stadt-musterstadt"),
        (org.social_channel, "Bürgerservice Musterstadt", "buergerservice"),
    ):
        Channel.objects.filter(pk=channel.pk).update(
            name=name,
            impressum_url="https://www.musterstadt.de/impressum",
            privacy_url="https://www.musterstadt.de/datenschutz",
        )
        channel.refresh_from_db()  # connecting saves the whole channel
        sandbox_connected(channel, people, handle)
    for channel in (org.press_channel, org.social_channel):
        channel.refresh_from_db()
    MediaAssetFactory(
        unit=org.press,
        content=_town_hall_png(),
        original_name="rathaus-sommer.png",
        alt_text=ALT_TEXT,
    )
    return org


def _in_a_few_days(days: int, hour: int) -> datetime:
    day = timezone.localtime(timezone.now(), BERLIN) + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _in_hours(hours: int) -> datetime:
    """A full hour a few hours ahead: today on the dashboard, unless it is late at night."""
    later = timezone.localtime(timezone.now(), BERLIN) + timedelta(hours=hours)
    return later.replace(minute=0, second=0, microsecond=0)


def _post(org: Org, people: People, title: str, text: str, planned_at: datetime) -> Post:
    """A post of the editor on both channels with the library's picture, sent for approval."""
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title=title,
        text=text,
        channels=[org.press_channel, org.social_channel],
        media_ids=list(MediaAsset.objects.filter(unit=org.press).values_list("pk", flat=True)),
        planned_at=planned_at,
    )
    return post_submit(actor=people.editor, post=post)


# --- The roles' days -------------------------------------------------------------------------


def test_the_editors_day(page: Page, office: Org, people: People, tmp_path: Path) -> None:
    planned = _in_hours(3)
    scheduled = _post(
        office, people, "Weihnachtsmarkt", "Der Weihnachtsmarkt öffnet am Freitag.", planned
    )
    post_approve(actor=people.approver, post=scheduled)
    post_create(
        actor=people.editor,
        unit=office.press,
        title="Stadtfest: Programm",
        text="Das Programm des Stadtfests steht fest.",
        channels=[office.press_channel],
    )
    day = Day(page, "editor", tmp_path)
    _log_in(day, people.editor)

    # Write a post: "New post" in the header, the text with a link and a hashtag, both
    # channels, the picture, a time; the live check counts as each platform counts.
    day.go(page.locator("header.site-header a.nav-action[href='/editorial/posts/new/']"))
    day.step("neuer-beitrag")
    form = page.locator("main form[method=post]")
    form.locator("#id_unit").select_option(str(office.press.pk))
    form.locator("#id_title").fill("Bürgerbüro donnerstags länger")
    form.locator("#id_text").fill(TEXT)
    form.locator("#id_website_link").fill("https://www.musterstadt.de/buergerbuero")
    for channel in (office.press_channel, office.social_channel):
        form.get_by_label(channel.label, exact=True).check()
    form.get_by_label("rathaus-sommer.png").check()
    when = _in_a_few_days(3, 10)
    form.locator("#id_planned_date").fill(when.date().isoformat())
    form.locator("#id_planned_time").fill("10:00")
    expect(page.locator("#preview-counts")).to_contain_text(office.press_channel.name)
    day.step("beitrag-schreiben", show=form.locator("label[for=id_title]"))

    day.go(main_form_submit(page))
    post = Post.objects.get(title="Bürgerbüro donnerstags länger")
    assert path_of(page) == f"/editorial/posts/{post.pk}/"
    previews = page.locator(".channel-preview")
    expect(previews).to_have_count(2)
    expect(previews.first).to_contain_text("#Bürgerbüro")
    expect(page.locator(f".channel-preview img[alt='{ALT_TEXT}']")).to_have_count(2)
    day.step("vorschau-pro-kanal", show=page.locator("#variants-heading"))

    day.go(page.locator(f"form[action='/editorial/posts/{post.pk}/submit/'] button"))
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    day.step("zur-freigabe-gesendet")

    # The scheduled post, found in the post list, edited in German: the date input shows
    # the ISO date the browser needs, and saving keeps it.
    day.go(_entry(page, "/editorial/posts/"))
    day.step("beitraege")
    day.go(page.locator(f"main a[href='/editorial/posts/{scheduled.pk}/']").first)
    day.go(page.locator(f"main a[href='/editorial/posts/{scheduled.pk}/edit/']"))
    expect(page.locator("#id_planned_date")).to_have_value(planned.date().isoformat())
    expect(page.locator("#id_planned_time")).to_have_value(planned.strftime("%H:%M"))
    page.locator("#id_text").fill("Der Weihnachtsmarkt öffnet am Freitag um 16 Uhr. #Advent")
    day.step("geplanten-beitrag-bearbeiten", show=page.locator("label[for=id_text]"))
    day.go(main_form_submit(page))
    assert path_of(page) == f"/editorial/posts/{scheduled.pk}/"
    scheduled.refresh_from_db()
    assert scheduled.text.endswith("#Advent")
    assert scheduled.planned_at == planned
    assert scheduled.status == Post.Status.IN_REVIEW  # a new text needs a new approval
    day.step("gespeichert")


def test_the_approvers_day(page: Page, office: Org, people: People, tmp_path: Path) -> None:
    post = _post(office, people, "Bürgerbüro donnerstags länger", TEXT, _in_a_few_days(2, 9))
    day = Day(page, "approver", tmp_path)
    _log_in(day, people.approver)
    expect(page.locator("main")).to_contain_text(post.title)

    approvals = _entry(page, "/editorial/approvals/")
    expect(approvals.locator(".badge")).to_contain_text("1")
    day.go(approvals)
    day.step("freigaben")

    day.go(page.locator(f"main a[href='/editorial/posts/{post.pk}/']"))
    expect(page.locator(".channel-preview")).to_have_count(2)
    thumbnails = page.locator(f".channel-preview img[alt='{ALT_TEXT}']")
    expect(thumbnails).to_have_count(2)
    thumbnails.first.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnails.first.element_handle()
    )
    day.step("vorschau-pro-kanal", show=page.locator("#variants-heading"))

    approve = page.locator(f"form[action='/editorial/posts/{post.pk}/approve/']")
    approve.locator("textarea").fill("Passt so, danke!")
    day.step("freigeben", show=page.locator("#actions-heading"))
    day.go(approve.locator("button[type=submit]"))
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    day.step("freigegeben")


def test_the_community_managers_day(
    page: Page, office: Org, people: People, tmp_path: Path
) -> None:
    channel = office.press_channel
    question = InboxItemFactory(
        channel=channel,
        author=AuthorFactory(channel=channel, display_name="Anna Krüger", handle="anna_k"),
        text="Hat das Bürgerbüro auch am Samstag geöffnet?",
    )
    others = [
        InboxItemFactory(
            channel=channel,
            author=AuthorFactory(channel=channel, display_name="Jonas Weber", handle="jweber"),
            text="Danke für die schnelle Info!",
        ),
        InboxItemFactory(
            channel=office.social_channel,
            author=AuthorFactory(
                channel=office.social_channel, display_name="Emine Kaya", handle="emine_y"
            ),
            text="Wo finde ich das Formular für den Anwohnerparkausweis?",
        ),
    ]
    items_set_deadlines(items=[question, *others])
    saved = SavedReply.objects.create(
        unit=office.press,
        title="Öffnungszeiten Samstag",
        text="Hallo {name}, das Bürgerbüro hat samstags von 9 bis 12 Uhr geöffnet.",
    )
    day = Day(page, "community-manager", tmp_path)
    _log_in(day, people.community_manager)

    day.go(_entry(page, "/moderation/inbox/"))
    expect(page.locator("table.inbox-table tbody tr")).to_have_count(3)
    day.step("posteingang", show=page.locator("form.inbox-filter button[type=submit]"))

    day.go(page.locator(f"td.inbox-text a[href='/moderation/inbox/{question.pk}/']"))
    day.step("eingang")

    page.locator(f"#saved-reply-{question.pk}").select_option(str(saved.pk))
    reply_text = page.locator(f"#reply-text-{question.pk}")
    expect(reply_text).to_have_value(
        "Hallo Anna Krüger, das Bürgerbüro hat samstags von 9 bis 12 Uhr geöffnet."
    )
    day.step("antwort-aus-textbaustein", show=page.locator(".reply-panel"))
    day.go(page.locator("form.reply-form button[type=submit]"))
    reply = Reply.objects.get(item=question)
    assert reply.text.startswith("Hallo Anna Krüger")
    expect(page.locator(".reply-panel")).to_contain_text(reply.text)
    day.step("antwort-gesendet", show=page.locator(".reply-panel"))

    page.locator("#triage_status").select_option(InboxItem.Status.PENDING)
    day.go(page.locator(f"form[action='/moderation/inbox/{question.pk}/status/'] button"))
    question.refresh_from_db()
    assert question.status == InboxItem.Status.PENDING
    day.step("status-gesetzt")


def test_the_channel_admins_day(page: Page, office: Org, people: People, tmp_path: Path) -> None:
    channel = office.press_channel
    day = Day(page, "channel-admin", tmp_path)
    _log_in(day, people.channel_admin, second_factor=True)

    day.go(_entry(page, "/channels/"))
    expect(page.locator("main table tbody tr")).to_have_count(2)
    day.step("kanaele")

    day.go(page.locator(f"main a[href='/channels/{channel.pk}/']"))
    expect(page.locator("table.capabilities")).to_be_visible()
    day.step("kanal")

    day.go(page.locator(f"form[action='/channels/{channel.pk}/test/'] button"))
    expect(page.locator(".message--success")).to_contain_text("stadt-musterstadt")
    day.step("verbindung-getestet")


def test_the_auditors_day(page: Page, office: Org, people: People, tmp_path: Path) -> None:
    day = Day(page, "auditor", tmp_path)
    _log_in(day, people.auditor)

    day.go(_entry(page, "/audit/"))
    day.step("audit-protokoll")

    page.locator("#id_action").select_option("channels.channel.connected")
    day.step("filtern", show=page.locator("form.filter-form"))
    day.go(page.locator("form.filter-form button[type=submit]"))
    codes = page.locator("table.audit-table tbody td:nth-child(4) code").all_inner_texts()
    assert codes == ["channels.channel.connected"] * 2, codes
    for export in ("csv", "xlsx"):
        link = page.locator(f"main a[href$='format={export}']")
        expect(link).to_have_attribute(
            "href", re.compile(rf"[?&]action=channels\.channel\.connected&.*format={export}$")
        )
    day.step("gefiltert")


def test_the_system_admins_day(
    page: Page, office: Org, people: People, tmp_path: Path, settings: Any
) -> None:
    # No service has reported yet: the banner is up (test_service_banner.py kills a real
    # worker for it; here it only shows the administrator's way from it to the remedy).
    settings.SERVICE_BANNER_ENABLED = True
    day = Day(page, "system-admin", tmp_path)
    _log_in(day, people.system_admin, second_factor=True)
    banner = page.locator(".service-banner")
    expect(banner).to_be_visible()

    day.go(banner.locator("a[href='/editorial/publishing/#service-help']"))
    day.step("veroeffentlichungsbetrieb")
    # The services are started again and report, as beat has them do every 30 s.
    for queue in SERVICE_QUEUES:
        worker_heartbeat_record(hostname="worker@rathaus", queue=queue)
    day.go(page.locator("nav.sub-nav a[href='/editorial/publishing/']"))
    expect(banner).to_have_count(0)
    expect(page.locator("main")).to_contain_text(
        translated("The background service and the publishing service are running.")
    )
    day.step("dienste-laufen")

    day.go(page.locator("nav.sub-nav a[href='/manage/users/']"))
    expect(page.locator("main")).to_contain_text(people.editor.email)
    day.step("personen")

    day.go(page.locator(f"main a[href='/manage/users/{people.editor.pk}/']"))
    assign = page.locator("form:has(input[name=action][value=assign_role])")
    assign.locator("select[name=unit]").select_option(str(office.social.pk))
    assign.locator("select[name=role]").select_option(Role.APPROVER)
    day.step("rolle-zuweisen")
    day.go(assign.locator("button[type=submit]"))
    assert user_has_role(people.editor, Role.APPROVER)
    day.step("rolle-zugewiesen")
