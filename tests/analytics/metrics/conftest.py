"""A published variant on a channel, and a stand-in for the platform's metrics calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest

from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.base import PostMetrics
from channels_app.models import Channel
from channels_app.models import Platform
from editorial.models import PostVariant
from tests.editorial.factories import PostFactory
from tests.factories import ChannelFactory

PUBLISHED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def published_variant(channel: Channel, remote_id: str = "p1") -> PostVariant:
    post = PostFactory(unit=channel.unit, channels=[channel])
    variant = PostVariant.objects.get(post=post)
    variant.status = PostVariant.Status.PUBLISHED
    variant.published_at = PUBLISHED_AT
    variant.remote_id = remote_id
    variant.save()
    return variant


@pytest.fixture
def channel(db: None) -> Channel:
    return ChannelFactory(platform=Platform.MASTODON, status=Channel.Status.ACTIVE)


@dataclass
class FakePlatform:
    """Answers ``channel_fetch_post_metrics``/``channel_fetch_account_metrics`` as told and
    records every call (the remote ids and the ``insights`` flag)."""

    post_metrics: Callable[[list[str]], list[PostMetrics]] = lambda ids: [
        PostMetrics(remote_id=i, likes=3, shares=1, comments=0) for i in ids
    ]
    account: AccountMetrics = field(default_factory=lambda: AccountMetrics(followers=120))
    error: Exception | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)

    def fetch_post_metrics(
        self, channel: Channel, remote_ids: list[str], *, insights: bool = True
    ) -> list[PostMetrics]:
        self.calls.append({"ids": list(remote_ids), "insights": insights})
        if self.error is not None:
            raise self.error
        return self.post_metrics(remote_ids)

    def fetch_account_metrics(self, channel: Channel) -> AccountMetrics:
        self.calls.append({"account": channel.pk})
        if self.error is not None:
            raise self.error
        return self.account


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> FakePlatform:
    fake = FakePlatform()
    monkeypatch.setattr(
        "analytics.metrics.services.channel_fetch_post_metrics", fake.fetch_post_metrics
    )
    monkeypatch.setattr(
        "analytics.metrics.services.channel_fetch_account_metrics", fake.fetch_account_metrics
    )
    return fake
