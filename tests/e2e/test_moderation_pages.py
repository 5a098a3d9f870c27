"""Every page of the moderation area in the browser, as each role that may open it sees it:
reached through the moderation sub-navigation (every entry clicked), then the pages behind
the entries, each with data on it. Every page passes the suite's axe-core check (WCAG 2.1
AA) and its Content-Security-Policy check, and has one heading."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.models import User
from accounts.selectors import user_requires_two_factor
from moderation.actions.services import action_block
from moderation.actions.services import action_take
from moderation.models import DataSubjectRequest
from moderation.models import EvidenceRecord
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import ModerationSettings
from moderation.models import Netiquette
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.privacy.services import data_subject_request_create
from moderation.replies.services import reply_create
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit
from tests.factories import totp_device_for
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory

pytestmark = [pytest.mark.e2e]


@dataclass
class Area:
    """One of everything the moderation pages show, on the press office's channel."""

    item: InboxItem
    other: InboxItem  # not blocked: the block form can be opened for it
    netiquette: Netiquette
    saved: SavedReply
    reply: Reply
    evidence: EvidenceRecord
    block_id: int
    subject_request: DataSubjectRequest


@pytest.fixture
def area(org: Org, people: People) -> Area:
    manager = people.community_manager
    netiquette = NetiquetteFactory(unit=org.city)
    rule = netiquette.rules.get(number=1)
    item = InboxItemFactory(channel=org.press_channel, text="Ihr Versager im Rathaus!")
    Flag.objects.create(
        item=item, kind=Flag.Kind.INSULT, code="lexicon", explanation="Enthält „Versager“."
    )
    other = InboxItemFactory(channel=org.press_channel, text="Wann öffnet das Bürgerbüro?")
    saved = SavedReply.objects.create(
        unit=org.press, title="Netiquette", text="Hallo {name}, bitte bleiben Sie sachlich."
    )
    # Four eyes: the reply waits for approval instead of going to a platform.
    ModerationSettings.objects.create(unit=org.city, replies_need_approval=True)
    reply = reply_create(actor=manager, item=other, text="Montags ab 8 Uhr.")
    action_take(
        actor=manager,
        item=other,
        kind=ModerationAction.Kind.NO_ACTION,
        rule=None,
        justification="Eine Frage, kein Verstoß.",
    )
    block = action_block(
        actor=manager,
        item=item,
        rule=rule,
        justification="Wiederholt.",
        why_not_milder="Verbergen hat nicht gereicht: er schreibt weiter so.",
    )
    evidence = block.evidence
    assert evidence is not None
    subject_request = data_subject_request_create(
        actor=manager,
        unit=org.press,
        kind=DataSubjectRequest.Kind.ACCESS,
        authors=[item.author],
        reference="DS-1",
    )
    return Area(item, other, netiquette, saved, reply, evidence, block.pk, subject_request)


def _login(page: Page, user: User) -> None:
    login(page, user, totp_device_for(user) if user_requires_two_factor(user) else None)


def _one_heading(page: Page) -> None:
    expect(page.locator("main h1")).to_have_count(1)


def _through_the_sub_navigation(page: Page, start: str) -> list[str]:
    """Click every entry of the sub-navigation; each marks itself current. Its entries."""
    submit(page, page.locator(f"nav.main-nav a[href='{start}']"))
    entries: list[str] = page.locator("nav.sub-nav a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    for href in entries:
        submit(page, page.locator(f"nav.sub-nav a[href='{href}']"))
        assert path_of(page) == href
        expect(page.locator("nav.sub-nav a[aria-current='page']")).to_have_attribute("href", href)
        _one_heading(page)
    return entries


def _read_pages(org: Org, area: Area) -> list[str]:
    """The pages behind the entries that readers open too."""
    item = area.item
    return [
        f"/moderation/inbox/{item.pk}/",
        f"/moderation/inbox/{area.other.pk}/",
        f"/moderation/replies/items/{item.pk}/",
        f"/moderation/replies/{area.reply.pk}/",
        f"/moderation/actions/items/{item.pk}/",
        f"/moderation/netiquette/units/{org.press.pk}/",
        f"/moderation/netiquette/{area.netiquette.pk}/",
        f"/moderation/evidence/{area.evidence.pk}/",
        f"/moderation/blocks/{area.block_id}/",
        "/moderation/blocks/?status=due",
        f"/moderation/flags/units/{org.press.pk}/",
        "/moderation/flags/lexicon/",
        "/moderation/service-levels/report/",
        f"/moderation/service-levels/units/{org.press.pk}/",
        f"/moderation/privacy/units/{org.press.pk}/",
        "/moderation/privacy/requests/",
        f"/moderation/privacy/requests/{area.subject_request.pk}/",
    ]


def test_every_page_as_the_community_manager_sees_it(
    page: Page, org: Org, people: People, area: Area
) -> None:
    visit(page, f"/netiquette/{org.press.pk}/")  # public, no login
    _login(page, people.community_manager)
    assert len(_through_the_sub_navigation(page, "/moderation/inbox/")) == 11
    for path in [
        *_read_pages(org, area),
        "/moderation/replies/saved/new/",
        f"/moderation/replies/saved/{area.saved.pk}/edit/",
        f"/moderation/replies/saved/{area.saved.pk}/delete/",
        f"/moderation/netiquette/units/{org.press.pk}/draft/",
        f"/moderation/blocks/new/?item={area.other.pk}",
        "/moderation/privacy/requests/new/",
    ]:
        visit(page, path)
        _one_heading(page)


def test_every_page_as_the_auditor_sees_it(
    page: Page, org: Org, people: People, area: Area
) -> None:
    _login(page, people.auditor)
    assert len(_through_the_sub_navigation(page, "/moderation/inbox/")) == 11
    for path in _read_pages(org, area):
        visit(page, path)
        _one_heading(page)
        expect(page.locator("main form[method=post] button[type=submit]")).to_have_count(0)


def test_data_protection_and_service_levels_as_the_system_admin_sees_them(
    page: Page, org: Org, people: People, area: Area
) -> None:
    _login(page, people.system_admin)
    entries = _through_the_sub_navigation(page, "/moderation/privacy/")
    assert entries == ["/moderation/service-levels/", "/moderation/privacy/"]
    for path in (
        f"/moderation/privacy/units/{org.press.pk}/",
        f"/moderation/service-levels/units/{org.press.pk}/",
        "/moderation/service-levels/report/",
        "/moderation/privacy/requests/",
    ):
        visit(page, path)
        _one_heading(page)
