"""The starter library in the browser (issue 15): a system admin adopts, reads and edits the
unit's guideline and crisis checklist and adopts the emergency templates; an editor plans the
weekly formats; a community manager compares the library's Netiquette with the unit's own; a
channel admin adopts, edits and checks a channel's profile notes. Every page passes axe-core
(0 serious/critical) and the CSP checks (``visit``/``submit``)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page
from playwright.sync_api import expect

from editorial.models import PostTemplate
from editorial.models import UnitDocument
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit
from tests.factories import totp_device_for
from tests.moderation.factories import NetiquetteFactory

pytestmark = [pytest.mark.e2e]


def test_a_system_admin_adopts_reads_and_edits_the_unit_documents(
    page: Page, org: Org, people: People
) -> None:
    admin = people.system_admin
    login(page, admin, totp_device_for(admin))
    visit(page, "/editorial/starters/")
    submit(page, page.locator(f"main a[href='/editorial/starters/units/{org.press.pk}/']"))
    unit_page = path_of(page)

    for kind in (UnitDocument.Kind.GUIDELINE, UnitDocument.Kind.CRISIS_CHECKLIST):
        adopt = f"form[action='/editorial/starters/units/{org.press.pk}/{kind}/adopt/'] button"
        visit(page, unit_page)
        submit(page, page.locator(adopt))
        assert UnitDocument.objects.filter(unit=org.press, kind=kind).exists()
    guideline = UnitDocument.Kind.GUIDELINE
    visit(page, unit_page)
    submit(page, page.locator(f"main a[href$='/{guideline}/']").first)
    expect(page.locator("main h1")).to_be_visible()
    submit(page, page.locator(f"main a[href$='/{guideline}/edit/']"))
    page.locator("#id_title").fill("Social-Media-Leitfaden des Presseamts")
    submit(page, main_form_submit(page))
    document = UnitDocument.objects.get(unit=org.press, kind=guideline)
    assert document.title == "Social-Media-Leitfaden des Presseamts"

    visit(page, unit_page)
    emergency = f"form[action='/editorial/starters/units/{org.press.pk}/emergency-templates/']"
    submit(page, page.locator(f"{emergency} button"))
    assert PostTemplate.objects.filter(unit=org.press, is_emergency=True).count() == 6


def test_an_editor_plans_the_weekly_formats(page: Page, org: Org, people: People) -> None:
    login(page, people.editor)
    visit(page, f"/editorial/starters/units/{org.press.pk}/")
    rhythm = page.locator(f"form[action='/editorial/starters/units/{org.press.pk}/rhythm/']")
    rhythm.locator("input[name=start]").fill(timezone.localdate().isoformat())
    submit(page, rhythm.locator("button[type=submit]"))
    expect(page.locator(".message").first).to_be_visible()


def test_a_community_manager_compares_the_netiquettes(page: Page, org: Org, people: People) -> None:
    login(page, people.community_manager)
    url = f"/moderation/netiquette/units/{org.social.pk}/starter/"
    visit(page, url)  # nothing of its own yet: the library's rules alone
    expect(page.locator("[data-testid=adopt-netiquette]")).to_be_visible()
    NetiquetteFactory(unit=org.social)
    visit(page, url)
    table = page.locator("[data-testid=netiquette-comparison]")
    expect(table.locator("tbody tr").first).to_be_visible()
    expect(page.locator("[data-testid=adopt-netiquette]")).to_have_count(0)


def test_a_channel_admin_adopts_and_checks_the_profile_notes(
    page: Page, org: Org, people: People
) -> None:
    admin = people.channel_admin
    login(page, admin, totp_device_for(admin))
    channel = org.press_channel
    visit(page, f"/channels/{channel.pk}/")
    notes = f"form[action='/channels/{channel.pk}/profile-notes/']"
    submit(page, page.locator(f"{notes} button").first)
    expect(page.locator("[data-testid=profile-notes]")).to_be_visible()
    page.locator("#profile-notes-text").fill("Impressum: musterstadt.de/impressum")
    submit(page, page.locator(f"{notes}:has(#profile-notes-text) button"))
    page.locator("#profile-notes-present").check()
    submit(page, page.locator(f"{notes}:has(#profile-notes-present) button"))
    expect(page.locator("[data-present]")).to_have_attribute("data-present", "true")
    channel.refresh_from_db()
    assert channel.profile_notes == "Impressum: musterstadt.de/impressum"
