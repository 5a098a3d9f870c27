# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""``blocks_past_retention``: lifted entries kept longer than the unit's
``block_retention_days`` after the unblocking (the privacy feature erases them); the
evidence record a block rests on is kept as long as its entry is in the register."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from moderation.blocks.selectors import blocks_past_retention
from moderation.blocks.services import block_lift
from moderation.models import BlockEntry
from moderation.models import DataSubjectRequest
from moderation.models import EvidenceRecord
from moderation.models import ModerationSettings
from moderation.privacy.services import data_subject_erase
from moderation.privacy.services import data_subject_request_create
from moderation.privacy.services import retention_apply
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _lifted(block: BlockEntry, people: People, days_ago: int) -> BlockEntry:
    block_lift(actor=people.community_manager, block=block, reason="Erledigt.")
    BlockEntry.objects.filter(pk=block.pk).update(
        lifted_at=timezone.now() - timedelta(days=days_ago)
    )
    return block


def test_a_lifted_entry_is_past_retention_after_the_units_period(
    org: Org, people: People, make_block, mastodon
) -> None:  # type: ignore[no-untyped-def]
    ModerationSettings.objects.create(unit=org.city, block_retention_days=30)
    old = _lifted(make_block(InboxItemFactory(channel=mastodon)), people, days_ago=31)
    recent = _lifted(make_block(InboxItemFactory(channel=mastodon)), people, days_ago=29)
    active = make_block(InboxItemFactory(channel=mastodon))
    past = set(blocks_past_retention(timezone.now()).values_list("pk", flat=True))
    assert past == {old.pk}
    assert recent.pk not in past and active.pk not in past


def test_the_default_period_is_two_years(people: People, make_block, mastodon) -> None:  # type: ignore[no-untyped-def]
    block = _lifted(make_block(InboxItemFactory(channel=mastodon)), people, days_ago=700)
    assert not blocks_past_retention(timezone.now()).exists()
    assert blocks_past_retention(timezone.now() + timedelta(days=31)).filter(pk=block.pk).exists()


# --- The evidence a block rests on ----------------------------------------------------------


def _expired(block: BlockEntry) -> None:
    """The block's evidence record has reached its own date."""
    EvidenceRecord.objects.filter(pk=block.evidence_id).update(
        retain_until=timezone.localdate() - timedelta(days=1)
    )


def test_the_evidence_of_an_active_block_outlives_its_date(block: BlockEntry) -> None:
    _expired(block)
    summary = retention_apply()
    assert EvidenceRecord.objects.filter(pk=block.evidence_id).exists()
    assert BlockEntry.objects.get(pk=block.pk).evidence_id == block.evidence_id
    assert block.evidence_id in summary["kept_evidence"]


def test_the_evidence_of_a_lifted_block_still_in_the_register_outlives_its_date(
    people: People, block: BlockEntry
) -> None:
    _lifted(block, people, days_ago=100)
    _expired(block)
    retention_apply()
    assert EvidenceRecord.objects.filter(pk=block.evidence_id).exists()


def test_the_evidence_goes_once_the_register_entry_is_past_its_retention(
    org: Org, people: People, block: BlockEntry
) -> None:
    ModerationSettings.objects.create(unit=org.city, block_retention_days=30)
    _lifted(block, people, days_ago=31)
    _expired(block)
    retention_apply()
    assert not BlockEntry.objects.filter(pk=block.pk).exists()
    assert not EvidenceRecord.objects.filter(pk=block.evidence_id).exists()


def test_an_erasure_request_keeps_the_evidence_of_an_active_block(
    org: Org, people: People, block: BlockEntry
) -> None:
    subject_request = data_subject_request_create(
        actor=people.community_manager,
        unit=org.press,
        kind=DataSubjectRequest.Kind.ERASURE,
        authors=[block.author],
    )
    summary = data_subject_erase(actor=people.community_manager, subject_request=subject_request)
    assert BlockEntry.objects.get(pk=block.pk).evidence_id == block.evidence_id
    assert block.evidence_id in summary["kept_evidence"]
