"""Shared helpers and fixtures of the Redaktionsplan tests: a frozen "today", English pages,
posts and topic slots in June 2026."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from datetime import datetime
from datetime import time

import pytest
import time_machine
from django.utils import translation

from accounts.models import OrgUnit
from accounts.models import User
from channels_app.models import Channel
from editorial.common.timeutil import BERLIN
from editorial.models import Post
from editorial.models import Topic
from editorial.planning.services import slot_create
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People

S = Post.Status
NOW = datetime(2026, 6, 10, 10, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _frozen_time() -> Iterator[None]:
    # A fixed "today" keeps month boundaries and "not into the past" deterministic.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _english(request: pytest.FixtureRequest) -> Iterator[None]:
    # Pages answer in the user's language: assertions read the English source strings. Only
    # tests that use ``people`` pay for creating them (pure tests need no database).
    if "people" in request.fixturenames:
        request.getfixturevalue("people")
        User.objects.update(language="en")
    with translation.override("en"):
        yield


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def make_post(
    org: Org,
    people: People,
    *,
    title: str = "Stadtfest",
    planned_at: datetime | None = None,
    channels: list[Channel] | None = None,
    topic: Topic | None = None,
    unit: OrgUnit | None = None,
    author: User | None = None,
) -> Post:
    return post_create(
        actor=author or people.editor,
        unit=unit or org.press,
        title=title,
        text="Das Stadtfest beginnt um 18 Uhr.",
        planned_at=planned_at or berlin(2026, 6, 15, 9, 30),
        channels=channels if channels is not None else [org.press_channel],
        topic=topic,
    )


def approved_post(org: Org, people: People, **kwargs: object) -> Post:
    post = make_post(org, people, **kwargs)  # type: ignore[arg-type]
    post_submit(actor=people.editor, post=post)
    return post_approve(actor=people.approver, post=post)


def many_posts(org: Org, people: People, count: int, topic: Topic) -> None:
    channel_sets = [[org.press_channel], [org.social_channel], [org.press_channel]]
    for i in range(count):
        channels = channel_sets[i % 3]
        if i % 4 == 0 and org.social_channel not in channels:
            channels = [*channels, org.social_channel]
        make_post(
            org,
            people,
            title=f"Meldung {i}",
            # Spread over the month: even the first five reach every week.
            planned_at=berlin(2026, 6, 1 + (i * 6) % 28, 8 + i % 10, 15),
            channels=channels,
            topic=topic if i % 2 else None,
        )
    for i in range(max(1, count // 5)):
        slot_create(
            actor=people.editor,
            unit=org.press,
            title=f"Themenplatz {i}",
            day=date(2026, 6, 1 + i % 28),
            time=time(14, 0) if i % 2 else None,
            topic=topic,
            channels=[org.press_channel, org.social_channel],
        )
