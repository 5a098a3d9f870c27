"""Post metric snapshots: when they are due, that re-runs write nothing twice, that a figure
the platform does not give stays empty, that a rate limit keeps the reading due, and that
Insights switched off are not asked for."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from analytics.metrics.selectors import bucket_due
from analytics.metrics.selectors import snapshots_due
from analytics.metrics.services import channel_snapshots_fetch
from analytics.metrics.services import snapshots_dispatch_due
from analytics.models import ChannelAnalyticsSettings
from analytics.models import ChannelMetricsState
from analytics.models import PostMetricSnapshot
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import TransientError
from channels_app.models import Channel
from channels_app.models import Platform
from tests.analytics.metrics.conftest import PUBLISHED_AT
from tests.analytics.metrics.conftest import FakePlatform
from tests.analytics.metrics.conftest import published_variant
from tests.factories import ChannelFactory

H = timedelta(hours=1)
D = timedelta(days=1)


@pytest.mark.parametrize(
    ("age", "bucket"),
    [
        (59 * timedelta(minutes=1), None),
        (H, 1),
        (23 * H, 1),
        (D, 24),
        (6 * D + 23 * H, 24),  # the 24-hour reading may still be taken late …
        (7 * D, 168),  # … until the 7-day one has come
        (8 * D + 2 * H, 192),
        (30 * D, 720),
        (30 * D + 23 * H, 720),
        (31 * D, None),
    ],
)
def test_bucket_due_by_age(age: timedelta, bucket: int | None) -> None:
    assert bucket_due(PUBLISHED_AT, PUBLISHED_AT + age) == bucket


def test_readings_fall_due_at_1h_24h_7d_then_daily(
    channel: Channel, platform: FakePlatform
) -> None:
    variant = published_variant(channel)
    taken = []
    with time_machine.travel(PUBLISHED_AT, tick=False) as traveller:
        for hours in range(0, 32 * 24):
            traveller.move_to(PUBLISHED_AT + hours * H + timedelta(minutes=10))
            if snapshots_due(channel_ids=[channel.pk]):
                channel_snapshots_fetch(channel_id=channel.pk)
                taken.append(hours)
    buckets = list(
        PostMetricSnapshot.objects.filter(variant=variant).values_list("age_bucket", flat=True)
    )
    assert buckets == [1, 24, *(day * 24 for day in range(7, 31))]
    assert taken == buckets  # each read in the hour it came due


def test_a_reading_missed_for_a_whole_step_is_skipped(
    channel: Channel, platform: FakePlatform
) -> None:
    variant = published_variant(channel)
    # The workers were down from the first hour to the third day: the 1-hour reading is
    # not taken at day 3 (it would claim an age it was not read at); the 24-hour one is.
    with time_machine.travel(PUBLISHED_AT + 3 * D, tick=False):
        [due] = snapshots_due()
        assert due.age_bucket == 24
        channel_snapshots_fetch(channel_id=channel.pk)
    assert list(variant.metric_snapshots.values_list("age_bucket", flat=True)) == [24]


def test_fetching_again_writes_nothing_twice(channel: Channel, platform: FakePlatform) -> None:
    published_variant(channel, "a")
    published_variant(channel, "b")
    with time_machine.travel(PUBLISHED_AT + 2 * H, tick=False):
        assert channel_snapshots_fetch(channel_id=channel.pk) == 2
        assert channel_snapshots_fetch(channel_id=channel.pk) == 0
        assert snapshots_dispatch_due() == []
    assert PostMetricSnapshot.objects.count() == 2
    assert platform.calls == [{"ids": ["a", "b"], "insights": True}]  # one call per batch


def test_a_message_delivered_twice_stores_one_snapshot(
    channel: Channel, platform: FakePlatform
) -> None:
    published_variant(channel)
    with time_machine.travel(PUBLISHED_AT + 2 * H, tick=False):
        due = snapshots_due()
        channel_snapshots_fetch(channel_id=channel.pk)
        # A second worker that computed the same due list before the first one wrote.
        from analytics.metrics import services

        rows = [services._snapshot(item, None, False, PUBLISHED_AT) for item in due]
        PostMetricSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
    assert PostMetricSnapshot.objects.count() == 1


def test_figures_the_platform_does_not_give_stay_empty(
    channel: Channel, platform: FakePlatform
) -> None:
    variant = published_variant(channel)
    with time_machine.travel(PUBLISHED_AT + 2 * H, tick=False):
        channel_snapshots_fetch(channel_id=channel.pk)
    snapshot = PostMetricSnapshot.objects.get(variant=variant)
    assert (snapshot.likes, snapshot.shares, snapshot.comments) == (3, 1, 0)  # 0 is a figure
    assert (snapshot.impressions, snapshot.reach, snapshot.clicks, snapshot.video_views) == (
        None,
        None,
        None,
        None,
    )
    assert snapshot.raw["likes"] == 3 and snapshot.raw["impressions"] is None


def test_a_post_the_platform_no_longer_returns_is_read_as_nothing_provided(
    channel: Channel, platform: FakePlatform
) -> None:
    variant = published_variant(channel)
    platform.post_metrics = lambda ids: []
    with time_machine.travel(PUBLISHED_AT + 2 * H, tick=False):
        channel_snapshots_fetch(channel_id=channel.pk)
        assert snapshots_due() == []  # not asked for again before its next age
    snapshot = PostMetricSnapshot.objects.get(variant=variant)
    assert snapshot.likes is None and snapshot.raw == {"not_returned": True}


def test_a_rate_limit_keeps_the_reading_due_until_the_platform_allows(
    channel: Channel, platform: FakePlatform
) -> None:
    published_variant(channel)
    platform.error = RateLimitedError("Too many requests", status=429, retry_after=1800)
    start = PUBLISHED_AT + 2 * H
    with time_machine.travel(start, tick=False) as traveller:
        assert snapshots_dispatch_due() == [channel.pk]
        assert channel_snapshots_fetch(channel_id=channel.pk) == 0
        state = ChannelMetricsState.objects.get(channel=channel)
        assert state.not_before == start + timedelta(seconds=1800)
        assert state.failures == 1 and "Too many" in state.last_error

        traveller.shift(timedelta(minutes=20))
        assert snapshots_due() != []  # still due …
        assert snapshots_dispatch_due() == []  # … but the platform is not asked yet
        assert channel_snapshots_fetch(channel_id=channel.pk) == 0  # nor by a stray message
        assert len(platform.calls) == 1

        traveller.shift(timedelta(minutes=11))
        platform.error = None
        assert snapshots_dispatch_due() == [channel.pk]
        assert channel_snapshots_fetch(channel_id=channel.pk) == 1
    state.refresh_from_db()
    assert (state.not_before, state.failures, state.last_error) == (None, 0, "")
    assert PostMetricSnapshot.objects.get().age_bucket == 1  # the 1-hour reading, late


def test_other_errors_back_off_doubling(channel: Channel, platform: FakePlatform) -> None:
    published_variant(channel)
    platform.error = TransientError("Server error", status=503)
    now = PUBLISHED_AT + 2 * H
    with time_machine.travel(now, tick=False) as traveller:
        channel_snapshots_fetch(channel_id=channel.pk)
        first = ChannelMetricsState.objects.get(channel=channel).not_before
        traveller.move_to(first)
        channel_snapshots_fetch(channel_id=channel.pk)
        second = ChannelMetricsState.objects.get(channel=channel).not_before
    assert first is not None and second is not None
    assert first - now == timedelta(minutes=10) and second - first == timedelta(minutes=20)


def test_dispatch_queues_a_channel_once_until_it_ran(
    channel: Channel, platform: FakePlatform
) -> None:
    published_variant(channel)
    paused = ChannelFactory(platform=Platform.MASTODON, status=Channel.Status.PAUSED)
    published_variant(paused, "paused")
    telegram = ChannelFactory(platform=Platform.TELEGRAM, status=Channel.Status.ACTIVE)
    published_variant(telegram, "tg")  # the Bot API gives no post figures
    with time_machine.travel(PUBLISHED_AT + 2 * H, tick=False) as traveller:
        assert snapshots_dispatch_due() == [channel.pk]
        assert snapshots_dispatch_due() == []  # queued, not yet run
        traveller.shift(timedelta(minutes=31))  # the broker may have lost it: again
        assert snapshots_dispatch_due() == [channel.pk]


def test_insights_switched_off_are_not_asked_for(db: None, platform: FakePlatform) -> None:
    facebook = ChannelFactory(platform=Platform.FACEBOOK, status=Channel.Status.ACTIVE)
    ChannelAnalyticsSettings.objects.create(channel=facebook, insights_enabled=False)
    mastodon = ChannelFactory(platform=Platform.MASTODON, status=Channel.Status.ACTIVE)
    ChannelAnalyticsSettings.objects.create(channel=mastodon, insights_enabled=False)
    published_variant(facebook, "fb")
    published_variant(mastodon, "md")
    with time_machine.travel(PUBLISHED_AT + 2 * H, tick=False):
        channel_snapshots_fetch(channel_id=facebook.pk)
        channel_snapshots_fetch(channel_id=mastodon.pk)
    assert platform.calls == [
        {"ids": ["fb"], "insights": False},
        {"ids": ["md"], "insights": True},  # Mastodon has no Insights to switch off
    ]
    snapshots = dict(PostMetricSnapshot.objects.values_list("channel_id", "insights_off"))
    assert snapshots == {facebook.pk: True, mastodon.pk: False}


def test_query_count_of_due_readings_does_not_grow_with_posts(
    channel: Channel, django_assert_num_queries
) -> None:
    for n in range(20):
        published_variant(channel, f"p{n}")
    with (
        time_machine.travel(PUBLISHED_AT + 2 * H, tick=False),
        django_assert_num_queries(1),
    ):
        assert len(snapshots_due()) == 20
