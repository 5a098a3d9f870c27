# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The hourly retention task: commenters' data erased after the unit's period, evidence
and the block register after theirs; idempotent; audited with counts."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import AuditEntry
from moderation.blocks.selectors import blocks_past_retention
from moderation.models import Author
from moderation.models import BlockEntry
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import ModerationSettings
from moderation.privacy.selectors import retention_last_run
from moderation.privacy.services import STALE_GRACE_DAYS
from moderation.privacy.services import retention_apply
from moderation.privacy.tasks import apply_retention
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.privacy.conftest import build_trail
from tests.moderation.privacy.conftest import evidence_for
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_items_closed_longer_than_the_period_are_erased(org, people) -> None:
    trail = build_trail(org, people, closed_days_ago=93)
    retention_apply()
    item = InboxItem.objects.get(pk=trail.items[0].pk)
    assert (item.text, item.raw, item.erased_at is not None) == ("", {}, True)


def test_items_closed_within_the_period_are_kept(org, people) -> None:
    trail = build_trail(org, people, closed_days_ago=91)
    retention_apply()
    assert InboxItem.objects.get(pk=trail.items[0].pk).erased_at is None


def test_open_items_are_kept(org, people) -> None:
    item = InboxItemFactory(
        channel=org.press_channel, created_at=timezone.now() - timedelta(days=400)
    )
    retention_apply()
    assert InboxItem.objects.get(pk=item.pk).text != ""


def test_the_units_own_period_applies(org, people) -> None:
    ModerationSettings.objects.create(unit=org.press, retention_days=10)
    trail = build_trail(org, people, closed_days_ago=11)
    retention_apply()
    assert InboxItem.objects.get(pk=trail.items[0].pk).erased_at is not None


def test_author_is_pseudonymised_once_the_block_entry_is_gone(org, people) -> None:
    ModerationSettings.objects.create(unit=org.press, block_retention_days=1)
    trail = build_trail(org, people, closed_days_ago=100)
    BlockEntry.objects.filter(pk=trail.block.pk).update(
        lifted_at=timezone.now() - timedelta(days=2)
    )
    retention_apply()
    assert not BlockEntry.objects.filter(pk=trail.block.pk).exists()
    assert Author.objects.get(pk=trail.author.pk).pseudonymised_at is not None


def test_author_keeps_their_name_while_a_block_entry_is_kept(org, people) -> None:
    trail = build_trail(org, people, closed_days_ago=100)
    retention_apply()
    assert BlockEntry.objects.filter(pk=trail.block.pk).exists()
    assert Author.objects.get(pk=trail.author.pk).handle == "erika_m"


def test_active_blocks_are_never_deleted(org, people) -> None:
    ModerationSettings.objects.create(unit=org.press, block_retention_days=1)
    trail = build_trail(org, people, closed_days_ago=100)
    BlockEntry.objects.filter(pk=trail.block.pk).update(
        status=BlockEntry.Status.ACTIVE,
        lifted_at=None,
        blocked_at=timezone.now() - timedelta(days=900),
    )
    retention_apply()
    assert BlockEntry.objects.filter(pk=trail.block.pk).exists()


def test_evidence_is_deleted_after_its_date(org, people) -> None:
    trail = build_trail(org, people)
    EvidenceRecord.objects.filter(pk=trail.evidence.pk).update(
        retain_until=timezone.localdate() - timedelta(days=1)
    )
    retention_apply()
    assert not EvidenceRecord.objects.filter(pk=trail.evidence.pk).exists()


def test_evidence_on_legal_hold_outlives_its_date(org, people) -> None:
    trail = build_trail(org, people)
    held = evidence_for(
        trail.items[0],
        people.community_manager,
        retain_until=timezone.localdate() - timedelta(days=1),
        criminal_relevant=True,
        complaint_filed_at=timezone.now(),
    )
    summary = retention_apply()
    assert EvidenceRecord.objects.filter(pk=held.pk).exists()
    assert summary["kept_evidence"] == [held.pk]


def test_second_run_changes_nothing(org, people) -> None:
    build_trail(org, people, closed_days_ago=100)
    first = retention_apply()
    second = retention_apply()
    assert first["items"] == 2
    assert (second["items"], second["revisions"], second["flags"], second["authors"]) == (
        0,
        0,
        0,
        0,
    )


def test_each_run_is_audited_with_counts_only(org, people) -> None:
    build_trail(org, people, closed_days_ago=100)
    apply_retention()
    entry = AuditEntry.objects.get(action="moderation.privacy.retention_applied")
    assert entry.data["counts"]["items"] == 2
    assert "Mustermann" not in repr(entry.data)


def test_large_numbers_are_erased_in_batches(org, people, django_assert_max_num_queries) -> None:
    closed = timezone.now() - timedelta(days=100)
    items = [
        InboxItemFactory(
            channel=org.press_channel, status=InboxItem.Status.CLOSED, closed_at=closed
        )
        for _n in range(30)
    ]
    with django_assert_max_num_queries(40):
        summary = retention_apply()
    assert summary["items"] == len(items)


def test_a_run_that_erases_nothing_writes_no_audit_entry(org, people) -> None:
    build_trail(org, people)
    retention_apply()
    assert not AuditEntry.objects.filter(action="moderation.privacy.retention_applied").exists()


def test_a_run_that_erases_nothing_still_says_when_it_ran(org, people) -> None:
    retention_apply()
    assert retention_last_run() is not None


def test_lifted_blocks_are_deleted_by_the_block_registers_rule(org, people) -> None:
    ModerationSettings.objects.create(unit=org.social, block_retention_days=1)
    trail = build_trail(org, people)
    # An entry on the team's channel, lifted two days ago: past the team's own period only.
    BlockEntry.objects.filter(pk=trail.block.pk).update(
        channel=org.social_channel, lifted_at=timezone.now() - timedelta(days=2)
    )
    assert list(blocks_past_retention(timezone.now()).values_list("pk", flat=True)) == [
        trail.block.pk
    ]
    retention_apply()
    assert not BlockEntry.objects.filter(pk=trail.block.pk).exists()


def test_retention_removes_the_persons_name_from_our_replies(org, people) -> None:
    from moderation.models import Reply

    trail = build_trail(org, people, closed_days_ago=100)
    reply = Reply.objects.create(
        item=trail.items[0],
        author=trail.reply.author,
        text="Danke, Erika Mustermann.",
        status=Reply.Status.SENT,
    )
    retention_apply()
    assert Reply.objects.get(pk=reply.pk).text == "Danke, […]."


def _untouched(org, days: int, **fields):  # type: ignore[no-untyped-def]
    """An item still open whose last change was ``days`` ago."""
    at = timezone.now() - timedelta(days=days)
    return InboxItemFactory(
        channel=org.press_channel,
        status=InboxItem.Status.OPEN,
        created_at=at,
        updated_at=at,
        **fields,
    )


def test_an_open_item_untouched_past_period_and_grace_is_erased(org, people) -> None:
    item = _untouched(org, 92 + STALE_GRACE_DAYS + 1)
    retention_apply()
    assert InboxItem.objects.get(pk=item.pk).erased_at is not None


def test_an_open_item_untouched_within_period_and_grace_is_kept(org, people) -> None:
    item = _untouched(org, 92 + STALE_GRACE_DAYS - 1)
    retention_apply()
    assert InboxItem.objects.get(pk=item.pk).erased_at is None


def test_an_untouched_item_with_a_recent_note_is_kept(org, people) -> None:
    from moderation.models import InternalNote

    item = _untouched(org, 92 + STALE_GRACE_DAYS + 1)
    InternalNote.objects.create(item=item, author=people.community_manager, text="Wir warten.")
    retention_apply()
    assert InboxItem.objects.get(pk=item.pk).erased_at is None


def test_an_untouched_item_snoozed_into_the_future_is_kept(org, people) -> None:
    item = _untouched(
        org, 92 + STALE_GRACE_DAYS + 1, snoozed_until=timezone.now() + timedelta(days=1)
    )
    retention_apply()
    assert InboxItem.objects.get(pk=item.pk).erased_at is None
