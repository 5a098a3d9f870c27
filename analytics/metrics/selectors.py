"""Reads of the metrics feature: which readings are due, and what the Insights switch says.

A post's figures are read at fixed ages (``SNAPSHOT_BUCKETS``). A reading that was missed
(worker down, platform rate-limited) is taken late as long as the next age has not come;
after that only the newer one is due, so a snapshot never claims an age it was not read at
by more than one step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.db.models import Max
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import OrgUnit
from accounts.models import User
from analytics.metrics.permissions import unit_ids_for_reading_metrics
from analytics.models import POST_METRIC_FIELDS
from analytics.models import SNAPSHOT_BUCKETS
from analytics.models import ChannelAnalyticsSettings
from analytics.models import ChannelDailyFigure
from analytics.models import ChannelMetricsState
from analytics.models import PostMetricSnapshot
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.services import platform_capabilities
from editorial.models import Post
from editorial.models import PostVariant

# Platforms whose figures partly come from an "Insights" product that a channel may switch
# off (the fan-page rulings: joint controllership with Meta for page statistics).
INSIGHTS_PLATFORMS = frozenset({Platform.FACEBOOK, Platform.INSTAGRAM})
# Channels whose figures are fetched: working ones, and those with a passing error (the
# back-off decides when to try again); paused or disconnected channels are left alone.
FETCHING_STATUSES = (Channel.Status.ACTIVE, Channel.Status.ERROR)
# The last reading (30 days) is still taken up to a day late.
LAST_BUCKET_GRACE_HOURS = 24


def bucket_due(published_at: datetime, now: datetime) -> int | None:
    """The age bucket (hours) whose reading is due for a post published at
    ``published_at``: the latest one that has come, while the next one has not. ``None``
    before the first hour and after the last reading's grace."""
    age = now - published_at
    due = None
    for index, bucket in enumerate(SNAPSHOT_BUCKETS):
        if age < timedelta(hours=bucket):
            break
        following = (
            SNAPSHOT_BUCKETS[index + 1]
            if index + 1 < len(SNAPSHOT_BUCKETS)
            else bucket + LAST_BUCKET_GRACE_HOURS
        )
        due = bucket if age < timedelta(hours=following) else None
    return due


@dataclass(frozen=True)
class DueSnapshot:
    variant_id: int
    channel_id: int
    remote_id: str
    age_bucket: int


def _published_within_window(now: datetime) -> QuerySet[PostVariant]:
    oldest = now - timedelta(hours=SNAPSHOT_BUCKETS[-1] + LAST_BUCKET_GRACE_HOURS)
    newest = now - timedelta(hours=SNAPSHOT_BUCKETS[0])
    return PostVariant.objects.filter(
        status=PostVariant.Status.PUBLISHED,
        published_at__gt=oldest,
        published_at__lte=newest,
    ).exclude(remote_id="")


def metric_platforms() -> list[str]:
    """Platforms whose adapter reads post metrics at all (Telegram's Bot API does not)."""
    return [value for value in Platform.values if platform_capabilities(value).post_metrics]


def snapshots_due(
    *, now: datetime | None = None, channel_ids: Iterable[int] | None = None
) -> list[DueSnapshot]:
    """Every reading due now, one per variant, oldest posts first. One query: the newest
    bucket already read is annotated, and a bucket is due when it is newer than that."""
    now = now or timezone.now()
    variants = _published_within_window(now).filter(
        channel__status__in=FETCHING_STATUSES, channel__platform__in=metric_platforms()
    )
    if channel_ids is not None:
        variants = variants.filter(channel_id__in=list(channel_ids))
    rows = (
        variants.annotate(last_bucket=Max("metric_snapshots__age_bucket"))
        .order_by("published_at", "pk")
        .values_list("pk", "channel_id", "remote_id", "published_at", "last_bucket")
    )
    due = []
    for variant_id, channel_id, remote_id, published_at, last_bucket in rows:
        bucket = bucket_due(published_at, now) if published_at is not None else None
        if bucket is not None and (last_bucket is None or bucket > last_bucket):
            due.append(DueSnapshot(variant_id, channel_id, remote_id, bucket))
    return due


def channels_with_due_snapshots(*, now: datetime | None = None) -> list[int]:
    return sorted({item.channel_id for item in snapshots_due(now=now)})


def channels_missing_figure(day: date) -> QuerySet[Channel]:
    """Fetching channels whose platform reads account figures and that have no figure for
    ``day`` yet."""
    platforms = [p for p in Platform.values if platform_capabilities(p).account_metrics]
    return (
        Channel.objects.filter(
            status__in=FETCHING_STATUSES, platform__in=platforms, credential__isnull=False
        )
        .exclude(pk__in=ChannelDailyFigure.objects.filter(day=day).values("channel_id"))
        .order_by("pk")
    )


def channel_backed_off(state: ChannelMetricsState | None, now: datetime) -> bool:
    return state is not None and state.not_before is not None and state.not_before > now


# --- The Insights switch -----------------------------------------------------------------


def insights_enabled(channel: Channel) -> bool:
    """Whether the channel's figures may come from the platform's Insights (always true for
    platforms without Insights; default true where no one switched it off)."""
    if channel.platform not in INSIGHTS_PLATFORMS:
        return True
    return not ChannelAnalyticsSettings.objects.filter(
        channel=channel, insights_enabled=False
    ).exists()


def channels_without_insights(channel_ids: Iterable[int]) -> list[Channel]:
    """Of these channels, those whose Insights are switched off, for the notice every
    analytics view shows ("figures for … without Insights: reach, impressions, … not
    available"). One query, whatever the number of channels."""
    return list(
        Channel.objects.filter(
            pk__in=list(channel_ids),
            platform__in=INSIGHTS_PLATFORMS,
            analytics_settings__insights_enabled=False,
        ).order_by("name")
    )


# --- A post's figures (reading them) ----------------------------------------------------------

# Variants that went out: published, or published and since deleted on the platform.
WENT_OUT = (PostVariant.Status.PUBLISHED, PostVariant.Status.REMOVED)


def not_provided_fields(snapshot: PostMetricSnapshot) -> list[str]:
    """The figures of a reading the platform did not provide (``None``, never a 0)."""
    return [name for name in POST_METRIC_FIELDS if getattr(snapshot, name) is None]


def latest_snapshots(variant_ids: Iterable[int]) -> dict[int, PostMetricSnapshot]:
    """Per variant its newest reading (the highest age), one query (``DISTINCT ON``)."""
    snapshots = (
        PostMetricSnapshot.objects.filter(variant_id__in=list(variant_ids))
        .order_by("variant_id", "-age_bucket")
        .distinct("variant_id")
    )
    return {snapshot.variant_id: snapshot for snapshot in snapshots}


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _readable_variants(user: User) -> QuerySet[PostVariant]:
    return PostVariant.objects.filter(
        status__in=WENT_OUT,
        published_at__isnull=False,
        channel__unit_id__in=unit_ids_for_reading_metrics(user),
    )


def posts_for_metrics(user: User) -> QuerySet[Post]:
    """Posts whose figures the user reads: of their units, or gone out on their channels."""
    readable = unit_ids_for_reading_metrics(user)
    return Post.objects.filter(
        Q(unit_id__in=readable) | Q(pk__in=_readable_variants(user).values("post_id"))
    ).distinct()


def post_variant_metrics(user: User, post: Post) -> list[PostVariant]:
    """The post's variants that went out on channels the user reads, each with every reading
    (``snapshots``, youngest age first): two queries."""
    return list(
        _readable_variants(user)
        .filter(post=post)
        .select_related("channel")
        .prefetch_related(
            Prefetch(
                "metric_snapshots",
                PostMetricSnapshot.objects.order_by("age_bucket"),
                to_attr="snapshots",
            )
        )
        .order_by("channel__name", "pk")
    )


def variants_with_metrics(
    user: User,
    *,
    unit: OrgUnit | None = None,
    channel: Channel | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[PostVariant]:
    """The variants that went out on channels the user reads, newest first: optionally of a
    unit's channels (with the units below it), one channel, published from ``since`` to
    ``until`` (Berlin days, inclusive). Their newest readings: ``latest_snapshots``."""
    variants = _readable_variants(user)
    if unit is not None:
        variants = variants.filter(channel__unit__path__startswith=unit.path)
    if channel is not None:
        variants = variants.filter(channel=channel)
    if since is not None:
        variants = variants.filter(published_at__gte=_day_start(since))
    if until is not None and until < date.max:
        variants = variants.filter(published_at__lt=_day_start(until + timedelta(days=1)))
    return variants.select_related("post", "channel").order_by("-published_at", "-pk")
