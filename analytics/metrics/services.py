"""Writes of the metrics feature: reading figures from the platforms, and the Insights switch.

Fetching is idempotent: a snapshot is unique per variant and age bucket, a daily figure per
channel and day, and rows are inserted with ``ignore_conflicts`` (a message delivered twice
writes nothing twice). A platform error never loses the schedule: nothing is written, the
channel is left alone until its back-off (a rate limit's retry-after) has passed, and the
readings are due again on the next dispatch.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date
from datetime import datetime
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from accounts.audited import save_audited
from accounts.models import User
from analytics.metrics.selectors import INSIGHTS_PLATFORMS
from analytics.metrics.selectors import DueSnapshot
from analytics.metrics.selectors import channel_backed_off
from analytics.metrics.selectors import channels_missing_figure
from analytics.metrics.selectors import insights_enabled
from analytics.metrics.selectors import snapshots_due
from analytics.models import POST_METRIC_FIELDS
from analytics.models import ChannelAnalyticsSettings
from analytics.models import ChannelDailyFigure
from analytics.models import ChannelMetricsState
from analytics.models import PostMetricSnapshot
from channels_app.adapters.base import PostMetrics
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.models import Channel
from channels_app.services import channel_fetch_account_metrics
from channels_app.services import channel_fetch_post_metrics

logger = logging.getLogger(__name__)

# Ids per platform call: the adapters split larger lists themselves where their API takes
# fewer (Bluesky 25, YouTube 50, X 100); one batch per call keeps a rate limit's damage small.
BATCH_SIZE = 100
# A channel put on the queue is not put there again for this long (the broker may lose it).
REQUEUE_AFTER = timedelta(minutes=30)
# Back-off after an error without retry-after: doubled per failure, capped.
BACKOFF_BASE = timedelta(minutes=10)
BACKOFF_MAX = timedelta(hours=6)
# A platform that does not offer an operation is asked again only the next day.
NOT_SUPPORTED_BACKOFF = timedelta(days=1)


# --- Dispatch (beat) ------------------------------------------------------------------------


def _claim(channel_ids: list[int], field: str, now: datetime) -> list[int]:
    """Mark the channels queued (``field``) unless backed off or queued recently; the rows
    are locked with SKIP LOCKED, so two dispatchers claim disjoint sets."""
    for channel_id in channel_ids:
        ChannelMetricsState.objects.get_or_create(channel_id=channel_id)
    stale = now - REQUEUE_AFTER
    claimed = list(
        ChannelMetricsState.objects.select_for_update(skip_locked=True)
        .filter(channel_id__in=channel_ids)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .filter(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": stale}))
        .order_by("channel_id")
        .values_list("channel_id", flat=True)
    )
    ChannelMetricsState.objects.filter(channel_id__in=claimed).update(**{field: now})
    return claimed


def snapshots_dispatch_due(*, now: datetime | None = None) -> list[int]:
    """Queue one ``fetch_channel_snapshots`` per channel that has readings due."""
    from analytics.metrics.tasks import fetch_channel_snapshots  # tasks import this module

    now = now or timezone.now()
    channel_ids = sorted({item.channel_id for item in snapshots_due(now=now)})
    with transaction.atomic():
        claimed = _claim(channel_ids, "snapshots_queued_at", now)
        for channel_id in claimed:
            transaction.on_commit(partial(fetch_channel_snapshots.delay, channel_id))
    return claimed


def figures_dispatch_due(*, now: datetime | None = None) -> list[int]:
    """Queue one ``fetch_channel_figure`` per channel without today's figure."""
    from analytics.metrics.tasks import fetch_channel_figure

    now = now or timezone.now()
    day = timezone.localdate(now)
    channel_ids = list(channels_missing_figure(day).values_list("pk", flat=True))
    with transaction.atomic():
        claimed = _claim(channel_ids, "figures_queued_at", now)
        for channel_id in claimed:
            transaction.on_commit(partial(fetch_channel_figure.delay, channel_id, day.isoformat()))
    return claimed


# --- Fetching -------------------------------------------------------------------------------


def _state(channel: Channel) -> ChannelMetricsState:
    state, _created = ChannelMetricsState.objects.get_or_create(channel=channel)
    return state


def _back_off(state: ChannelMetricsState, error: PlatformError, now: datetime) -> None:
    """Leave the channel alone for a while: as long as the platform asked (retry-after), else
    doubling per failure. The readings stay due: nothing was written."""
    retry_after = getattr(error, "retry_after", None)
    if isinstance(error, NotSupportedError):
        delay = NOT_SUPPORTED_BACKOFF
    elif isinstance(error, RateLimitedError) and retry_after:
        delay = timedelta(seconds=float(retry_after))
    else:
        delay = min(BACKOFF_BASE * 2 ** min(state.failures, 10), BACKOFF_MAX)
    state.not_before = now + delay
    state.failures = min(state.failures + 1, 1000)
    state.last_error = error.message[:2000]
    state.save(update_fields=["not_before", "failures", "last_error"])
    logger.info("Metrics of channel %s backed off for %s: %s", state.channel_id, delay, error)


def _succeeded(state: ChannelMetricsState, now: datetime) -> None:
    state.not_before, state.failures, state.last_error = None, 0, ""
    state.last_success_at = now
    state.save(update_fields=["not_before", "failures", "last_error", "last_success_at"])


def _snapshot(
    item: DueSnapshot, metrics: PostMetrics | None, insights_off: bool, now: datetime
) -> PostMetricSnapshot:
    values: dict[str, Any] = {name: None for name in POST_METRIC_FIELDS}
    if metrics is not None:
        values.update({name: getattr(metrics, name) for name in POST_METRIC_FIELDS})
    # A post the platform no longer returns (deleted there) is read as "nothing provided",
    # so that it is not asked for again and again until its next age.
    raw = asdict(metrics) if metrics is not None else {"not_returned": True}
    return PostMetricSnapshot(
        variant_id=item.variant_id,
        channel_id=item.channel_id,
        age_bucket=item.age_bucket,
        taken_at=now,
        insights_off=insights_off,
        raw=raw,
        **values,
    )


def channel_snapshots_fetch(*, channel_id: int, now: datetime | None = None) -> int:
    """Read every due snapshot of one channel, a batch per platform call; returns how many
    readings were stored (a reading another run stored first is skipped). Stops at the
    first platform error: the rest stay due."""
    now = now or timezone.now()
    channel = Channel.objects.select_related("unit").get(pk=channel_id)
    state = _state(channel)
    ChannelMetricsState.objects.filter(pk=state.pk).update(snapshots_queued_at=None)
    if channel_backed_off(state, now):
        return 0
    due = snapshots_due(now=now, channel_ids=[channel.pk])
    insights = insights_enabled(channel)
    insights_off = channel.platform in INSIGHTS_PLATFORMS and not insights
    written = 0
    for start in range(0, len(due), BATCH_SIZE):
        batch = due[start : start + BATCH_SIZE]
        try:
            metrics = channel_fetch_post_metrics(
                channel, [item.remote_id for item in batch], insights=insights
            )
        except PlatformError as error:
            _back_off(state, error, now)
            return written
        by_id = {m.remote_id: m for m in metrics}
        rows = [_snapshot(item, by_id.get(item.remote_id), insights_off, now) for item in batch]
        written += len(PostMetricSnapshot.objects.bulk_create(rows, ignore_conflicts=True))
    _succeeded(state, now)
    return written


def channel_figure_fetch(*, channel_id: int, day: date, now: datetime | None = None) -> bool:
    """Read the channel's figures for ``day`` once (followers, the platform's post count,
    reach where it gives one). True when a figure was written."""
    now = now or timezone.now()
    channel = Channel.objects.select_related("unit").get(pk=channel_id)
    state = _state(channel)
    ChannelMetricsState.objects.filter(pk=state.pk).update(figures_queued_at=None)
    if channel_backed_off(state, now):
        return False
    if ChannelDailyFigure.objects.filter(channel=channel, day=day).exists():
        return False
    try:
        metrics = channel_fetch_account_metrics(channel)
    except PlatformError as error:
        _back_off(state, error, now)
        return False
    insights_off = channel.platform in INSIGHTS_PLATFORMS and not insights_enabled(channel)
    figure = ChannelDailyFigure(
        channel=channel,
        day=day,
        taken_at=now,
        followers=metrics.followers,
        posts=metrics.posts,
        # The account's impressions/views where the platform gives them (LinkedIn, Threads).
        reach=None if insights_off else metrics.impressions,
        insights_off=insights_off,
        raw=asdict(metrics),
    )
    # A second delivery of the same message that raced past the check above writes nothing.
    ChannelDailyFigure.objects.bulk_create([figure], ignore_conflicts=True)
    _succeeded(state, now)
    return True


# --- The Insights switch --------------------------------------------------------------------


@transaction.atomic
def channel_insights_set(
    *, actor: User, channel: Channel, enabled: bool, request: HttpRequest | None = None
) -> ChannelAnalyticsSettings:
    """Switch the platform's Insights on or off for a channel; audited when it changes.
    Figures already read are kept; new readings work with what remains."""
    row, _created = ChannelAnalyticsSettings.objects.select_for_update().get_or_create(
        channel=channel
    )
    if row.insights_enabled == enabled:
        return row
    before = {"insights_enabled": row.insights_enabled}
    row.insights_enabled = enabled
    row.updated_at = timezone.now()
    row.updated_by = actor
    return save_audited(
        row,
        action="analytics.metrics.insights_switched",
        actor=actor,
        request=request,
        unit=channel.unit,
        target=channel,
        before=before,
        after=lambda _row: {"insights_enabled": enabled},
    )
