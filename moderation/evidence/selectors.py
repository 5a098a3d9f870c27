"""Reads of the evidence records."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from django.db.models import Q
from django.db.models import QuerySet

from accounts.models import User
from moderation.evidence.content import content_hash
from moderation.evidence.permissions import readable_evidence
from moderation.models import EvidenceRecord

REMINDER_AHEAD = timedelta(days=14)


def evidence_records_for_user(user: User) -> QuerySet[EvidenceRecord]:
    """Records of the channels the user reads, and those handed to a unit they read."""
    return (
        EvidenceRecord.objects.filter(readable_evidence(user))
        .select_related("channel", "created_by", "criminal_unit")
        .distinct()
    )


def legal_hold(today: date) -> Q:
    """Records kept whatever their period or an erasure request says: criminally relevant
    while the deadline for a request to prosecute is open, or once a complaint was filed
    (the proceedings need them), until a person releases the hold."""
    return Q(criminal_relevant=True, legal_hold_released_at__isnull=True) & (
        Q(prosecution_deadline__gte=today) | Q(complaint_filed_at__isnull=False)
    )


def evidence_is_on_legal_hold(record: EvidenceRecord, today: date) -> bool:
    """``legal_hold`` for one record in memory (the detail page, the service's check)."""
    return (
        record.criminal_relevant
        and record.legal_hold_released_at is None
        and (
            record.complaint_filed_at is not None
            or (record.prosecution_deadline is not None and record.prosecution_deadline >= today)
        )
    )


def evidence_hash_matches(record: EvidenceRecord) -> bool:
    """Whether the stored content still gives the stored hash (nobody changed it)."""
    return content_hash(record.content) == record.sha256


def evidence_due_for_reminder(today: date) -> QuerySet[EvidenceRecord]:
    """Criminally relevant records without a filed complaint or a released hold whose
    deadline for a request to prosecute is at most 14 days away and whose reminder has not
    gone out."""
    return EvidenceRecord.objects.filter(
        criminal_relevant=True,
        complaint_filed_at__isnull=True,
        reminder_sent_at__isnull=True,
        # A released hold: the authority decided not to pursue it.
        legal_hold_released_at__isnull=True,
        prosecution_deadline__lte=today + REMINDER_AHEAD,
    ).order_by("prosecution_deadline", "pk")
