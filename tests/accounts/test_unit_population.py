# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""A unit's population (for followers per 1,000 inhabitants on the dashboard): optional,
set in the unit form and the units API, audited with the unit."""

from __future__ import annotations

from django.test import Client

from accounts.models import AuditEntry
from accounts.models import OrgUnit
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_the_unit_form_sets_and_clears_the_population(org: Org, people: People) -> None:
    admin = login(Client(), people.system_admin)
    form = {"name": "Presseamt", "kind": "department", "parent": org.city.pk}
    admin.post(f"/manage/units/{org.press.pk}/", {**form, "population": "61234"})
    assert OrgUnit.objects.get(pk=org.press.pk).population == 61234
    entry = AuditEntry.objects.filter(action="accounts.unit.updated", unit=org.press).latest("id")
    assert entry.data["before"]["population"] is None
    assert entry.data["after"]["population"] == 61234

    admin.post(f"/manage/units/{org.press.pk}/", {**form, "population": ""})
    assert OrgUnit.objects.get(pk=org.press.pk).population is None


def test_the_unit_form_refuses_zero(org: Org, people: People) -> None:
    admin = login(Client(), people.system_admin)
    admin.post(
        f"/manage/units/{org.press.pk}/",
        {"name": "Presseamt", "kind": "department", "parent": org.city.pk, "population": "0"},
    )
    assert OrgUnit.objects.get(pk=org.press.pk).population is None


def test_the_api_keeps_the_population_unless_given(org: Org, people: People) -> None:
    admin = login(Client(), people.system_admin)
    url = f"/api/v1/units/{org.press.pk}/"
    response = admin.patch(url, {"population": 50000}, content_type="application/json")
    assert response.status_code == 200, response.content
    admin.patch(url, {"name": "Presse- und Informationsamt"}, content_type="application/json")
    unit = OrgUnit.objects.get(pk=org.press.pk)
    assert (unit.name, unit.population) == ("Presse- und Informationsamt", 50000)
    assert admin.get(url).json()["population"] == 50000
