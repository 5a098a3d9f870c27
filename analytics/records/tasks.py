"""Celery tasks of the records export (queue ``analytics``): thin, by id, idempotent."""

from __future__ import annotations

from celery import shared_task

from analytics.records.services import records_export_build
from analytics.records.services import records_exports_delete_expired


@shared_task(ignore_result=True, acks_late=True)
def build_records_export(export_id: int) -> bool:
    """A second delivery (the broker's redelivery, a double click) finds the export claimed
    and does nothing."""
    return records_export_build(export_id=export_id)


@shared_task(ignore_result=True)
def delete_expired_records_exports() -> int:
    """Beat, daily: exports past ``RECORDS_EXPORT_RETENTION_DAYS`` are deleted."""
    return records_exports_delete_expired()
