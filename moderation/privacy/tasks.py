"""Periodic data protection work (beat: hourly)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from moderation.privacy.services import retention_apply


@shared_task(name="moderation.privacy.tasks.apply_retention")
def apply_retention() -> dict[str, Any]:
    """Erase commenters' data whose retention period passed (idempotent: a run that finds
    nothing changes nothing and writes no audit entry)."""
    return retention_apply()
