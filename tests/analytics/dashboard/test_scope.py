# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Whose figures a dashboard holds: a unit scope without a user (the scheduled monthly
report), and a post published on channels of two units counted once, in its own unit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import translation

from analytics.dashboard.selectors import dashboard_for
from analytics.dashboard.selectors import dashboard_for_unit
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


def test_a_unit_scope_is_exactly_the_units_subtree_without_any_role_holder(org: Org) -> None:
    figure(org.press_channel, date(2026, 3, 31), followers=1000)
    figure(org.social_channel, date(2026, 3, 31), followers=200)
    figure(org.police_channel, date(2026, 3, 31), followers=5000)
    make_goal(org.social, title="Bürgerservice bekannter machen")
    make_goal(org.city, title="Ziel der ganzen Stadt")

    board = dashboard_for_unit(org.press, period=MARCH)

    assert [unit.name for unit in board.units] == ["Presseamt", "Social-Media-Team"]
    assert board.tile("followers").value == 1200
    assert [row.goal.title for row in board.goals] == ["Bürgerservice bekannter machen"]


def test_a_unit_scope_agrees_with_a_readers_dashboard_of_the_unit(org: Org, people: People) -> None:
    figure(org.press_channel, date(2026, 3, 31), followers=1000, reach=40)
    published([org.social_channel], IN_MARCH, readings={org.social_channel.pk: {"likes": 3}})

    by_unit = dashboard_for_unit(org.press, period=MARCH)
    by_reader = dashboard_for(people.system_admin, period=MARCH, unit_ids=[org.press.pk])

    assert by_unit.tiles == by_reader.tiles
    assert by_unit.tables == by_reader.tables


def _units_row(board: object, name: str) -> tuple[object, ...]:
    return next(row for row in board.table("units").rows if row[0].endswith(name))  # type: ignore[attr-defined]


def test_a_post_on_channels_of_two_units_counts_once_in_its_own_unit(
    org: Org, people: People
) -> None:
    # The Presseamt's post, also sent on the Social-Media-Team's channel.
    post = published(
        [org.press_channel, org.social_channel],
        IN_MARCH,
        readings={org.press_channel.pk: {"likes": 5}, org.social_channel.pk: {"likes": 2}},
    )
    assert post.unit == org.press

    board = dashboard_for(people.approver, period=MARCH)

    publications, engagement = 6, 7
    press = _units_row(board, "Presseamt")
    social = _units_row(board, "Social-Media-Team")
    assert (press[publications], press[engagement]) == (1, 7)
    assert (social[publications], social[engagement]) == (0, None)
    assert board.tile("posts_published").value == 1
    # Per channel, each channel shows what went out on it.
    channels = {row[0]: row for row in board.table("channels").rows}
    assert len(channels) == 2
    assert [row[6] for row in channels.values()] == [1, 1]
