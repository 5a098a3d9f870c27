"""``blocks_past_retention``: lifted entries kept longer than the unit's
``block_retention_days`` after the unblocking (the privacy feature erases them)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from moderation.blocks.selectors import blocks_past_retention
from moderation.blocks.services import block_lift
from moderation.models import BlockEntry, ModerationSettings
from tests.conftest import Org, People
from tests.moderation.factories import InboxItemFactory


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
