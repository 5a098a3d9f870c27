# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Finding a person's data for a request: by their account, and, once the account is
pseudonymised, by the evidence records that still hold their handle and platform id."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from moderation.models import Author
from moderation.models import BlockEntry
from moderation.models import EvidenceRecord
from moderation.privacy.selectors import authors_matching
from moderation.privacy.selectors import evidence_counts
from moderation.privacy.services import retention_apply
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.privacy.conftest import build_trail
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _pseudonymised_with_evidence(org, people):  # type: ignore[no-untyped-def]
    """The trail after retention: items erased, block entry gone, the account a pseudonym;
    the evidence record (730 days) still holds the handle and the platform id."""
    trail = build_trail(org, people, closed_days_ago=100)
    BlockEntry.objects.filter(pk=trail.block.pk).delete()
    retention_apply()
    assert Author.objects.get(pk=trail.author.pk).pseudonymised_at is not None
    assert EvidenceRecord.objects.filter(pk=trail.evidence.pk).exists()
    return trail


def _found(org, people, query: str) -> list[int]:  # type: ignore[no-untyped-def]
    channels = org.press_channel.__class__.objects.filter(pk=org.press_channel.pk)
    return [a.pk for a in authors_matching(query=query, channels=channels)]


def test_account_is_found_by_its_handle(org, people) -> None:
    trail = build_trail(org, people)
    assert _found(org, people, "@erika_m") == [trail.author.pk]


def test_pseudonymised_account_is_found_by_the_handle_in_its_evidence(org, people) -> None:
    trail = _pseudonymised_with_evidence(org, people)
    assert _found(org, people, "erika_m") == [trail.author.pk]


def test_pseudonymised_account_is_found_by_the_platform_id_in_its_evidence(org, people) -> None:
    trail = _pseudonymised_with_evidence(org, people)
    assert _found(org, people, "rid-9988776655") == [trail.author.pk]


def test_pseudonymised_account_without_evidence_is_not_found(org, people) -> None:
    trail = _pseudonymised_with_evidence(org, people)
    EvidenceRecord.objects.filter(pk=trail.evidence.pk).update(
        retain_until=timezone.localdate() - timedelta(days=1)
    )
    retention_apply()
    assert _found(org, people, "erika_m") == []


def test_evidence_of_a_pseudonymised_account_is_counted(org, people) -> None:
    trail = _pseudonymised_with_evidence(org, people)
    author = Author.objects.get(pk=trail.author.pk)
    assert evidence_counts([author]) == {author.pk: 1}
