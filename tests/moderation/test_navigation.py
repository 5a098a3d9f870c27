# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The moderation sub-navigation: each role is offered exactly the pages it may open, the
main navigation leads every role with a moderation page into the area, and every page of
the area shows the sub-navigation once, its own entry marked current."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.navigation import navigation_for
from moderation.common.navigation import ENTRIES
from moderation.common.navigation import moderation_subnav
from moderation.common.permissions import units_for_reading
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ClientFor = Callable[[User], Client]


@pytest.mark.parametrize("role", ["community_manager", "auditor", "system_admin", "editor"])
def test_the_entries_are_the_pages_the_role_may_open(
    role: str, people: People, client_for: ClientFor
) -> None:
    user = getattr(people, role)
    client = client_for(user)
    open_pages = {
        reverse(entry.url_name)
        for entry in ENTRIES
        if client.get(reverse(entry.url_name)).status_code == 200
    }
    # The Netiquette index answers everyone signed in, listing the units one reads: it has
    # nothing to offer to whom reads none.
    if not units_for_reading(user).exists():
        open_pages.discard(reverse("netiquette:index"))
    assert {entry["url"] for entry in moderation_subnav(user, "")} == open_pages


def test_auditors_are_offered_every_page_like_community_managers(people: People) -> None:
    """Auditors read what community managers act on: the same pages, without the forms."""
    assert moderation_subnav(people.auditor, "") == moderation_subnav(people.community_manager, "")
    assert len(moderation_subnav(people.auditor, "")) == len(ENTRIES)


def test_a_system_admin_reaches_data_protection_and_service_levels(people: People) -> None:
    urls = [entry["url"] for entry in moderation_subnav(people.system_admin, "")]
    assert urls == ["/moderation/service-levels/", "/moderation/privacy/"]
    main = {entry["section"]: entry for entry in navigation_for(people.system_admin, "/")}
    assert main["moderation_settings"]["url"] == "/moderation/privacy/"
    assert "moderation" not in main


def test_the_main_navigation_leads_readers_to_the_inbox_once(people: People) -> None:
    main = navigation_for(people.auditor, "/moderation/evidence/")
    entries = [entry for entry in main if entry["section"].startswith("moderation")]
    assert [(e["url"], e["current"]) for e in entries] == [("/moderation/inbox/", "true")]


def test_an_editor_gets_no_moderation_entry(people: People) -> None:
    assert moderation_subnav(people.editor, "") == []
    assert not any(
        entry["section"].startswith("moderation") for entry in navigation_for(people.editor, "/")
    )


PAGES = (
    "/moderation/inbox/",
    "/moderation/replies/approvals/",
    "/moderation/replies/saved/",
    "/moderation/replies/saved/new/",
    "/moderation/actions/",
    "/moderation/netiquette/",
    "/moderation/evidence/",
    "/moderation/blocks/",
    "/moderation/flags/",
    "/moderation/flags/lexicon/",
    "/moderation/service-levels/",
    "/moderation/service-levels/report/",
    "/moderation/privacy/",
    "/moderation/privacy/requests/",
    "/moderation/privacy/requests/new/",
    "/moderation/ingestion/",
)


@pytest.mark.parametrize("path", PAGES)
def test_each_page_shows_the_sub_navigation_once_with_its_entry_current(
    path: str, people: People, client_for: ClientFor
) -> None:
    response = client_for(people.community_manager).get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<nav class="sub-nav"') == 1
    subnav = page.split('<nav class="sub-nav"', 1)[1].split("</nav>", 1)[0]
    urls = [entry["url"] for entry in moderation_subnav(people.community_manager, "")]
    own = max((url for url in urls if path.startswith(url)), key=len)
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', subnav) == [own]
