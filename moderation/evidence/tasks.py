"""Background work of the evidence records."""

from __future__ import annotations

from celery import shared_task

from moderation.evidence.services import evidence_remind_prosecution_deadlines


@shared_task(name="moderation.evidence.tasks.remind_prosecution_deadlines")
def remind_prosecution_deadlines() -> int:
    """Beat, hourly: remind once, 14 days before the deadline for a request to prosecute."""
    return evidence_remind_prosecution_deadlines()
