"""Celery tasks of the publishing engine: thin, by id, idempotent (the claim decides)."""

from __future__ import annotations

from celery import shared_task

from channels_app.adapters.errors import TransientError
from editorial.publishing.engine import variant_delete_on_platform
from editorial.publishing.engine import variant_publish
from editorial.publishing.engine import variants_dispatch_due


@shared_task(ignore_result=True)
def dispatch_due_variants() -> int:
    return variants_dispatch_due()


@shared_task(ignore_result=True, acks_late=True)
def publish_variant(variant_id: int, not_before: float | None = None) -> str:
    return variant_publish(variant_id, not_before=not_before)


@shared_task(
    ignore_result=True,
    autoretry_for=(TransientError,),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=8,
)
def delete_variant_on_platform(variant_id: int) -> str:
    return variant_delete_on_platform(variant_id)
