# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The API documentation page opens for a client that authenticates with an API token (it is
a page, so the navigation asks whether a second factor is owed; a token user has none)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accounts.models import User
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_the_api_docs_open_with_an_api_token(
    people: People, api_client_for: Callable[[User], Any]
) -> None:
    assert api_client_for(people.editor).get("/api/docs/").status_code == 200
