# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""API query filters take only what the schema allows (issue 16): a filter given with a value
outside it (empty, ``null``, an unknown status) is refused with a 400 that names the
parameter and carries the stable code ``invalid``, never taken as "no filter"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

EMPTY_FILTER_DE = "Geben Sie diesem Filter einen Wert oder lassen Sie ihn weg."


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/api/v1/analytics/goals/", "archived", "null"),
        ("/api/v1/analytics/goals/target-groups/", "archived", "1"),
        ("/api/v1/blocks/", "status", "gone"),
        ("/api/v1/blocks/", "channel", ""),
        ("/api/v1/calendar/slots/", "start", ""),
        ("/api/v1/keyword-alerts/", "unit", "null"),
        ("/api/v1/lexicon-entries/", "unit", ""),
        ("/api/v1/audit-entries/", "until", ""),
        ("/api/v1/audit-entries/", "since", ""),
        ("/api/v1/audit-entries/", "actor", ""),
        ("/api/v1/audit-entries/", "action", ""),
        ("/api/v1/audit-entries/", "target_type", ""),
        ("/api/v1/audit-entries/", "target_id", ""),
    ],
)
def test_a_filter_outside_the_schema_is_refused(
    path: str, name: str, value: str, people: People, api_client_for: Any
) -> None:
    # The city's system admin (also an auditor for the audit log) reads every one of them.
    client = api_client_for(people.system_admin)
    response = client.get(path, {name: value})
    assert response.status_code == 400, response.content[:300]
    assert response["Error-Code"] == "invalid"
    assert list(response.json()) == [name]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/analytics/goals/", {"archived": "false"}),
        ("/api/v1/blocks/", {"status": "due"}),
        ("/api/v1/keyword-alerts/", {}),
    ],
)
def test_a_filter_the_schema_allows_is_taken(
    path: str, query: dict[str, str], people: People, api_client_for: Any
) -> None:
    assert api_client_for(people.system_admin).get(path, query).status_code == 200


def test_an_empty_filter_is_refused_in_the_users_language(
    people: People, api_client_for: Any
) -> None:
    response = api_client_for(people.auditor).get(
        "/api/v1/audit-entries/", {"since": ""}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.json() == {"since": [EMPTY_FILTER_DE]}
