# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Progress of a goal's KPI target, computed from the channels' daily figures and the
moderation service levels; "no data" where there are no figures (never zero)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from analytics.goals.selectors import goal_progress
from analytics.models import ChannelDailyFigure
from analytics.models import GoalComparison
from analytics.models import GoalMetric
from moderation.models import ModerationSettings
from moderation.service_levels.services import item_response_recorded
from moderation.service_levels.services import items_set_deadlines
from tests.analytics.goals.conftest import make_goal
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.service_levels.conftest import berlin
from tests.moderation.service_levels.conftest import sent_reply
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

MID_PERIOD = date(2026, 3, 31)
AFTER = date(2026, 7, 1)


def _figure(channel, day, **values):  # type: ignore[no-untyped-def]
    return ChannelDailyFigure.objects.create(channel=channel, day=day, **values)


def test_a_goal_in_words_has_no_kpi(org) -> None:
    goal = make_goal(org.press, metric="", target_value=None)
    assert goal_progress(goal).state == "no_kpi"


def test_before_the_period(org) -> None:
    assert goal_progress(make_goal(org.press), today=date(2025, 12, 1)).state == "not_started"


def test_no_figures_is_no_data_not_zero(org) -> None:
    progress = goal_progress(make_goal(org.press), today=MID_PERIOD)
    assert progress.state == "no_data"
    assert progress.actual is None
    assert (progress.channels_reporting, progress.channels_total) == (0, 2)


def test_followers_growth_over_the_units_channels(org) -> None:
    _figure(org.press_channel, date(2026, 1, 1), followers=1000)
    _figure(org.press_channel, date(2026, 3, 1), followers=1100)
    _figure(org.social_channel, date(2026, 1, 2), followers=1000)
    _figure(org.social_channel, date(2026, 3, 30), followers=1300)
    # Outside the period: not counted.
    _figure(org.press_channel, date(2026, 12, 1), followers=9000)
    progress = goal_progress(make_goal(org.press), today=MID_PERIOD)
    assert progress.actual == Decimal("20.00")
    assert progress.state == "on_track"
    assert progress.share == 1.0
    assert (progress.channels_reporting, progress.channels_total) == (2, 2)


def test_followers_growth_of_one_channel_missed_after_the_period(org) -> None:
    _figure(org.press_channel, date(2026, 1, 1), followers=1000)
    _figure(org.press_channel, date(2026, 6, 30), followers=1100)
    _figure(org.social_channel, date(2026, 6, 30), followers=5000)
    goal = make_goal(org.press, channel=org.press_channel)
    progress = goal_progress(goal, today=AFTER)
    assert progress.actual == Decimal("10.00")
    assert progress.state == "missed"
    assert progress.share == 0.5
    assert progress.end == date(2026, 6, 30)


def test_reach_not_provided_is_no_data(org) -> None:
    _figure(org.press_channel, date(2026, 2, 1), followers=10, reach=None)
    goal = make_goal(org.press, metric=GoalMetric.REACH, target_value=Decimal(5000))
    assert goal_progress(goal, today=MID_PERIOD).state == "no_data"


def test_reach_sums_the_days(org) -> None:
    _figure(org.press_channel, date(2026, 2, 1), reach=3000)
    _figure(org.press_channel, date(2026, 2, 2), reach=2500)
    goal = make_goal(org.press, metric=GoalMetric.REACH, target_value=Decimal(5000))
    progress = goal_progress(goal, today=MID_PERIOD)
    assert progress.actual == Decimal(5500)
    assert (progress.channels_reporting, progress.channels_total) == (1, 2)


@pytest.fixture
def answered(org, people):  # type: ignore[no-untyped-def]
    """Two items on the press channel: one answered in an hour (met), one the next
    afternoon (missed)."""
    ModerationSettings.objects.create(unit=org.press)
    items = [
        InboxItemFactory(channel=org.press_channel, created_at=berlin(2026, 3, 3, 9, minute))
        for minute in (0, 1)
    ]
    items_set_deadlines(items=items)
    for item, at in ((items[0], berlin(2026, 3, 3, 10, 0)), (items[1], berlin(2026, 3, 4, 15))):
        sent_reply(item, people.community_manager, at)
        item_response_recorded(item=item, at=at)
    return items


def test_response_within_service_time(org, answered) -> None:
    goal = make_goal(org.press, metric=GoalMetric.RESPONSE_WITHIN_TARGET, target_value=Decimal(90))
    progress = goal_progress(goal, today=MID_PERIOD)
    assert progress.actual == Decimal("50.00")
    assert progress.state == "not_yet"


def test_median_first_response_at_most(org, answered) -> None:
    goal = make_goal(
        org.press,
        metric=GoalMetric.MEDIAN_FIRST_RESPONSE,
        comparison=GoalComparison.AT_MOST,
        target_value=Decimal(24),
    )
    progress = goal_progress(goal, today=AFTER)
    assert progress.state == "met"
    assert progress.share == 1.0


def test_no_items_is_no_data(org) -> None:
    goal = make_goal(org.press, metric=GoalMetric.RESPONSE_WITHIN_TARGET, target_value=Decimal(90))
    assert goal_progress(goal, today=MID_PERIOD).state == "no_data"
