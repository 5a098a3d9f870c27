# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The CSV export of the current calendar view (?format=csv)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from accounts.models import User
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.planning.conftest import berlin
from tests.editorial.planning.conftest import make_post
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture
def response(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> StreamingHttpResponse:
    make_post(org, people, title='=HYPERLINK("http://evil.example")')
    make_post(org, people, title="Juli", planned_at=berlin(2026, 7, 2, 9, 0))
    return client_for(people.editor).get(  # type: ignore[return-value]
        "/editorial/planning/?view=list&date=2026-06-01&format=csv"
    )


def _rows(response: StreamingHttpResponse) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_csv_export_is_a_download(response: StreamingHttpResponse) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]


def test_the_csv_export_holds_the_posts_of_the_current_view(
    response: StreamingHttpResponse,
) -> None:
    rows = _rows(response)
    assert rows[0][:5] == ["date", "time", "type", "id", "title"]
    assert len(rows) == 2  # July is outside the view
    assert rows[1][0:3] == ["2026-06-15", "09:30", "post"]
    assert rows[1][6] == "Stadt Mastodon"


def test_the_csv_export_defuses_formulas(response: StreamingHttpResponse) -> None:
    assert _rows(response)[1][4] == '\'=HYPERLINK("http://evil.example")'
