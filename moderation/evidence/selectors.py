"""Reads of the evidence records."""

from __future__ import annotations

from datetime import date, timedelta

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


def evidence_hash_matches(record: EvidenceRecord) -> bool:
    """Whether the stored content still gives the stored hash (nobody changed it)."""
    return content_hash(record.content) == record.sha256


def evidence_due_for_reminder(today: date) -> QuerySet[EvidenceRecord]:
    """Criminally relevant records without a filed complaint whose deadline for a request
    to prosecute is at most 14 days away and whose reminder has not gone out."""
    return EvidenceRecord.objects.filter(
        criminal_relevant=True,
        complaint_filed_at__isnull=True,
        reminder_sent_at__isnull=True,
        prosecution_deadline__lte=today + REMINDER_AHEAD,
    ).order_by("prosecution_deadline", "pk")
