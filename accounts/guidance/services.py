"""Writes of guidance: ticking checklist items from the audit log, auditing exports.

A tick is recorded when the audit entry that earns it is appended (``completion_record``,
connected to the entry's ``post_save``), in the same transaction: the entry and the tick are
committed together or not at all. The tick itself writes no audit entry: it is appended
while the chain head is locked for the entry that earned it, and it names that entry
(``audit_sequence``), which is the evidence."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from accounts.audit import audit_log
from accounts.guidance.checklists import ACTIONS
from accounts.guidance.checklists import ITEMS
from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import TrainingCompletion
from accounts.models import User
from accounts.practice.selectors import practice_unit_in_force
from accounts.selectors import user_home_unit

READ_AUDIT_LOG = "auditor.read_audit_log"


def _practice_owner(entry: AuditEntry) -> int | None:
    """The user whose practice space the entry is filed under, if any (no query when the
    writer handed the unit over, as ``audit_log`` callers do)."""
    if entry.unit_id is None:
        return None
    if AuditEntry.unit.is_cached(entry):
        return entry.unit.practice_of_id if entry.unit else None
    owner: int | None = (
        OrgUnit.objects.filter(pk=entry.unit_id).values_list("practice_of_id", flat=True).first()
    )
    return owner


def completion_record(entry: AuditEntry) -> list[TrainingCompletion]:
    """Tick the items ``entry`` earns: an action of the item, by a person, in that person's
    own practice space (or anywhere, for an item not practised there). An item already
    ticked keeps its first completion."""
    if entry.action not in ACTIONS or entry.actor_id is None:
        return []
    earned = [item for item in ITEMS.values() if item.matches(entry.action, entry.data)]
    if any(item.practice_only for item in earned) and _practice_owner(entry) != entry.actor_id:
        earned = [item for item in earned if not item.practice_only]
    completions = [
        TrainingCompletion(
            user_id=entry.actor_id,
            item=item.key,
            role=item.role,
            completed_at=entry.created_at,
            audit_sequence=entry.sequence,
        )
        for item in earned
    ]
    return TrainingCompletion.objects.bulk_create(completions, ignore_conflicts=True)


def completion_record_on_append(
    sender: Any, instance: AuditEntry, created: bool, **kwargs: Any
) -> None:
    if created:
        completion_record(instance)


@transaction.atomic
def training_record_sync(user: User) -> int:
    """Tick what the person's audit entries in their practice space earn but the record
    lacks (entries from before the record existed); returns how many items were ticked."""
    before = TrainingCompletion.objects.filter(user=user).count()
    entries = AuditEntry.objects.filter(actor=user, action__in=ACTIONS).order_by("sequence")
    for entry in entries.iterator(chunk_size=500):
        completion_record(entry)
    return TrainingCompletion.objects.filter(user=user).count() - before


def training_record_exported(
    *,
    actor: User,
    export: str,
    people: int,
    unit: OrgUnit | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Audit a download of training records (personal data leaves the product)."""
    audit_log(
        action="accounts.training.exported",
        actor=actor,
        request=request,
        unit=unit,
        data={"format": export, "people": people},
    )


def audit_log_exported(
    *, actor: User, export: str, unit: OrgUnit | None, request: HttpRequest | None = None
) -> None:
    """Audit a download of the audit log."""
    audit_log(
        action="accounts.audit.exported",
        actor=actor,
        request=request,
        unit=unit,
        data={"format": export},
    )


def audit_log_first_read(*, actor: User, request: HttpRequest | None = None) -> None:
    """Record the first time a person reads the audit log (the auditor's checklist item);
    later readings are not recorded: the log would fill with itself."""
    if TrainingCompletion.objects.filter(user=actor, item=READ_AUDIT_LOG).exists():
        return
    # In practice mode the auditor reads their practice space's log: filed there.
    unit = practice_unit_in_force(actor) or user_home_unit(actor)
    audit_log(action="accounts.audit.viewed", actor=actor, request=request, unit=unit)
