# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The dashboard page: filter, figures with their tables and charts, downloads (CSV as
German Excel opens it, XLSX that openpyxl reopens), and the API."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from analytics.dashboard.selectors import Period
from editorial.models import Topic
from tests.analytics.dashboard.conftest import IN_MARCH
from tests.analytics.dashboard.conftest import figure
from tests.analytics.dashboard.conftest import published
from tests.analytics.goals.conftest import make_goal
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

MARCH_QUERY = "?preset=custom&start=2026-03-01&end=2026-03-31"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    return login(Client(), user)


@pytest.fixture
def data(org: Org) -> None:
    figure(org.press_channel, date(2026, 3, 1), followers=1000, reach=300)
    figure(org.press_channel, date(2026, 3, 31), followers=1234, reach=200)
    published(
        [org.press_channel],
        IN_MARCH,
        title="=Sperrung",
        readings={org.press_channel.pk: {"likes": 7, "reach": 70}},
    )


def test_the_navigation_lands_on_the_dashboard_with_goals_first(
    org: Org, people: People, data: None
) -> None:
    make_goal(org.press, title="Mehr Reichweite", period_start=date(2026, 3, 1))
    response = client_for(people.editor).get("/analytics/" + MARCH_QUERY)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/analytics/goals/"' in body
    with translation.override("de"):
        key_figures = str(translation.gettext("Key figures"))
    assert body.index("Mehr Reichweite") < body.index(f">{key_figures}</h2>")
    assert "1.234" in body  # the page speaks German: grouped so
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in body
    assert "<script" not in body.split("<main", 1)[1]
    assert len(response.content) < 200_000


def test_default_period_without_query(people: People) -> None:
    response = client_for(people.auditor).get("/analytics/")
    assert response.status_code == 200
    assert response.context["dashboard"].period == Period.preset("last_30")


def test_filter_errors_are_shown(people: People) -> None:
    response = client_for(people.editor).get(
        "/analytics/?preset=custom&start=2026-03-31&end=2026-03-01"
    )
    assert response.status_code == 400
    with translation.override("de"):
        message = str(translation.gettext("The period cannot end before it starts."))
    assert message in response.content.decode()


def test_a_topic_of_another_authority_is_not_offered(org: Org, people: People) -> None:
    foreign = Topic.objects.create(unit=org.police, name="Razzia")
    response = client_for(people.editor).get(f"/analytics/{MARCH_QUERY}&topic={foreign.pk}")
    assert response.status_code == 400
    assert "Razzia" not in response.content.decode()


def test_csv_download_opens_in_german_excel(people: People, data: None) -> None:
    response = client_for(people.editor).get(
        f"/analytics/{MARCH_QUERY}&export=top_posts&format=csv"
    )
    text = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == (
        'attachment; filename="top_posts-2026-03-01-2026-03-31.csv"'
    )
    assert text.startswith("\ufeff")
    assert text.splitlines()[0].count(";") == 5
    # The post's title would be a formula: neutralised.
    assert "\r\n'=Sperrung;" in text


def test_xlsx_download_reopens(people: People, data: None) -> None:
    response = client_for(people.editor).get(
        f"/analytics/{MARCH_QUERY}&export=channels&format=xlsx"
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows[0]) == 10
    press = next(row for row in rows if str(row[0]).startswith("Stadt Mastodon"))
    assert press[2] == 1234  # a number, sortable in Excel


def test_unknown_table_is_not_found(people: People) -> None:
    assert client_for(people.editor).get(f"/analytics/{MARCH_QUERY}&export=x").status_code == 404


def test_api_gives_tiles_goals_and_tables(org: Org, people: People, data: None) -> None:
    response = client_for(people.auditor).get(
        "/api/v1/analytics/dashboard/?period_start=2026-03-01&period_end=2026-03-31"
        f"&unit={org.press.pk}"
    )
    assert response.status_code == 200
    body = response.json()
    tiles = {tile["key"]: tile for tile in body["tiles"]}
    assert tiles["followers"]["value"] == 1234
    assert tiles["reach"]["previous"] is None  # not provided, not 0
    top = next(t for t in body["tables"] if t["key"] == "top_posts")
    assert top["rows"][0][0]["text"] == "=Sperrung"


def test_api_refuses_another_authoritys_unit(org: Org, people: People) -> None:
    response = client_for(people.auditor).get(f"/api/v1/analytics/dashboard/?unit={org.police.pk}")
    assert response.status_code == 400
    assert "unit" in response.json()


def test_api_refuses_a_filter_given_empty(org: Org, people: People) -> None:
    response = client_for(people.auditor).get("/api/v1/analytics/dashboard/?period_start=")
    assert response.status_code == 400
    assert set(response.json()) == {"period_start"}


def test_api_names_its_period_rules_in_the_schema(people: People) -> None:
    schema = client_for(people.auditor).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/analytics/dashboard/"]["get"]
    assert "period_end" in operation["x-rules"]
    assert operation["x-rules"] in operation["description"]


def test_api_is_in_the_schema(people: People) -> None:
    schema = client_for(people.auditor).get("/api/schema/?format=json").json()
    assert "/api/v1/analytics/dashboard/" in schema["paths"]
