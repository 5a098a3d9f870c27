# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Objections: recorded with text and date received, decided by a second person only (never
whoever blocked, never whoever recorded it), with a reason; lifted means unblocked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils import translation

from accounts.errors import ConflictError
from accounts.errors import DomainError
from accounts.models import AuditEntry
from accounts.models import User
from moderation.blocks.services import block_appeal_decide
from moderation.blocks.services import block_appeal_record
from moderation.blocks.services import block_lift
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from tests.conftest import People
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

D = BlockAppeal.Decision
S = BlockEntry.Status
P = BlockEntry.PlatformStatus
OBJECTION = "Ich habe nur meine Meinung gesagt. Bitte entsperren Sie mich."


def _record(block: BlockEntry, actor: User, **overrides: object) -> BlockAppeal:
    arguments: dict[str, object] = {
        "actor": actor,
        "block": block,
        "text": OBJECTION,
        "received_on": timezone.localdate(),
    }
    arguments.update(overrides)
    return block_appeal_record(**arguments)  # type: ignore[arg-type]


@pytest.fixture
def appeal(block: BlockEntry, second_manager: User) -> BlockAppeal:
    """Recorded by a second community manager; the block is the first one's."""
    return _record(block, second_manager)


def test_an_objection_is_recorded_with_its_text_and_date(
    block: BlockEntry, second_manager: User
) -> None:
    appeal = _record(block, second_manager)
    assert (appeal.text, appeal.recorded_by, appeal.decision) == (OBJECTION, second_manager, D.OPEN)
    assert timezone.localtime(appeal.received_at).date() == timezone.localdate()
    entry = AuditEntry.objects.get(action="moderation.blocks.appeal_recorded")
    assert entry.data["appeal"] == appeal.pk


def test_an_objection_received_earlier_keeps_that_date(block: BlockEntry, people: People) -> None:
    BlockEntry.objects.filter(pk=block.pk).update(blocked_at=timezone.now() - timedelta(days=10))
    received = timezone.localdate() - timedelta(days=3)
    appeal = _record(block, people.community_manager, received_on=received)
    assert timezone.localtime(appeal.received_at).date() == received


@pytest.mark.parametrize("days", [1, -400])
def test_an_objection_dated_in_the_future_or_before_the_block_is_refused(
    block: BlockEntry, people: People, days: int
) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(
            block, people.community_manager, received_on=timezone.localdate() + timedelta(days=days)
        )
    assert "received_on" in refused.value.message_dict


def test_an_objection_needs_its_text(block: BlockEntry, people: People) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(block, people.community_manager, text="  ")
    assert "text" in refused.value.message_dict


def test_a_second_open_objection_is_refused(appeal: BlockAppeal, people: People) -> None:
    with pytest.raises(ConflictError):
        _record(appeal.block, people.community_manager)


def test_the_person_who_blocked_may_not_decide(appeal: BlockAppeal, people: People) -> None:
    with pytest.raises(PermissionDenied):
        block_appeal_decide(
            actor=people.community_manager, appeal=appeal, decision=D.LIFTED, reason="Ok."
        )
    assert BlockAppeal.objects.get(pk=appeal.pk).decision == D.OPEN


def test_the_person_who_recorded_the_objection_may_not_decide(
    appeal: BlockAppeal, second_manager: User
) -> None:
    with pytest.raises(PermissionDenied):
        block_appeal_decide(actor=second_manager, appeal=appeal, decision=D.UPHELD, reason="Ok.")
    assert BlockAppeal.objects.get(pk=appeal.pk).decision == D.OPEN


def test_an_auditor_may_not_decide(appeal: BlockAppeal, people: People) -> None:
    with pytest.raises(PermissionDenied):
        block_appeal_decide(actor=people.auditor, appeal=appeal, decision=D.UPHELD, reason="Ok.")


def test_a_second_person_upholds_the_block(appeal: BlockAppeal, third_manager: User) -> None:
    appeal = block_appeal_decide(
        actor=third_manager,
        appeal=appeal,
        decision=D.UPHELD,
        reason="Die Beleidigungen waren eindeutig.",
    )
    assert (appeal.decision, appeal.decided_by, appeal.reason) == (
        D.UPHELD,
        third_manager,
        "Die Beleidigungen waren eindeutig.",
    )
    assert appeal.decided_at is not None
    assert BlockEntry.objects.get(pk=appeal.block_id).status == S.ACTIVE
    entry = AuditEntry.objects.get(action="moderation.blocks.appeal_decided")
    assert entry.data["decision"] == "upheld"


def test_a_second_person_lifts_the_block_and_the_platform_unblock_follows(
    appeal: BlockAppeal,
    third_manager: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from moderation.blocks import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.unblock_on_platform, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        block_appeal_decide(
            actor=third_manager, appeal=appeal, decision=D.LIFTED, reason="Unverhältnismäßig."
        )
    block = BlockEntry.objects.get(pk=appeal.block_id)
    assert (block.status, block.lifted_by, block.platform_status) == (
        S.LIFTED,
        third_manager,
        P.PENDING,
    )
    assert "Unverhältnismäßig." in block.lift_reason
    assert queued == [block.pk]
    assert AuditEntry.objects.filter(action="moderation.blocks.lifted").count() == 1


def test_a_successful_objection_lifts_the_block_with_a_reason_saying_so(
    appeal: BlockAppeal, third_manager: User
) -> None:
    block_appeal_decide(
        actor=third_manager, appeal=appeal, decision=D.LIFTED, reason="Unverhältnismäßig."
    )
    block = BlockEntry.objects.get(pk=appeal.block_id)
    expected = de("Lifted on objection: %(reason)s") % {"reason": "Unverhältnismäßig."}
    assert block.lift_reason == expected


def test_the_decisions_are_named_after_what_happens_to_the_block() -> None:
    with translation.override("en"):
        assert str(D.UPHELD.label) == "Block upheld (objection rejected)"
        assert str(D.LIFTED.label) == "Block lifted (objection granted)"


def test_a_decision_needs_a_reason(appeal: BlockAppeal, third_manager: User) -> None:
    with pytest.raises(ValidationError) as refused:
        block_appeal_decide(actor=third_manager, appeal=appeal, decision=D.UPHELD, reason="")
    assert "reason" in refused.value.message_dict


def test_an_objection_is_decided_only_once(appeal: BlockAppeal, third_manager: User) -> None:
    block_appeal_decide(actor=third_manager, appeal=appeal, decision=D.UPHELD, reason="Bleibt.")
    with pytest.raises(DomainError):
        block_appeal_decide(actor=third_manager, appeal=appeal, decision=D.LIFTED, reason="Doch.")


def test_a_block_lifted_meanwhile_cannot_be_upheld(
    appeal: BlockAppeal, people: People, third_manager: User
) -> None:
    block_lift(actor=people.community_manager, block=appeal.block, reason="Zeitablauf.")
    with pytest.raises(DomainError):
        block_appeal_decide(actor=third_manager, appeal=appeal, decision=D.UPHELD, reason="Ok.")


def test_no_objection_can_be_recorded_against_a_lifted_block(
    block: BlockEntry, people: People
) -> None:
    block_lift(actor=people.community_manager, block=block, reason="Zeitablauf.")
    with pytest.raises(DomainError):
        _record(block, people.community_manager)
