"""Channel daily figures: read once per channel and day, empty where the platform gives
nothing, and a rate-limited channel catches up later the same day."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import time_machine

from analytics.metrics.services import channel_figure_fetch
from analytics.metrics.services import figures_dispatch_due
from analytics.models import ChannelAnalyticsSettings
from analytics.models import ChannelDailyFigure
from analytics.models import ChannelMetricsState
from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.errors import RateLimitedError
from channels_app.credentials import credentials_write
from channels_app.models import Channel
from channels_app.models import Platform
from tests.analytics.metrics.conftest import PUBLISHED_AT
from tests.analytics.metrics.conftest import FakePlatform
from tests.factories import ChannelFactory

DAY = date(2026, 3, 2)


def test_a_figure_is_read_once_a_day_with_empty_for_not_provided(
    channel: Channel, platform: FakePlatform
) -> None:
    platform.account = AccountMetrics(followers=120, posts=None)
    with time_machine.travel(PUBLISHED_AT, tick=False):
        assert channel_figure_fetch(channel_id=channel.pk, day=DAY)
        assert not channel_figure_fetch(channel_id=channel.pk, day=DAY)
    figure = ChannelDailyFigure.objects.get()
    assert (figure.day, figure.followers, figure.posts, figure.reach) == (DAY, 120, None, None)
    assert len(platform.calls) == 1


def test_dispatch_asks_connected_channels_without_todays_figure(
    channel: Channel, platform: FakePlatform
) -> None:
    credentials_write(channel, {"access_token": "x"})
    unconnected = ChannelFactory(platform=Platform.MASTODON, status=Channel.Status.ACTIVE)
    with time_machine.travel(PUBLISHED_AT, tick=False) as traveller:
        assert figures_dispatch_due() == [channel.pk]
        assert unconnected.pk not in figures_dispatch_due()
        channel_figure_fetch(channel_id=channel.pk, day=DAY)
        traveller.shift(timedelta(hours=1))
        assert figures_dispatch_due() == []  # today's is there


def test_a_rate_limited_channel_catches_up_the_same_day(
    channel: Channel, platform: FakePlatform
) -> None:
    credentials_write(channel, {"access_token": "x"})
    platform.error = RateLimitedError("Too many requests", status=429, retry_after=5400)
    with time_machine.travel(PUBLISHED_AT, tick=False) as traveller:
        [claimed] = figures_dispatch_due()
        assert not channel_figure_fetch(channel_id=claimed, day=DAY)
        traveller.shift(timedelta(hours=1))
        assert figures_dispatch_due() == []  # the platform asked for 90 minutes
        traveller.shift(timedelta(hours=1))
        platform.error = None
        assert figures_dispatch_due() == [channel.pk]
        assert channel_figure_fetch(channel_id=channel.pk, day=DAY)
    assert ChannelMetricsState.objects.get(channel=channel).failures == 0


def test_insights_off_leaves_the_reach_of_a_facebook_page_empty(
    db: None, platform: FakePlatform
) -> None:
    facebook = ChannelFactory(platform=Platform.FACEBOOK, status=Channel.Status.ACTIVE)
    ChannelAnalyticsSettings.objects.create(channel=facebook, insights_enabled=False)
    platform.account = AccountMetrics(followers=900, impressions=5000)
    channel_figure_fetch(channel_id=facebook.pk, day=DAY)
    figure = ChannelDailyFigure.objects.get()
    assert (figure.followers, figure.reach, figure.insights_off) == (900, None, True)
