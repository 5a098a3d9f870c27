# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Blocking an author: every block is a moderation decision of kind block
(``action_block`` → ``action_take``); what it needs (a rule in force, a justification, why
hiding is not enough, the evidence), refused with the codes of the actions route; the review
date's limits, one active block per author and channel, and who may block."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.errors import ConflictError
from accounts.errors import DomainError
from accounts.errors import ErrorCode
from accounts.models import AuditEntry
from moderation.actions.services import action_block
from moderation.blocks.reviews import add_months
from moderation.blocks.services import block_lift
from moderation.evidence.services import evidence_record
from moderation.models import BlockEntry
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import NetiquetteRule
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.blocks.conftest import WHY_NOT_HIDING
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

P = BlockEntry.PlatformStatus
JUSTIFICATION = "Wiederholte Beleidigungen trotz Hinweis auf § 1."


def _block(people: People, item: InboxItem, **overrides: object) -> BlockEntry:
    arguments: dict[str, object] = {
        "actor": people.community_manager,
        "item": item,
        "justification": JUSTIFICATION,
        "why_not_milder": WHY_NOT_HIDING,
    }
    arguments.update(overrides)
    return action_block(**arguments)  # type: ignore[arg-type]


def _refused(code: ErrorCode, people: People, item: InboxItem, **overrides: object) -> None:
    with pytest.raises(DomainError) as refused:
        _block(people, item, **overrides)
    assert refused.value.code == code
    assert not BlockEntry.objects.exists()
    assert not EvidenceRecord.objects.exists()


def test_a_block_records_who_where_by_whom_on_which_rule(
    people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    block = _block(people, item, rule=rule)
    assert (block.author_id, block.channel_id, block.item_id) == (
        item.author_id,
        item.channel_id,
        item.pk,
    )
    assert block.blocked_by == people.community_manager
    assert (block.rule, block.rule.netiquette.version) == (rule, 1)
    assert block.evidence == EvidenceRecord.objects.get(item=item)
    assert block.status == BlockEntry.Status.ACTIVE
    assert block.justification == JUSTIFICATION


def test_the_review_is_due_three_months_later_by_default(
    people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    block = _block(people, item, rule=rule)
    assert block.review_due_on == add_months(timezone.localdate(), 3)


def test_a_chosen_review_date_is_kept(
    people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    chosen = timezone.localdate() + timedelta(days=30)
    block = _block(people, item, rule=rule, review_due_on=chosen)
    assert block.review_due_on == chosen


@pytest.mark.parametrize("months, days", [(6, 1), (0, 0), (0, -1)])
def test_a_review_date_beyond_six_months_or_not_in_the_future_is_refused(
    people: People,
    item: InboxItem,
    rule: NetiquetteRule,
    months: int,
    days: int,
) -> None:
    chosen = add_months(timezone.localdate(), months) + timedelta(days=days)
    with pytest.raises(ValidationError) as refused:
        _block(people, item, rule=rule, review_due_on=chosen)
    assert "review_due_on" in refused.value.message_dict
    assert not BlockEntry.objects.exists()


def test_the_block_is_audited(people: People, item: InboxItem, rule: NetiquetteRule) -> None:
    block = _block(people, item, rule=rule)
    entry = AuditEntry.objects.get(action="moderation.blocks.blocked")
    assert entry.actor == people.community_manager
    assert entry.data["after"]["rule"] == rule.pk
    assert entry.data["netiquette_version"] == 1
    assert entry.data["evidence"] == block.evidence_id
    assert entry.data["decision"] == ModerationAction.objects.get(item=item).pk
    assert entry.target_id == str(block.pk)
    assert entry.unit_id == item.channel.unit_id


def test_a_block_is_a_moderation_decision_of_kind_block(
    people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    block = _block(people, item, rule=rule)
    decision = ModerationAction.objects.get(item=item)
    assert (decision.kind, decision.rule, decision.justification) == (
        ModerationAction.Kind.BLOCK,
        rule,
        JUSTIFICATION,
    )
    assert decision.why_not_milder == WHY_NOT_HIDING
    assert (decision.evidence, decision.details) == (block.evidence, {"block": block.pk})


def test_a_block_without_a_rule_is_refused(people: People, item: InboxItem) -> None:
    _refused(ErrorCode.RULE_REQUIRED, people, item, rule=None)


@pytest.mark.parametrize("justification", ["", "   \n "])
def test_a_block_without_a_justification_is_refused(
    people: People, item: InboxItem, rule: NetiquetteRule, justification: str
) -> None:
    _refused(ErrorCode.JUSTIFICATION_REQUIRED, people, item, rule=rule, justification=justification)


@pytest.mark.parametrize("why_not_milder", ["", "Zu kurz."])
def test_a_block_without_saying_why_hiding_is_not_enough_is_refused(
    people: People, item: InboxItem, rule: NetiquetteRule, why_not_milder: str
) -> None:
    _refused(
        ErrorCode.PROPORTIONALITY_UNCONFIRMED,
        people,
        item,
        rule=rule,
        why_not_milder=why_not_milder,
    )


def test_evidence_of_another_author_is_refused(
    people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    other = InboxItemFactory(channel=item.channel)
    foreign = evidence_record(actor=people.community_manager, item=other)
    with pytest.raises(ValidationError) as refused:
        _block(people, item, rule=rule, evidence=foreign)
    assert "evidence" in refused.value.message_dict


def test_a_rule_of_a_superseded_netiquette_version_is_refused(
    org: Org, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    NetiquetteFactory(unit=org.city, version=2)
    _refused(ErrorCode.RULE_REQUIRED, people, item, rule=rule)


def test_a_rule_of_another_authoritys_netiquette_is_refused(
    org: Org, people: People, item: InboxItem, rules: list[NetiquetteRule]
) -> None:
    police_rule = NetiquetteFactory(unit=org.police).rules.first()
    _refused(ErrorCode.RULE_REQUIRED, people, item, rule=police_rule)


def test_a_second_active_block_of_the_author_on_the_channel_is_refused(
    people: People,
    item: InboxItem,
    rule: NetiquetteRule,
    make_block: Callable[..., BlockEntry],
) -> None:
    make_block(item)
    later = InboxItemFactory(channel=item.channel, author=item.author)
    with pytest.raises(ConflictError):
        make_block(later)
    assert BlockEntry.objects.count() == 1


def test_the_author_can_be_blocked_again_after_the_block_was_lifted(
    people: People, item: InboxItem, make_block: Callable[..., BlockEntry]
) -> None:
    first = make_block(item)
    block_lift(actor=people.community_manager, block=first, reason="Einsicht gezeigt.")
    second = make_block(InboxItemFactory(channel=item.channel, author=item.author))
    assert second.status == BlockEntry.Status.ACTIVE
    assert BlockEntry.objects.count() == 2


def test_the_same_person_on_another_channel_is_a_separate_block(
    org: Org, people: People, item: InboxItem, make_block: Callable[..., BlockEntry]
) -> None:
    make_block(item)
    elsewhere = AuthorFactory(channel=org.social_channel, remote_id=item.author.remote_id)
    other = make_block(InboxItemFactory(channel=org.social_channel, author=elsewhere))
    assert other.channel == org.social_channel


def test_an_auditor_may_not_block(people: People, item: InboxItem, rule: NetiquetteRule) -> None:
    with pytest.raises(PermissionDenied):
        _block(people, item, rule=rule, actor=people.auditor)
    assert not BlockEntry.objects.exists()


def test_another_authoritys_manager_may_not_block(
    org: Org, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    from accounts.models import Role
    from tests.factories import UserFactory

    police_manager = UserFactory(roles=[(org.police, Role.COMMUNITY_MANAGER)])
    with pytest.raises(PermissionDenied):
        _block(people, item, rule=rule, actor=police_manager)


def test_blocking_records_the_items_evidence_first(
    people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    block = _block(people, item, rule=rule)
    assert block.evidence is not None
    assert block.evidence.item_id == item.pk
    assert block.evidence.sha256


def test_a_refused_review_date_leaves_no_evidence_record_and_no_decision(
    people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    with pytest.raises(ValidationError):
        _block(people, item, rule=rule, review_due_on=timezone.localdate())
    assert not EvidenceRecord.objects.exists()
    assert not ModerationAction.objects.exists()


def test_a_second_block_leaves_no_second_evidence_record(
    people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    _block(people, item, rule=rule)
    with pytest.raises(ConflictError):
        _block(people, item, rule=rule)
    assert EvidenceRecord.objects.count() == 1


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_the_blocks_audit_entry_names_the_author_by_id_only(
    people: People, item: InboxItem, rule: NetiquetteRule
) -> None:
    """Audit entries are kept for good; the handle would outlive the author's erasure."""
    _block(people, item, rule=rule)
    entry = AuditEntry.objects.get(action="moderation.blocks.blocked")
    assert entry.data["author"] == item.author_id
    assert item.author.handle not in str(entry.data) + entry.target_repr
