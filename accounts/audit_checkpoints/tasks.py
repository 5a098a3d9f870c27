from __future__ import annotations

from celery import shared_task

from accounts.audit_checkpoints.services import audit_checkpoint_write


@shared_task
def audit_checkpoint() -> int:
    """Daily (beat): sign the chain head, store it and e-mail it to the auditors."""
    return audit_checkpoint_write().pk
