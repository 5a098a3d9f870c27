"""A unit's federal state: its own, else the nearest ancestor's (``federal_states_for_units``)."""

from __future__ import annotations

import pytest

from accounts.federal_states import federal_states_for_units
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_own_state_else_nearest_ancestors_else_none(django_assert_num_queries) -> None:
    authority = UnitFactory(federal_state="BY")
    office = UnitFactory(parent=authority, federal_state="")
    branch = UnitFactory(parent=office, federal_state="HE")
    below_branch = UnitFactory(parent=branch)
    stateless = UnitFactory()

    with django_assert_num_queries(1):
        states = federal_states_for_units([authority, office, branch, below_branch, stateless])

    assert states == {
        authority.pk: "BY",
        office.pk: "BY",
        branch.pk: "HE",
        below_branch.pk: "HE",
        stateless.pk: "",
    }


def test_no_units_no_states() -> None:
    assert federal_states_for_units([]) == {}
