"""Celery tasks of the metrics feature (queue ``analytics``): thin, by id, idempotent."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from analytics.metrics.services import channel_figure_fetch
from analytics.metrics.services import channel_snapshots_fetch
from analytics.metrics.services import figures_dispatch_due
from analytics.metrics.services import snapshots_dispatch_due


@shared_task(ignore_result=True)
def dispatch_due_snapshots() -> int:
    """Beat, every few minutes: queue one fetch per channel with readings due."""
    return len(snapshots_dispatch_due())


@shared_task(ignore_result=True)
def dispatch_channel_figures() -> int:
    """Beat, hourly: queue one fetch per channel still without today's figure (once a day
    per channel; the hourly look catches up after a rate limit or an outage)."""
    return len(figures_dispatch_due())


@shared_task(ignore_result=True, acks_late=True)
def fetch_channel_snapshots(channel_id: int) -> int:
    """Platform errors are recorded as the channel's back-off and never raised: the
    readings stay due and the dispatcher queues the channel again when it may be asked."""
    return channel_snapshots_fetch(channel_id=channel_id)


@shared_task(ignore_result=True, acks_late=True)
def fetch_channel_figure(channel_id: int, day: str) -> bool:
    return channel_figure_fetch(channel_id=channel_id, day=date.fromisoformat(day))
