# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The starter library's Netiquette: adopted as the unit's first draft, never over its own."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from moderation.netiquette.selectors import netiquette_starter
from moderation.netiquette.selectors import netiquette_starter_comparison
from moderation.netiquette.services import OwnNetiquetteExistsError
from moderation.netiquette.services import RuleInput
from moderation.netiquette.services import netiquette_adopt_starter
from moderation.netiquette.services import netiquette_draft_save
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_adopting_starts_a_draft_with_the_library_rules(org: Org, people: People) -> None:
    draft = netiquette_adopt_starter(actor=people.community_manager, unit=org.press)
    assert draft.rules.count() == len(netiquette_starter().items)


def test_the_adopted_draft_is_not_published(org: Org, people: People) -> None:
    draft = netiquette_adopt_starter(actor=people.community_manager, unit=org.press)
    assert draft.published_at is None


def test_adopting_is_audited_with_the_library_edition(org: Org, people: People) -> None:
    netiquette_adopt_starter(actor=people.community_manager, unit=org.press)
    entry = AuditEntry.objects.get(action="moderation.netiquette.starter_adopted")
    assert entry.data["starter_version"] == netiquette_starter().version


def test_a_unit_with_its_own_netiquette_is_never_overwritten(org: Org, people: People) -> None:
    rules = [RuleInput(1, "Eigene Regel", "Eigener Text")]
    netiquette_draft_save(
        actor=people.community_manager, unit=org.press, title="N", preamble="", rules=rules
    )
    with pytest.raises(OwnNetiquetteExistsError):
        netiquette_adopt_starter(actor=people.community_manager, unit=org.press)


def test_an_editor_may_not_adopt_the_netiquette(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        netiquette_adopt_starter(actor=people.editor, unit=org.press)


def test_the_comparison_puts_the_units_rule_next_to_the_librarys(org: Org, people: People) -> None:
    rules = [RuleInput(1, "Eigene Regel", "Eigener Text")]
    netiquette_draft_save(
        actor=people.community_manager, unit=org.press, title="N", preamble="", rules=rules
    )
    _own, rows = netiquette_starter_comparison(org.press)
    assert (rows[0].unit_title, rows[0].starter_title) == (
        "Eigene Regel",
        netiquette_starter().items[0]["title"],
    )


def test_the_comparison_page_opens_for_a_community_manager(org: Org, people: People) -> None:
    client = login(Client(), people.community_manager)
    response = client.get(f"/moderation/netiquette/units/{org.press.pk}/starter/")
    assert response.status_code == 200


def test_the_page_adopts_and_leads_to_the_draft(org: Org, people: People) -> None:
    client = login(Client(), people.community_manager)
    response = client.post(f"/moderation/netiquette/units/{org.press.pk}/starter/")
    assert response["Location"] == f"/moderation/netiquette/units/{org.press.pk}/draft/"


def test_the_api_adopts_with_201(org: Org, people: People) -> None:
    client = login(APIClient(), people.community_manager)
    response = client.post(
        "/api/v1/netiquettes/adopt-starter/", {"unit": org.press.pk}, format="json"
    )
    assert (response.status_code, response.json()["status"]) == (201, "draft")


def test_the_api_answers_409_over_an_own_netiquette(org: Org, people: People) -> None:
    netiquette_adopt_starter(actor=people.community_manager, unit=org.press)
    client = login(APIClient(), people.community_manager)
    response = client.post(
        "/api/v1/netiquettes/adopt-starter/", {"unit": org.press.pk}, format="json"
    )
    assert response.status_code == 409
