"""Celery tasks of ingestion (queue ``ingest``): thin, by id, idempotent (the claim decides)."""

from __future__ import annotations

from celery import shared_task

from moderation.ingestion.services import cursors_dispatch_due
from moderation.ingestion.services import stream_ingest


@shared_task(ignore_result=True)
def dispatch_ingestion() -> int:
    """Beat, every 15 s: claim and queue every channel stream that is due."""
    return len(cursors_dispatch_due())


@shared_task(ignore_result=True, acks_late=True)
def ingest_stream(cursor_id: int) -> str:
    """Poll one claimed stream. Errors of the platform are recorded on the cursor and never
    raised (the dispatcher polls again when due); a message delivered twice finds the claim
    gone or taken over and stores nothing twice."""
    return stream_ingest(cursor_id=cursor_id)
