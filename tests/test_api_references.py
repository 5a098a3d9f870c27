# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""References to another unit's objects (issue 16), found from the API schema.

For every write operation whose request body has a field that references an object (a
whole number or a list of them named like ``unit``, ``channels``, ``topic``, …), a user of
another authority sending the Presseamt's object id is refused exactly as for an id of
nothing: never a 2xx, and the field's error is the same, so existence does not leak. And an
auditor, who reads the Presseamt, writing into it gets a 403, not "unknown unit".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Role
from analytics.models import TargetGroup
from editorial.models import Topic
from tests.conftest import Org
from tests.conftest import People
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

NOTHING = 2_000_000_000  # an id no object has

# Body field → how to find the Presseamt's object of that kind.
REFERENCES = {
    "unit": lambda org: org.press.pk,
    "parent": lambda org: org.press.pk,
    "channel": lambda org: org.press_channel.pk,
    "channels": lambda org: org.press_channel.pk,
    "topic": lambda org: Topic.objects.create(unit=org.press, name="Baustellen").pk,
    "target_groups": lambda org: TargetGroup.objects.create(unit=org.press, name="Pendler").pk,
}


def _reference_fields() -> Iterator[tuple[str, str, str]]:
    """(method, path, field) of every write whose JSON body references one of REFERENCES."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        if "{" in path:
            continue  # the object in the path is checked by the permission matrices
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            ref = body["schema"].get("$ref", "")
            properties = components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
            for field in properties:
                if field in REFERENCES and not properties[field].get("readOnly"):
                    yield method, path, field


CASES = sorted(set(_reference_fields()))


@pytest.mark.parametrize(("method", "path", "field"), CASES, ids=[" ".join(c) for c in CASES])
def test_another_units_object_is_refused_as_an_id_of_nothing(
    method: str, path: str, field: str, org: Org, people: People, api_client_for: Any
) -> None:
    # A user with every role in the other authority.
    outsider = UserFactory(
        email="all@polizei.example", roles=[(org.police, role) for role in Role.values]
    )
    client = api_client_for(outsider)
    is_list = field in ("channels", "target_groups")
    theirs = REFERENCES[field](org)
    answers = {}
    for name, pk in (("theirs", theirs), ("nothing", NOTHING)):
        body = {field: [pk] if is_list else pk}
        response = getattr(client, method)(path, body, format="json")
        assert response.status_code in (400, 403, 404), (name, response.content[:300])
        # DRF repeats the id sent ("Invalid pk "7" …"): compared without it.
        error = json.dumps(response.json().get(field)).replace(str(pk), "<id>")
        answers[name] = (response.status_code, error)
    assert answers["theirs"] == answers["nothing"]


UNIT_CASES = [case for case in CASES if case[2] == "unit" and case[0] == "post"]


@pytest.mark.parametrize(
    ("method", "path", "field"), UNIT_CASES, ids=[" ".join(c) for c in UNIT_CASES]
)
def test_an_auditor_writing_into_a_unit_they_read_gets_403(
    method: str, path: str, field: str, org: Org, people: People, api_client_for: Any
) -> None:
    response = api_client_for(people.auditor).post(path, {"unit": org.press.pk}, format="json")
    # 403, or (the body being incomplete) a 400 that does not call the unit unknown.
    assert response.status_code in (400, 403), response.content[:300]
    if response.status_code == 400:
        assert "unit" not in response.json(), response.content[:300]
