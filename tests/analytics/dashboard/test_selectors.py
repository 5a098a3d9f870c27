# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The dashboard's figures: followers and growth, reach, engagement rate, posts published,
compared with the previous period; "not provided" instead of 0; per 1,000 inhabitants; the
tables; only the user's units; a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import User
from analytics.common.tables import Link
from analytics.dashboard.selectors import Period
from analytics.dashboard.selectors import dashboard_for
from analytics.models import ChannelAnalyticsSettings
from channels_app.models import Platform
from editorial.models import Topic
from moderation.models import InboxItem
from moderation.models import ModerationAction
from tests.analytics.dashboard.conftest import IN_FEBRUARY
from tests.analytics.dashboard.conftest import IN_MARCH
from tests.analytics.dashboard.conftest import MARCH
from tests.analytics.dashboard.conftest import figure
from tests.analytics.dashboard.conftest import published
from tests.analytics.goals.conftest import make_goal
from tests.conftest import Org
from tests.conftest import People
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_period_previous_has_equal_length() -> None:
    assert MARCH.previous() == Period(date(2026, 1, 29), date(2026, 2, 28))
    assert MARCH.previous().days == MARCH.days == 31


def test_presets_end_yesterday_and_last_month_is_the_calendar_month() -> None:
    today = date(2026, 4, 15)
    assert Period.preset("last_7", today) == Period(date(2026, 4, 8), date(2026, 4, 14))
    assert Period.preset("last_90", today).days == 90
    assert Period.preset("last_month", today) == Period(date(2026, 3, 1), date(2026, 3, 31))


def test_followers_growth_and_reach_against_the_previous_period(org: Org, people: People) -> None:
    channel = org.press_channel
    figure(channel, date(2026, 2, 1), followers=800, reach=100)
    figure(channel, date(2026, 2, 28), followers=1000, reach=300)
    figure(channel, date(2026, 3, 1), followers=1000, reach=500)
    figure(channel, date(2026, 3, 31), followers=1250, reach=None)

    board = dashboard_for(people.approver, period=MARCH)

    followers = board.tile("followers")
    assert (followers.value, followers.previous, followers.change) == (1250, 1000, Decimal("25"))
    growth = board.tile("follower_growth")
    assert (growth.value, growth.previous) == (Decimal("25"), Decimal("25"))
    reach = board.tile("reach")
    assert (reach.value, reach.previous, reach.change) == (500, 400, Decimal("25"))


def test_engagement_rate_divides_by_reach_else_impressions(org: Org, people: People) -> None:
    channel = org.press_channel
    published(
        [channel],
        IN_MARCH,
        readings={channel.pk: {"likes": 8, "shares": 1, "comments": 1, "reach": 100}},
    )
    published([channel], IN_MARCH, readings={channel.pk: {"likes": 10, "impressions": 400}})

    board = dashboard_for(people.approver, period=MARCH)

    # (10 + 10) / (100 + 400)
    assert board.tile("engagement_rate").value == Decimal("4.0")
    assert board.tile("posts_published").value == 2


def test_figures_no_platform_gave_are_not_provided_not_zero(org: Org, people: People) -> None:
    # Published, read, but without any figure (Telegram); no channel figures at all.
    channel = org.press_channel
    published([channel], IN_MARCH, readings={channel.pk: {}})

    board = dashboard_for(people.approver, period=MARCH)

    assert board.tile("followers").value is None
    assert board.tile("reach").value is None
    assert board.tile("engagement_rate").value is None
    assert board.tile("posts_published").value == 1
    row = board.table("channels").rows[0]
    assert row[2] is None  # followers
    assert row[7] is None  # engagement
    exported = next(board.table("channels").export_rows())
    assert exported[2] == "not provided by this platform"


def test_previous_period_posts_are_compared(org: Org, people: People) -> None:
    channel = org.press_channel
    published([channel], IN_MARCH)
    published([channel], IN_FEBRUARY)
    published([channel], IN_FEBRUARY)
    published([channel], datetime(2025, 12, 1, tzinfo=UTC))  # before both periods

    tile = dashboard_for(people.approver, period=MARCH).tile("posts_published")

    assert (tile.value, tile.previous, tile.change) == (1, 2, Decimal("-50.0"))


def test_followers_per_thousand_inhabitants_when_the_population_is_set(
    org: Org, people: People
) -> None:
    figure(org.press_channel, date(2026, 3, 31), followers=1500)
    assert dashboard_for(people.approver, period=MARCH).tile("followers_per_1000") is None

    org.press.population = 60000
    org.press.save()
    board = dashboard_for(people.approver, period=MARCH, unit_ids=[org.press.pk])

    assert board.tile("followers_per_1000").value == Decimal("25.00")
    press_row = next(r for r in board.table("units").rows if r[0] == "Presseamt")
    assert press_row[3:5] == (60000, Decimal("25.00"))


def test_top_posts_by_engagement_link_to_the_post(org: Org, people: People) -> None:
    channel = org.press_channel
    published([channel], IN_MARCH, title="Wenig", readings={channel.pk: {"likes": 2}})
    top = published([channel], IN_MARCH, title="Viel", readings={channel.pk: {"likes": 50}})

    rows = dashboard_for(people.approver, period=MARCH).table("top_posts").rows

    assert [str(row[0]) for row in rows] == ["Viel", "Wenig"]
    assert rows[0][0] == Link("Viel", f"/editorial/posts/{top.pk}/")


def test_best_posting_times_in_german_time(org: Org, people: People) -> None:
    channel = org.press_channel
    published([channel], IN_MARCH, readings={channel.pk: {"likes": 6}})

    table = dashboard_for(people.approver, period=MARCH).table("posting_times")

    assert table.rows == (("Tue", "10:00", 1, Decimal("6.0")),)
    assert table.chart is not None
    assert "10:00" in table.summary


def test_topics_and_the_topic_filter(org: Org, people: People) -> None:
    channel = org.press_channel
    roads = Topic.objects.create(unit=org.press, name="Baustellen")
    published([channel], IN_MARCH, topic=roads, readings={channel.pk: {"likes": 5}})
    published([channel], IN_MARCH, readings={channel.pk: {"likes": 1}})

    board = dashboard_for(people.approver, period=MARCH)
    assert [row[:2] for row in board.table("topics").rows] == [("Baustellen", 1), ("No topic", 1)]

    filtered = dashboard_for(people.approver, period=MARCH, topic_ids=[roads.pk])
    assert filtered.tile("posts_published").value == 1
    assert "topic filter" in filtered.table("channels").note


def test_only_the_users_units_and_the_chosen_subtree(org: Org, people: People) -> None:
    figure(org.press_channel, date(2026, 3, 5), followers=100)
    figure(org.social_channel, date(2026, 3, 5), followers=20)
    figure(org.police_channel, date(2026, 3, 5), followers=7000)

    assert dashboard_for(people.auditor, period=MARCH).tile("followers").value == 120
    social = dashboard_for(people.auditor, period=MARCH, unit_ids=[org.social.pk])
    assert social.tile("followers").value == 20
    # Another authority's unit, named on purpose: nothing of it.
    other = dashboard_for(people.auditor, period=MARCH, unit_ids=[org.police.pk])
    assert other.channels_count == 0
    assert other.tile("followers").value is None


def test_insights_off_and_practice_channels_are_named(org: Org, people: People) -> None:
    facebook = ChannelFactory(unit=org.press, platform=Platform.FACEBOOK, name="Stadt Facebook")
    ChannelAnalyticsSettings.objects.create(channel=facebook, insights_enabled=False)
    sandbox = ChannelFactory(unit=org.press, platform=Platform.SANDBOX, name="Übungskanal")

    board = dashboard_for(people.approver, period=MARCH)

    assert board.insights_off_channels == (facebook,)
    assert sandbox in board.sandbox_channels
    assert facebook not in board.sandbox_channels
    note = board.table("channels").note
    assert "Insights switched off for 1 channel (Stadt Facebook)" in note
    assert "practice channel" in note


def test_service_figures_and_actions_by_rule(org: Org, people: People) -> None:
    start = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # Tuesday 09:00 in Berlin
    answered = InboxItemFactory(
        channel=org.press_channel,
        created_at=start,
        first_responded_at=start + timedelta(hours=2),
        first_response_breached=False,
        status=InboxItem.Status.ANSWERED,
    )
    InboxItemFactory(channel=org.press_channel, created_at=start, status=InboxItem.Status.OPEN)
    rule = NetiquetteFactory(unit=org.press).rules.get(number=1)
    ModerationAction.objects.create(
        item=answered,
        kind=ModerationAction.Kind.HIDE,
        rule=rule,
        justification="Beleidigung",
        actor=people.community_manager,
        created_at=start,
    )

    board = dashboard_for(people.approver, period=MARCH)

    service = dict((row[0], row[1]) for row in board.table("service").rows)
    assert service["Items received"] == 2
    assert service["Response rate (%)"] == Decimal("50.0")
    assert service["Median first response (service hours)"] == Decimal("2.0")
    assert board.tile("items_received").value == 2
    assert board.table("netiquette_actions").rows == (("§ 1 Respekt (version 1)", 1, 0),)


def test_goals_come_with_their_progress(org: Org, people: People) -> None:
    goal = make_goal(org.press, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    make_goal(org.press, title="Vorbei", period_start=date(2025, 1, 1), period_end=date(2025, 2, 1))

    board = dashboard_for(people.editor, period=MARCH, today=date(2026, 4, 2))

    assert [row.goal for row in board.goals] == [goal]
    assert board.goals[0].progress.state == "no_data"


def _queries(people: People) -> int:
    user = User.objects.get(pk=people.approver.pk)  # as a request loads it: nothing cached
    with CaptureQueriesContext(connection) as captured:
        dashboard_for(user, period=MARCH)
    return len(captured)


def test_a_fixed_number_of_queries_whatever_the_data(org: Org, people: People) -> None:
    topic = Topic.objects.create(unit=org.press, name="Wahl")
    readings = {org.press_channel.pk: {"likes": 1}}
    published([org.press_channel], IN_MARCH, topic=topic, readings=readings)
    figure(org.press_channel, date(2026, 3, 2), followers=5)
    make_goal(org.press, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    few = _queries(people)

    for number in range(6):
        channel = ChannelFactory(unit=org.social, name=f"Kanal {number}")
        for day in range(1, 20):
            figure(channel, date(2026, 3, day), followers=day, reach=day * 10)
        for _ in range(3):
            published(
                [channel, org.press_channel],
                IN_MARCH,
                topic=topic,
                readings={channel.pk: {"likes": 3, "reach": 9}},
            )
    many = _queries(people)

    assert many == few
    assert many <= 25
