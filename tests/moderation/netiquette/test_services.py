# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Drafts, publishing and the version that applies to a unit."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry
from moderation.models import Netiquette
from moderation.netiquette.selectors import current_rules_for
from moderation.netiquette.selectors import netiquette_current_for
from moderation.netiquette.services import PublishedNetiquetteError
from moderation.netiquette.services import RuleInput
from moderation.netiquette.services import netiquette_check_draft
from moderation.netiquette.services import netiquette_draft_save
from moderation.netiquette.services import netiquette_publish
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import NetiquetteFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

RULES = [RuleInput(1, "Respekt", "Keine Beleidigungen."), RuleInput(2, "Spam", "Keine Werbung.")]


def _draft(org: Org, people: People, rules=RULES) -> Netiquette:
    return netiquette_draft_save(
        actor=people.community_manager, unit=org.press, title="Netiquette", preamble="", rules=rules
    )


def test_a_draft_is_not_what_applies(org: Org, people: People) -> None:
    _draft(org, people)
    assert netiquette_current_for(org.press) is None


def test_publishing_makes_the_draft_the_next_version(org: Org, people: People) -> None:
    NetiquetteFactory(unit=org.press)
    published = netiquette_publish(actor=people.community_manager, netiquette=_draft(org, people))
    assert published.version == 2
    assert netiquette_current_for(org.press).pk == published.pk


def test_publishing_is_audited_with_the_rules(org: Org, people: People) -> None:
    netiquette_publish(actor=people.community_manager, netiquette=_draft(org, people))
    entry = AuditEntry.objects.get(action="moderation.netiquette.published")
    assert [r["title"] for r in entry.data["after"]["rules"]] == ["Respekt", "Spam"]


def test_saving_a_draft_is_audited(org: Org, people: People) -> None:
    _draft(org, people)
    assert AuditEntry.objects.filter(action="moderation.netiquette.draft_saved").count() == 1


def test_a_published_version_is_never_changed(org: Org, people: People) -> None:
    published = netiquette_publish(actor=people.community_manager, netiquette=_draft(org, people))
    with pytest.raises(PublishedNetiquetteError):
        netiquette_publish(actor=people.community_manager, netiquette=published)
    with pytest.raises(PublishedNetiquetteError):
        netiquette_check_draft(published)


def test_saving_again_keeps_the_published_rules(org: Org, people: People) -> None:
    published = netiquette_publish(actor=people.community_manager, netiquette=_draft(org, people))
    draft = _draft(org, people, [RuleInput(1, "Neu", "Neuer Text.")])
    assert draft.pk != published.pk
    assert list(published.rules.values_list("title", flat=True)) == ["Respekt", "Spam"]


def test_rule_numbers_must_be_unique(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        _draft(org, people, [RuleInput(1, "A", "a"), RuleInput(1, "B", "b")])
    assert "rules" in error.value.message_dict


def test_publishing_needs_a_rule(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        netiquette_publish(actor=people.community_manager, netiquette=_draft(org, people, []))


def test_a_unit_without_its_own_inherits_the_nearest_ancestor(org: Org) -> None:
    city = NetiquetteFactory(unit=org.city)
    press = NetiquetteFactory(unit=org.press)
    assert netiquette_current_for(org.social).pk == press.pk
    assert netiquette_current_for(org.city).pk == city.pk


def test_only_the_current_versions_rules_can_be_cited(org: Org) -> None:
    old = NetiquetteFactory(unit=org.press)
    new = NetiquetteFactory(unit=org.press, version=2)
    cited = set(current_rules_for(org.social).values_list("netiquette_id", flat=True))
    assert cited == {new.pk} and old.pk not in cited


def test_an_auditor_may_not_save_a_draft(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        netiquette_draft_save(
            actor=people.auditor, unit=org.press, title="N", preamble="", rules=RULES
        )
