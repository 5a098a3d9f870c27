# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Each query parameter of the API, malformed on its own, answers no 5xx (issue 16).

The malformed-input walk (``tests/test_malformed_input.py``) sends every whole-number name at
once: a list that refuses one of them with a 400 never reaches the others, so
``GET /api/v1/inbox-items/?assignee=²`` was a 500 (``str.isdigit()`` takes ``²``, ``int()``
does not) that the walk could not see. Here every query parameter the schema documents for a
list read is sent alone, with digits that are no ASCII digits, a number no id can hold and a
value the schema does not expect, as a user with every role in the city.
"""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Role
from tests.conftest import Org
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

MALFORMED = ("²", "٣", "9" * 30, "[]")


def _query_parameters() -> list[tuple[str, str]]:
    """(path, name) of every query parameter of a read without an object in its path."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        if "{" in path:
            continue
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter.get("in") == "query":
                found.append((path, parameter["name"]))
    return sorted(set(found))


CASES = _query_parameters()


def test_the_reads_have_query_parameters_to_try() -> None:
    assert len(CASES) > 50
    assert ("/api/v1/inbox-items/", "assignee") in CASES


@pytest.mark.parametrize(("path", "name"), CASES, ids=[f"{p} {n}" for p, n in CASES])
def test_a_malformed_query_parameter_alone_answers_no_server_error(
    path: str, name: str, org: Org, api_client_for: Any
) -> None:
    user = UserFactory(email="all@stadt.example", roles=[(org.city, r) for r in Role.values])
    client = api_client_for(user)
    for value in MALFORMED:
        response = client.get(path, {name: value})
        if response.streaming:  # read to the end: the test client then closes the file
            b"".join(response.streaming_content)
        assert response.status_code < 500, (value, response.content[:300])
