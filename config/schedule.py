"""Celery routes and beat entries as the settings declare them: each queue named once with
the tasks it takes, each periodic task in one call."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery.schedules import crontab


def routes(queue: str, *tasks: str) -> dict[str, dict[str, str]]:
    """``CELERY_TASK_ROUTES`` entries sending each of ``tasks`` to ``queue``."""
    return {task: {"queue": queue} for task in tasks}


def periodic(
    task: str,
    schedule: timedelta | crontab,
    *,
    args: tuple[Any, ...] | None = None,
    until_next: bool = False,
    **options: Any,
) -> dict[str, Any]:
    """A ``CELERY_BEAT_SCHEDULE`` entry; ``options`` are the message's (``expires``, ``queue``).

    ``until_next``: the message expires a second before beat sends the next one. For a task
    that looks for due work a look that waited that long is stale (the next does its work),
    and a worker that was down does not come back to a pile of them."""
    if until_next:
        if not isinstance(schedule, timedelta):
            raise TypeError("until_next needs a schedule in seconds (a timedelta)")
        options["expires"] = max(int(schedule.total_seconds()) - 1, 1)
    entry: dict[str, Any] = {"task": task, "schedule": schedule}
    if args is not None:
        entry["args"] = args
    if options:
        entry["options"] = options
    return entry
