"""Background work of the weekly formats: thin, calls the service."""

from __future__ import annotations

from celery import shared_task

from editorial.weekly_formats.services import weekly_formats_plan


@shared_task
def plan_weekly_formats() -> int:
    """Periodic: keep every running weekly format planned up to the horizon. Idempotent;
    returns the slots planned."""
    return weekly_formats_plan()
