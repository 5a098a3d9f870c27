"""The API documentation page opens for a client that authenticates with an API token (it is
a page, so the navigation asks whether a second factor is owed; a token user has none)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from tests.conftest import People

pytestmark = pytest.mark.django_db


def test_the_api_docs_open_with_an_api_token(
    people: People, api_client_for: Callable[[User], Any]
) -> None:
    assert api_client_for(people.editor).get("/api/docs/").status_code == 200
