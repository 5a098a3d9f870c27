# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""A table downloaded from the dashboard is recorded in the audit log: which table, format,
period and units; the page itself and a refused download are not."""

from __future__ import annotations

import pytest
from django.http import HttpResponseBase
from django.test import Client

from accounts.models import AuditEntry
from accounts.models import User
from tests.analytics.dashboard.conftest import IN_MARCH
from tests.analytics.dashboard.conftest import published
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

MARCH_QUERY = "?preset=custom&start=2026-03-01&end=2026-03-31"


def downloaded(response: HttpResponseBase) -> int:
    """Read the file to its end (an XLSX is streamed from a temporary file, closed at the end)."""
    return len(b"".join(response.streaming_content))  # type: ignore[attr-defined]


def exported(user: User) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="analytics.dashboard.exported", actor=user))


def test_a_csv_download_is_audited_with_table_period_and_units(org: Org, people: People) -> None:
    published([org.press_channel], IN_MARCH, readings={org.press_channel.pk: {"likes": 2}})
    response = login(Client(), people.editor).get(
        f"/analytics/{MARCH_QUERY}&export=top_posts&format=csv"
    )
    assert response.status_code == 200
    assert downloaded(response) > 0
    [entry] = exported(people.editor)
    assert entry.unit_id == org.press.pk
    assert entry.data["table"] == "top_posts"
    assert entry.data["format"] == "csv"
    assert (entry.data["period_start"], entry.data["period_end"]) == ("2026-03-01", "2026-03-31")
    assert entry.data["units"] == [org.press.pk]
    assert entry.data["rows"] == 1


def test_an_xlsx_download_of_one_unit_and_channel_names_them(org: Org, people: People) -> None:
    query = f"{MARCH_QUERY}&unit={org.social.pk}&channel={org.social_channel.pk}"
    response = login(Client(), people.editor).get(f"/analytics/{query}&export=channels&format=xlsx")
    assert response.status_code == 200
    assert downloaded(response) > 0
    [entry] = exported(people.editor)
    assert entry.unit_id == org.social.pk
    assert entry.data["format"] == "xlsx"
    assert entry.data["units"] == [org.social.pk]
    assert entry.data["channel"] == org.social_channel.pk
    assert entry.data["topic"] is None


def test_viewing_the_page_is_not_audited(people: People) -> None:
    assert login(Client(), people.editor).get(f"/analytics/{MARCH_QUERY}").status_code == 200
    assert exported(people.editor) == []


@pytest.mark.parametrize("query", ["&export=nothing", "&export=channels&format=pdf"])
def test_a_refused_download_is_not_audited(people: People, query: str) -> None:
    response = login(Client(), people.editor).get(f"/analytics/{MARCH_QUERY}{query}")
    assert response.status_code == 404
    assert exported(people.editor) == []


def test_another_authoritys_unit_is_refused_and_not_audited(org: Org, people: People) -> None:
    response = login(Client(), people.editor).get(
        f"/analytics/{MARCH_QUERY}&unit={org.police.pk}&export=channels&format=csv"
    )
    assert response.status_code == 400
    assert exported(people.editor) == []
