"""Writes of the evidence records: secure an item before anything is removed, export it for
a criminal complaint, mark it criminally relevant, record that a complaint was filed, remind
of the deadline for a request to prosecute, and release the legal hold.

**Deadline (§ 77b StGB).** Offences prosecuted only on request (insult, §§ 185 ff. StGB,
among them) need the request within three months; the period starts at the end of the day
on which the person entitled learned of the act and of the offender. We take the day the
item is marked criminally relevant as that day, or an earlier day staff enter
(``known_since``), and count three calendar months from it: the deadline is the day of the
third month with the same number, or the month's last day where there is none (31 January
→ 30 April). That is the last day on which the request may be filed. A reminder goes to the
community managers of the handling unit 14 days before, once."""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.audit import audit_snapshot
from accounts.audited import save_audited
from accounts.errors import DomainError
from accounts.errors import ErrorCode
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.notifications import notify
from moderation.common.permissions import channels_for_moderating
from moderation.common.selectors import moderation_settings_for
from moderation.evidence.content import BERLIN
from moderation.evidence.content import FORMAT
from moderation.evidence.content import HASH_RULE
from moderation.evidence.content import content_hash
from moderation.evidence.content import evidence_content
from moderation.evidence.pdf import evidence_pdf
from moderation.evidence.permissions import user_may_handle_evidence
from moderation.evidence.selectors import evidence_due_for_reminder
from moderation.evidence.selectors import evidence_hash_matches
from moderation.evidence.selectors import evidence_is_on_legal_hold
from moderation.models import EvidenceRecord
from moderation.models import InboxItem

PROSECUTION_MONTHS = 3


class EvidenceStateError(DomainError):
    code = ErrorCode.INVALID_TRANSITION


def _snapshot(record: EvidenceRecord) -> dict[str, Any]:
    return audit_snapshot(
        record,
        "criminal_relevant",
        "criminal_unit",
        "prosecution_deadline",
        "complaint_filed_at",
        "retain_until",
        "legal_hold_released_at",
        "legal_hold_released_by",
    )


def _audit_change(
    action: str,
    record: EvidenceRecord,
    *,
    actor: User,
    request: HttpRequest | None,
    before: dict[str, Any],
    data: dict[str, Any],
) -> None:
    """A change of the record's handling, with its state before and after."""
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=record,
        unit=record.channel.unit,
        before=before,
        after=_snapshot(record),
        data=data,
    )


def _today() -> date:
    return timezone.localdate(timezone=BERLIN)


@transaction.atomic
def evidence_record(
    *, actor: User, item: InboxItem, request: HttpRequest | None = None
) -> EvidenceRecord:
    """Freeze everything about the item (see ``moderation.evidence.content``) with its hash.
    Callers that remove the item afterwards call the platform only after this transaction
    committed, so the record exists whatever happens at the platform."""
    if not channels_for_moderating(actor).filter(pk=item.channel_id).exists():
        raise PermissionDenied
    if item.erased_at is not None:
        raise EvidenceStateError(
            _("The author's data of this item has been erased: there is nothing to secure.")
        )
    item = (
        InboxItem.objects.select_related(
            "channel__unit", "author", "variant__post", "parent__author", "parent__parent"
        )
        .prefetch_related("revisions", "flags")
        .get(pk=item.pk)
    )
    now = timezone.now()
    content = evidence_content(item, actor=actor, recorded_at=now)
    settings = moderation_settings_for(item.channel.unit)
    record = EvidenceRecord(
        item=item,
        channel=item.channel,
        author_remote_id=item.author.remote_id,
        content=content,
        sha256=content_hash(content),
        created_at=now,
        created_by=actor,
        retain_until=_today() + timedelta(days=settings.evidence_retention_days),
    )
    return save_audited(
        record,
        action="moderation.evidence.recorded",
        actor=actor,
        request=request,
        unit=item.channel.unit,
        # The hash, not the content: the audit log is never erased, personal data must be.
        data={"item": item.pk, "sha256": record.sha256, "retain_until": str(record.retain_until)},
    )


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str


def evidence_package(record: EvidenceRecord) -> dict[str, Any]:
    """The JSON evidence package: the record's facts, the hash with how to recompute it,
    and the content exactly as secured."""
    return {
        "package": "sprachrohr-evidence-package/1",
        "record": {
            "id": record.pk,
            "created_at": record.created_at.isoformat(),
            "created_at_europe_berlin": record.created_at.astimezone(BERLIN).isoformat(),
            "created_by": str(record.created_by),
            "retain_until": record.retain_until.isoformat(),
            "criminal_relevant": record.criminal_relevant,
            "criminal_unit": record.criminal_unit.name if record.criminal_unit else None,
            "prosecution_deadline": record.prosecution_deadline.isoformat()
            if record.prosecution_deadline
            else None,
            "complaint_filed_at": record.complaint_filed_at.isoformat()
            if record.complaint_filed_at
            else None,
        },
        "hash": {
            "algorithm": "SHA-256",
            "of": "content",
            "canonicalisation": HASH_RULE,
            "value": record.sha256,
            "matches_at_export": evidence_hash_matches(record),
        },
        "format": FORMAT,
        "content": record.content,
    }


@transaction.atomic
def evidence_export(
    *, actor: User, record: EvidenceRecord, kind: str, request: HttpRequest | None = None
) -> ExportFile:
    """The record as a PDF (``kind="pdf"``) or JSON package (``"json"``); audited."""
    if not user_may_handle_evidence(actor, record):
        raise PermissionDenied
    if kind == "pdf":
        export = ExportFile(
            evidence_pdf(record, hash_matches=evidence_hash_matches(record)),
            f"beweissicherung-{record.pk}.pdf",
            "application/pdf",
        )
    elif kind == "json":
        body = json.dumps(evidence_package(record), ensure_ascii=False, indent=2, sort_keys=True)
        export = ExportFile(
            body.encode("utf-8"),
            f"beweissicherung-{record.pk}.json",
            "application/json; charset=utf-8",
        )
    else:
        raise ValidationError(_("Unknown export format."))
    audit_log(
        action="moderation.evidence.exported",
        actor=actor,
        request=request,
        target=record,
        unit=record.channel.unit,
        data={"format": kind, "sha256": record.sha256},
    )
    return export


def prosecution_deadline_for(known_since: date) -> date:
    """Three calendar months after ``known_since``: the same day number, or the month's
    last day where the month is shorter."""
    months = known_since.month - 1 + PROSECUTION_MONTHS
    year, month = known_since.year + months // 12, months % 12 + 1
    return known_since.replace(
        year=year, month=month, day=min(known_since.day, calendar.monthrange(year, month)[1])
    )


def _locked(record: EvidenceRecord) -> EvidenceRecord:
    return (
        EvidenceRecord.objects.select_for_update(of=("self",))
        .select_related("channel__unit", "criminal_unit")
        .get(pk=record.pk)
    )


@transaction.atomic
def evidence_mark_criminal(
    *,
    actor: User,
    record: EvidenceRecord,
    known_since: date | None = None,
    request: HttpRequest | None = None,
) -> EvidenceRecord:
    """Hand the record to the unit handling criminally relevant items (the unit's setting,
    else the item's own unit) with the deadline for a request to prosecute (module
    docstring). The record is kept at least until that deadline."""
    caller_copy = record
    record = _locked(record)
    if not user_may_handle_evidence(actor, record):
        raise PermissionDenied
    if record.criminal_relevant:
        raise EvidenceStateError(_("This record is already marked criminally relevant."))
    today = _today()
    known_since = known_since or today
    if known_since > today:
        raise ValidationError({"known_since": _("The day of knowledge cannot be in the future.")})
    before = _snapshot(record)
    unit: OrgUnit = (
        moderation_settings_for(record.channel.unit).criminal_unit or record.channel.unit
    )
    record.criminal_relevant = True
    record.criminal_unit = unit
    record.prosecution_deadline = prosecution_deadline_for(known_since)
    record.retain_until = max(record.retain_until, record.prosecution_deadline)
    record.full_clean()
    record.save(
        update_fields=["criminal_relevant", "criminal_unit", "prosecution_deadline", "retain_until"]
    )
    if record.item_id is not None:
        InboxItem.objects.filter(pk=record.item_id, criminal_relevant_at__isnull=True).update(
            criminal_relevant_at=timezone.now()
        )
    _audit_change(
        "moderation.evidence.criminal_marked",
        record,
        actor=actor,
        request=request,
        before=before,
        data={"known_since": known_since.isoformat()},
    )
    caller_copy.refresh_from_db()
    return record


@transaction.atomic
def evidence_complaint_filed(
    *,
    actor: User,
    record: EvidenceRecord,
    reference: str = "",
    request: HttpRequest | None = None,
) -> EvidenceRecord:
    """Record that the complaint (with the request to prosecute) was filed: the reminder
    stops. ``reference`` is the police or prosecutor's file number, if known."""
    record = _locked(record)
    if not user_may_handle_evidence(actor, record):
        raise PermissionDenied
    if not record.criminal_relevant:
        raise EvidenceStateError(_("Mark the record criminally relevant first."))
    if record.complaint_filed_at is not None:
        raise EvidenceStateError(_("The complaint is already recorded as filed."))
    before = _snapshot(record)
    record.complaint_filed_at = timezone.now()
    record.save(update_fields=["complaint_filed_at"])
    _audit_change(
        "moderation.evidence.complaint_filed",
        record,
        actor=actor,
        request=request,
        before=before,
        data={"reference": reference.strip()[:200]},
    )
    return record


@transaction.atomic
def evidence_release_legal_hold(
    *,
    actor: User,
    record: EvidenceRecord,
    reason: str,
    request: HttpRequest | None = None,
) -> EvidenceRecord:
    """End the legal hold (e.g. the proceedings are closed, or no complaint will be filed):
    a community manager of the channel's unit or of the handling unit, with the reason;
    audited. From then on the record is kept until ``retain_until`` like any other (which
    marking it moved out to at least the prosecution deadline), and no deadline reminder
    goes out."""
    record = _locked(record)
    if not user_may_handle_evidence(actor, record):
        raise PermissionDenied
    if not evidence_is_on_legal_hold(record, _today()):
        raise EvidenceStateError(_("This record is not on a legal hold."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the legal hold ends.")})
    before = _snapshot(record)
    record.legal_hold_released_at = timezone.now()
    record.legal_hold_released_by = actor
    record.legal_hold_release_reason = reason
    record.full_clean()
    record.save(
        update_fields=[
            "legal_hold_released_at",
            "legal_hold_released_by",
            "legal_hold_release_reason",
        ]
    )
    _audit_change(
        "moderation.evidence.legal_hold_released",
        record,
        actor=actor,
        request=request,
        before=before,
        data={"reason": reason, "retain_until": record.retain_until.isoformat()},
    )
    return record


def _community_managers_of(unit: OrgUnit) -> QuerySet[User]:
    """Community managers of the unit or of a unit above it (their role covers it)."""
    return User.objects.filter(
        is_active=True,
        role_assignments__unit_id__in=unit.ancestor_ids,
        role_assignments__role=Role.COMMUNITY_MANAGER,
    ).distinct()


def evidence_remind_prosecution_deadlines(today: date | None = None) -> int:
    """Send each due reminder once (claimed by a conditional update, so two workers never
    both send it). Returns how many went out."""
    today = today or _today()
    sent = 0
    for record_id in list(evidence_due_for_reminder(today).values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = EvidenceRecord.objects.filter(
                pk=record_id, reminder_sent_at__isnull=True, complaint_filed_at__isnull=True
            ).update(reminder_sent_at=timezone.now())
            if not claimed:
                continue
            record = EvidenceRecord.objects.select_related("criminal_unit", "channel__unit").get(
                pk=record_id
            )
            unit = record.criminal_unit or record.channel.unit
            assert record.prosecution_deadline is not None
            notify(
                recipients=_community_managers_of(unit),
                kind="moderation.prosecution_deadline",
                context={
                    "record": record.pk,
                    "deadline": record.prosecution_deadline.isoformat(),
                    "days_left": (record.prosecution_deadline - today).days,
                    "channel": record.channel.name,
                },
                link=f"/moderation/evidence/{record.pk}/",
                unit=unit,
            )
            sent += 1
    return sent
