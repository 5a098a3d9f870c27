"""Background work of the editorial area. Tasks are thin: they take ids (or nothing), call a
service and return."""

from __future__ import annotations

from celery import shared_task

from editorial.post_templates.recurrence import recurrence_extend_all


@shared_task
def extend_recurring_series() -> int:
    """Periodic: keep every running series' occurrences created up to the horizon, and carry
    the first post's approval to identical occurrences. Idempotent; returns posts created."""
    return recurrence_extend_all()
