# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""/api/v1/training/: one's checklist, the training records of the people of one's units."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.test import APIClient

from accounts.audit import audit_log
from accounts.models import Role
from accounts.models import User
from tests.accounts.guidance.conftest import practice_space
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ApiClientFor = Callable[[User], APIClient]


def test_my_checklist(people: People, api_client_for: ApiClientFor) -> None:
    unit = practice_space(people.editor, Role.EDITOR)
    audit_log(action="editorial.post.submitted", actor=people.editor, unit=unit)
    data = api_client_for(people.editor).get("/api/v1/training/checklist/").json()
    assert (data["user"], data["done"], data["total"]) == (people.editor.pk, 1, 3)
    done = {item["item"]: item["done"] for item in data["items"]}
    assert done == {
        "editor.first_draft": False,
        "editor.submit_for_review": True,
        "editor.use_template": False,
    }
    submitted = next(i for i in data["items"] if i["item"] == "editor.submit_for_review")
    assert submitted["completed_at"] is not None
    assert submitted["role"] == "editor"


def test_the_records_of_the_units(org: Org, people: People, api_client_for: ApiClientFor) -> None:
    data = api_client_for(people.auditor).get("/api/v1/training/records/").json()
    ids = {person["id"] for person in data["results"]}
    assert people.editor.pk in ids
    assert people.outsider.pk not in ids
    editor = next(p for p in data["results"] if p["id"] == people.editor.pk)
    assert editor["checklist"]["total"] == 3


def test_the_records_of_one_unit(org: Org, people: People, api_client_for: ApiClientFor) -> None:
    client = api_client_for(people.system_admin)
    ids = {
        p["id"]
        for p in client.get(f"/api/v1/training/records/?unit={org.press.pk}").json()["results"]
    }
    assert people.editor.pk in ids
    assert people.system_admin.pk not in ids  # a role in the city, not in the Presseamt


def test_the_records_refuse_an_editor(people: People, api_client_for: ApiClientFor) -> None:
    response = api_client_for(people.editor).get("/api/v1/training/records/")
    assert response.status_code == 403


def test_one_persons_record(people: People, api_client_for: ApiClientFor) -> None:
    client = api_client_for(people.system_admin)
    assert client.get(f"/api/v1/training/records/{people.editor.pk}/").json()["id"] == (
        people.editor.pk
    )


def test_another_authoritys_person_is_not_found(
    people: People, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(people.outsider).get(f"/api/v1/training/records/{people.editor.pk}/")
    assert response.status_code == 404


def test_a_unit_that_is_not_a_number_is_refused(
    people: People, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(people.auditor).get("/api/v1/training/records/?unit=x")
    assert response.status_code == 400
