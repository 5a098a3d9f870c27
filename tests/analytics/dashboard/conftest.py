"""Builders of the dashboard tests: published posts with a reading, channel figures per day.

The period is March 2026 (31 days); the previous period is the 31 days before it
(29 January to 28 February)."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

from analytics.dashboard.selectors import Period
from analytics.models import ChannelDailyFigure
from analytics.models import PostMetricSnapshot
from channels_app.models import Channel
from editorial.models import Post
from editorial.models import PostVariant
from editorial.models import Topic
from tests.editorial.factories import PostFactory

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
# A Tuesday, 10:00 in Berlin (CET, UTC+1).
IN_MARCH = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
IN_FEBRUARY = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)


def published(
    channels: list[Channel],
    at: datetime,
    *,
    title: str = "Sperrung der Rheinbrücke",
    topic: Topic | None = None,
    readings: dict[int, dict[str, Any]] | None = None,
) -> Post:
    """A post published on ``channels`` at ``at``; ``readings``: channel id -> the figures
    of its newest snapshot (none: not read yet)."""
    post = PostFactory(
        unit=channels[0].unit,
        title=title,
        topic=topic,
        status=Post.Status.PUBLISHED,
        channels=channels,
    )
    for variant in PostVariant.objects.filter(post=post):
        variant.status = PostVariant.Status.PUBLISHED
        variant.published_at = at
        variant.remote_id = f"r{variant.pk}"
        variant.save()
        figures = (readings or {}).get(variant.channel_id)
        if figures is not None:
            # An older reading as well: only the newest counts.
            PostMetricSnapshot.objects.create(
                variant=variant, channel_id=variant.channel_id, age_bucket=1, likes=1, reach=1
            )
            PostMetricSnapshot.objects.create(
                variant=variant, channel_id=variant.channel_id, age_bucket=24, **figures
            )
    return post


def figure(channel: Channel, day: date, **values: Any) -> ChannelDailyFigure:
    return ChannelDailyFigure.objects.create(channel=channel, day=day, **values)
