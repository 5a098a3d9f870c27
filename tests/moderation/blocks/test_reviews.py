# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Reviews: a due review reminds the community managers of the channel's unit once; a review
keeps the block with a new date and a justification; lifting needs a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.errors import DomainError
from accounts.models import AuditEntry
from accounts.models import Notification
from accounts.models import User
from moderation.blocks.reviews import add_months
from moderation.blocks.services import block_lift
from moderation.blocks.services import block_review
from moderation.blocks.tasks import remind_due_block_reviews
from moderation.models import BlockEntry
from moderation.models import BlockReview
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

S = BlockEntry.Status


def _due(block: BlockEntry, days_ago: int = 0) -> BlockEntry:
    BlockEntry.objects.filter(pk=block.pk).update(
        review_due_on=timezone.localdate() - timedelta(days=days_ago)
    )
    return BlockEntry.objects.get(pk=block.pk)


def _reminders() -> list[Notification]:
    return list(Notification.objects.filter(kind="moderation.block_review_due"))


def test_the_reminder_task_runs_hourly_under_its_fixed_name() -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE["moderation-block-reviews"]
    assert schedule["task"] == "moderation.blocks.tasks.remind_due_block_reviews"
    assert schedule["schedule"] == timedelta(hours=1)
    assert remind_due_block_reviews.name == schedule["task"]


def test_a_due_review_notifies_the_community_managers_of_the_unit(
    people: People, second_manager: User, third_manager: User, block: BlockEntry
) -> None:
    _due(block)
    assert remind_due_block_reviews() == 1
    recipients = {n.recipient for n in _reminders()}
    assert recipients == {people.community_manager, second_manager, third_manager}
    assert all(n.link == f"/moderation/blocks/{block.pk}/" for n in _reminders())


def test_the_reminder_goes_to_nobody_outside_the_unit(
    org: Org, people: People, block: BlockEntry
) -> None:
    _due(block)
    remind_due_block_reviews()
    recipients = {n.recipient for n in _reminders()}
    assert people.auditor not in recipients
    assert people.outsider not in recipients
    assert people.editor not in recipients


def test_a_due_review_is_reminded_of_once(people: People, block: BlockEntry) -> None:
    _due(block, days_ago=2)
    assert remind_due_block_reviews() == 1
    assert remind_due_block_reviews() == 0
    assert len(_reminders()) == 1


def test_a_review_not_yet_due_is_not_reminded_of(block: BlockEntry) -> None:
    assert remind_due_block_reviews() == 0
    assert _reminders() == []


def test_a_lifted_block_is_not_reminded_of(people: People, block: BlockEntry) -> None:
    block_lift(actor=people.community_manager, block=block, reason="Erledigt.")
    _due(block)
    assert remind_due_block_reviews() == 0


def test_the_next_review_date_brings_a_new_reminder(people: People, block: BlockEntry) -> None:
    _due(block)
    remind_due_block_reviews()
    block = block_review(
        actor=people.community_manager,
        block=block,
        justification="Weiterhin Drohungen per Direktnachricht.",
        review_due_on=timezone.localdate() + timedelta(days=7),
    )
    assert remind_due_block_reviews() == 0
    with time_machine.travel(timezone.now() + timedelta(days=7)):
        assert remind_due_block_reviews() == 1
    assert len(_reminders()) == 2


def test_a_review_keeps_the_block_with_a_new_date_and_justification(
    people: People, block: BlockEntry
) -> None:
    previous = block.review_due_on
    new_date = timezone.localdate() + timedelta(days=60)
    block = block_review(
        actor=people.community_manager,
        block=block,
        justification="Beleidigungen gehen weiter.",
        review_due_on=new_date,
    )
    assert (block.status, block.review_due_on) == (S.ACTIVE, new_date)
    review = BlockReview.objects.get(block=block)
    assert (review.previous_due_on, review.next_due_on) == (previous, new_date)
    assert review.justification == "Beleidigungen gehen weiter."
    assert review.reviewed_by == people.community_manager
    assert (
        AuditEntry.objects.get(action="moderation.blocks.reviewed").data["after"]["review_due_on"]
        == new_date.isoformat()
    )


def test_a_review_without_a_date_sets_three_months_from_today(
    people: People, block: BlockEntry
) -> None:
    block = block_review(actor=people.community_manager, block=block, justification="Nötig.")
    assert block.review_due_on == add_months(timezone.localdate(), 3)


def test_a_review_date_beyond_the_maximum_is_refused(people: People, block: BlockEntry) -> None:
    with pytest.raises(ValidationError):
        block_review(
            actor=people.community_manager,
            block=block,
            justification="Nötig.",
            review_due_on=add_months(timezone.localdate(), 6) + timedelta(days=1),
        )
    assert not BlockReview.objects.exists()


def test_a_review_needs_a_justification(people: People, block: BlockEntry) -> None:
    with pytest.raises(ValidationError) as refused:
        block_review(actor=people.community_manager, block=block, justification=" ")
    assert "justification" in refused.value.message_dict


def test_an_auditor_may_not_review(people: People, block: BlockEntry) -> None:
    with pytest.raises(PermissionDenied):
        block_review(actor=people.auditor, block=block, justification="Nötig.")


def test_lifting_records_who_when_and_why(people: People, block: BlockEntry) -> None:
    block = block_lift(
        actor=people.community_manager, block=block, reason="Person hat sich entschuldigt."
    )
    assert block.status == S.LIFTED
    assert block.lifted_by == people.community_manager
    assert block.lifted_at is not None
    assert block.lift_reason == "Person hat sich entschuldigt."
    entry = AuditEntry.objects.get(action="moderation.blocks.lifted")
    assert (entry.data["before"]["status"], entry.data["after"]["status"]) == ("active", "lifted")


def test_lifting_needs_a_reason(people: People, block: BlockEntry) -> None:
    with pytest.raises(ValidationError) as refused:
        block_lift(actor=people.community_manager, block=block, reason="")
    assert "reason" in refused.value.message_dict
    assert BlockEntry.objects.get(pk=block.pk).status == S.ACTIVE


def test_a_lifted_block_cannot_be_lifted_or_reviewed_again(
    people: People, block: BlockEntry
) -> None:
    block_lift(actor=people.community_manager, block=block, reason="Erledigt.")
    with pytest.raises(DomainError):
        block_lift(actor=people.community_manager, block=block, reason="Nochmal.")
    with pytest.raises(DomainError):
        block_review(actor=people.community_manager, block=block, justification="Nötig.")
