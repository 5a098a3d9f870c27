# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The dashboard cache (``analytics.dashboard.cache``): a repeated request is served from it,
and it is never older than the figures: new readings, and saved changes of what the
dashboard shows, are seen at once; each user and language has entries of their own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.test.utils import override_settings
from django.utils import translation

from accounts.models import User
from analytics.dashboard.selectors import Dashboard
from analytics.dashboard.selectors import dashboard_for
from analytics.models import ChannelDailyFigure
from analytics.models import PostMetricSnapshot
from editorial.models import PostVariant
from tests.analytics.dashboard.conftest import IN_MARCH
from tests.analytics.dashboard.conftest import MARCH
from tests.analytics.dashboard.conftest import figure
from tests.analytics.dashboard.conftest import published
from tests.analytics.goals.conftest import make_goal
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _board(user: User) -> tuple[Dashboard, int]:
    user = User.objects.get(pk=user.pk)  # as a request loads it
    with CaptureQueriesContext(connection) as captured:
        board = dashboard_for(user, period=MARCH)
    return board, len(captured)


def test_a_repeated_request_is_served_from_the_cache(org: Org, people: People) -> None:
    figure(org.press_channel, date(2026, 3, 2), followers=5)
    _first, computed = _board(people.approver)

    board, cached = _board(people.approver)

    assert cached == 1  # the figures' version: one query on the primary keys
    assert computed > cached
    assert board.tile("followers").value == 5


def test_new_figures_are_seen_at_once_even_without_signals(org: Org, people: People) -> None:
    figure(org.press_channel, date(2026, 3, 2), followers=5)
    _board(people.approver)
    # As the metrics tasks write them: bulk_create, no model signals.
    ChannelDailyFigure.objects.bulk_create(
        [ChannelDailyFigure(channel=org.press_channel, day=date(2026, 3, 3), followers=9)]
    )

    board, _count = _board(people.approver)

    assert board.tile("followers").value == 9


def test_a_new_snapshot_is_seen_at_once(org: Org, people: People) -> None:
    post = published([org.press_channel], IN_MARCH, readings={org.press_channel.pk: {"likes": 2}})
    assert _board(people.approver)[0].table("top_posts").rows[0][4] == 2
    variant = PostVariant.objects.get(post=post)
    PostMetricSnapshot.objects.bulk_create(
        [PostMetricSnapshot(variant=variant, channel=org.press_channel, age_bucket=168, likes=7)]
    )

    board, _count = _board(people.approver)

    assert board.table("top_posts").rows[0][4] == 7


def test_a_saved_change_is_seen_at_once(org: Org, people: People) -> None:
    assert _board(people.approver)[0].goals == ()

    goal = make_goal(org.press, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    board, _count = _board(people.approver)

    assert [row.goal.pk for row in board.goals] == [goal.pk]


def test_each_user_has_entries_of_their_own(org: Org, people: People) -> None:
    """The system admin reads the whole city, the editor the Presseamt's subtree."""
    whole_city, _count = _board(people.system_admin)

    press_only, computed = _board(people.editor)

    assert computed > 1
    assert len(whole_city.units) > len(press_only.units)


def test_each_language_has_entries_of_its_own(org: Org, people: People) -> None:
    english, _count = _board(people.approver)
    with translation.override("de"):
        german, computed = _board(people.approver)

    assert computed > 1
    assert german.table("channels").title != english.table("channels").title


@override_settings(ANALYTICS_DASHBOARD_CACHE_SECONDS=0)
def test_the_cache_can_be_switched_off(org: Org, people: People) -> None:
    _first, computed = _board(people.approver)

    _again, recomputed = _board(people.approver)

    assert recomputed == computed
