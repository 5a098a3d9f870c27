# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Public holidays per federal state (editorial.planning.holidays) and in the calendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from accounts.models import Role
from accounts.models import User
from editorial.planning.holidays import easter_sunday
from editorial.planning.holidays import federal_state_for_unit
from editorial.planning.holidays import holidays_for_states
from editorial.planning.holidays import public_holidays
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UnitFactory
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5))],
)
def test_easter(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected


# --- Per state ------------------------------------------------------------------------------


def test_corpus_christi_is_a_holiday_in_nrw_but_not_in_berlin() -> None:
    assert public_holidays("NW", 2026)[date(2026, 6, 4)] == "Fronleichnam"
    assert date(2026, 6, 4) not in public_holidays("BE", 2026)


def test_berlin_has_international_womens_day() -> None:
    assert public_holidays("BE", 2026)[date(2026, 3, 8)] == "Internationaler Frauentag"


def test_only_saxony_of_these_states_has_buss_und_bettag() -> None:
    assert public_holidays("SN", 2026)[date(2026, 11, 18)] == "Buß- und Bettag"
    assert not any(
        name == "Buß- und Bettag"
        for s in ("NW", "BE", "BY", "TH")
        for name in public_holidays(s, 2026).values()
    )


def test_nrw_has_all_saints_and_not_reformation_day() -> None:
    nw = public_holidays("NW", 2026)
    assert nw[date(2026, 11, 1)] == "Allerheiligen"
    assert date(2026, 10, 31) not in nw


def test_saxony_has_reformation_day() -> None:
    assert public_holidays("SN", 2026)[date(2026, 10, 31)] == "Reformationstag"


@pytest.mark.parametrize(("state", "count"), [("BE", 10), ("BY", 13)])
def test_the_number_of_holidays_of_a_state(state: str, count: int) -> None:
    assert len(public_holidays(state, 2026)) == count


def test_the_easter_based_holidays_move_with_easter() -> None:
    nw = public_holidays("NW", 2026)
    # Good Friday, Ascension, Whit Monday.
    assert {nw[date(2026, 4, 3)], nw[date(2026, 5, 14)], nw[date(2026, 5, 25)]} == {
        "Karfreitag",
        "Christi Himmelfahrt",
        "Pfingstmontag",
    }


# --- Over the years -------------------------------------------------------------------------


def test_reformation_day_was_a_holiday_everywhere_in_2017() -> None:
    assert date(2017, 10, 31) in public_holidays("NW", 2017)  # 500 years of the Reformation
    assert date(2018, 10, 31) not in public_holidays("NW", 2018)


def test_hamburg_has_reformation_day_since_2018() -> None:
    assert date(2018, 10, 31) in public_holidays("HH", 2018)


def test_mecklenburg_has_womens_day_since_2023() -> None:
    assert date(2022, 3, 8) not in public_holidays("MV", 2022)
    assert date(2023, 3, 8) in public_holidays("MV", 2023)


def test_thuringia_has_world_childrens_day() -> None:
    assert public_holidays("TH", 2026)[date(2026, 9, 20)] == "Weltkindertag"


# --- Several states -------------------------------------------------------------------------


def test_a_holiday_of_some_of_the_states_names_them() -> None:
    holidays = holidays_for_states(["NW", "BE"], date(2026, 6, 1), date(2026, 6, 30))
    assert holidays == {date(2026, 6, 4): ["Fronleichnam (NW)"]}


def test_a_holiday_of_all_the_states_names_none() -> None:
    holidays = holidays_for_states(["NW", "BE"], date(2026, 12, 25), date(2026, 12, 26))
    assert holidays == {date(2026, 12, 25): ["1. Weihnachtsfeiertag"]}


# --- Units ----------------------------------------------------------------------------------


def test_a_unit_inherits_the_federal_state_of_its_parent(org: Org) -> None:
    assert federal_state_for_unit(org.social) == "NW"


def test_a_unit_without_a_state_up_the_tree_has_none(org: Org) -> None:
    assert federal_state_for_unit(org.police_press) == ""


def test_the_month_view_shows_the_holidays_of_the_users_state(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    page = client_for(people.editor).get("/editorial/planning/?view=month&date=2026-06-01")
    assert page.status_code == 200
    assert "Fronleichnam" in page.content.decode()


@pytest.fixture
def berliner(db: None) -> User:
    berlin_office = UnitFactory(name="Senatskanzlei", federal_state="BE")
    return UserFactory(language="en", roles=[(berlin_office, Role.EDITOR)])


def test_the_month_view_leaves_out_the_holidays_of_other_states(
    org: Org, berliner: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(berliner).get("/editorial/planning/?view=month&date=2026-06-01")
    assert "Fronleichnam" not in page.content.decode()


def test_the_list_view_shows_the_holidays_of_the_users_state(
    org: Org, berliner: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(berliner).get("/editorial/planning/?view=list&date=2026-03-01")
    assert "Internationaler Frauentag" in page.content.decode()
