# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The calendar API (editorial.planning.api): /api/v1/calendar/ and /api/v1/calendar/slots/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from editorial.models import CalendarSlot
from editorial.models import Post
from editorial.models import Topic
from editorial.planning.services import slot_create
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.planning.conftest import approved_post
from tests.editorial.planning.conftest import many_posts
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

JUNE = "/api/v1/calendar/?start=2026-06-01&end=2026-06-30"


# --- Calendar -------------------------------------------------------------------------------


@pytest.fixture
def june(org: Org, people: People) -> Post:
    """An approved post on 15 June and a slot on Corpus Christi; the post is returned."""
    post = approved_post(org, people, title="API-Meldung")
    slot_create(
        actor=people.editor,
        unit=org.press,
        title="Themenplatz",
        day=date(2026, 6, 4),
        channels=[org.social_channel],
    )
    return post


def test_the_calendar_api_answers_the_period_and_its_holidays(
    june: Post, people: People, api_client_for: Callable
) -> None:
    data = api_client_for(people.editor).get(JUNE).json()
    assert data["start"] == "2026-06-01"
    assert {"date": "2026-06-04", "name": "Fronleichnam"} in data["holidays"]


def test_the_calendar_api_describes_a_slot_with_its_channels(
    june: Post, people: People, api_client_for: Callable
) -> None:
    slot_entry, _post_entry = api_client_for(people.editor).get(JUNE).json()["entries"]
    assert slot_entry["type"] == "slot"
    assert slot_entry["status"] == "slot"
    assert slot_entry["channels"][0]["name"] == "Bürgerservice"
    assert slot_entry["channels"][0]["colour"].startswith("#")


def test_the_calendar_api_describes_a_post(
    june: Post, people: People, api_client_for: Callable
) -> None:
    _slot_entry, post_entry = api_client_for(people.editor).get(JUNE).json()["entries"]
    assert post_entry["id"] == june.pk
    assert post_entry["status"] == "scheduled"
    assert post_entry["date"] == "2026-06-15"
    assert post_entry["time"] == "09:30"
    assert post_entry["url"] == f"/editorial/posts/{june.pk}/"
    assert post_entry["author_name"] == str(people.editor)


def test_the_calendar_api_filters_by_status(
    june: Post, people: People, api_client_for: Callable
) -> None:
    only_slots = api_client_for(people.editor).get(f"{JUNE}&status=slot")
    assert [e["type"] for e in only_slots.json()["entries"]] == ["slot"]


def test_the_calendar_api_shows_an_outsider_nothing_of_the_city(
    june: Post, people: People, api_client_for: Callable
) -> None:
    assert api_client_for(people.outsider).get(JUNE).json()["entries"] == []


def test_the_calendar_api_refuses_a_unit_filter_outside_the_users_reach(
    org: Org, june: Post, people: People, api_client_for: Callable
) -> None:
    bad_unit = api_client_for(people.outsider).get(f"{JUNE}&unit={org.press.pk}")
    assert bad_unit.status_code == 400


def test_the_calendar_api_refuses_a_filter_given_empty(
    org: Org, people: People, api_client_for: Callable
) -> None:
    response = api_client_for(people.editor).get(f"{JUNE}&unit=")
    assert response.status_code == 400
    assert set(response.json()) == {"unit"}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?start=2026-06-01",
        "?start=2026-06-30&end=2026-06-01",
        "?start=2026-01-01&end=2027-06-01",
        "?start=x&end=y",
    ],
)
def test_api_calendar_validates_the_period(
    org: Org, people: People, api_client_for: Callable, query: str
) -> None:
    assert api_client_for(people.editor).get(f"/api/v1/calendar/{query}").status_code == 400


def test_api_needs_authentication(org: Org) -> None:
    assert Client().get(JUNE).status_code in (401, 403)


def test_api_uses_a_constant_number_of_queries(
    org: Org,
    people: People,
    api_client_for: Callable,
    django_assert_max_num_queries: Callable,
) -> None:
    topic = Topic.objects.create(unit=org.press, name="Stadtfest")
    client = api_client_for(people.editor)
    many_posts(org, people, 5, topic)
    client.get(JUNE)
    with CaptureQueriesContext(connection) as few:
        response = client.get(JUNE)
    assert len(response.json()["entries"]) == 6
    many_posts(org, people, 35, topic)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(JUNE)
    assert len(response.json()["entries"]) == 5 + 1 + 35 + 7


# --- Slots ----------------------------------------------------------------------------------

SLOTS = "/api/v1/calendar/slots/"


def test_an_editor_plans_a_slot_through_the_api(
    org: Org, people: People, api_client_for: Callable
) -> None:
    created = api_client_for(people.editor).post(
        SLOTS,
        {
            "unit": org.press.pk,
            "title": "Hitze",
            "day": "2026-07-01",
            "time": "08:00",
            "channels": [org.press_channel.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["time"] == "08:00"
    assert CalendarSlot.objects.get().pk == created.json()["id"]
    assert AuditEntry.objects.filter(action="editorial.slot.created").exists()


@pytest.fixture
def slot_id(org: Org, people: People) -> int:
    return slot_create(
        actor=people.editor,
        unit=org.press,
        title="Hitze",
        day=date(2026, 7, 1),
        channels=[org.press_channel],
    ).pk


def test_the_slot_api_lists_the_slots_of_a_period(
    slot_id: int, people: People, api_client_for: Callable
) -> None:
    editor = api_client_for(people.editor)
    listing = editor.get(f"{SLOTS}?start=2026-07-01&end=2026-07-31").json()
    assert [s["id"] for s in listing["results"]] == [slot_id]
    assert editor.get(f"{SLOTS}?start=2026-08-01").json()["results"] == []


def test_an_editor_changes_a_slot_through_the_api(
    slot_id: int, people: People, api_client_for: Callable
) -> None:
    patched = api_client_for(people.editor).patch(
        f"{SLOTS}{slot_id}/", {"title": "Hitzewarnung", "channels": []}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"] == "Hitzewarnung"
    assert patched.json()["channels"] == []


def test_an_editor_deletes_a_slot_through_the_api(
    slot_id: int, people: People, api_client_for: Callable
) -> None:
    assert api_client_for(people.editor).delete(f"{SLOTS}{slot_id}/").status_code == 204
    assert not CalendarSlot.objects.exists()
    assert AuditEntry.objects.filter(action="editorial.slot.deleted").exists()


def test_an_approver_reads_but_may_not_change_slots_through_the_api(
    org: Org, slot_id: int, people: People, api_client_for: Callable
) -> None:
    approver: Any = api_client_for(people.approver)
    assert approver.get(f"{SLOTS}{slot_id}/").status_code == 200
    assert approver.patch(f"{SLOTS}{slot_id}/", {"title": "x"}, format="json").status_code == 403
    assert approver.delete(f"{SLOTS}{slot_id}/").status_code == 403
    created = approver.post(
        SLOTS, {"unit": org.press.pk, "title": "x", "day": "2026-07-01"}, format="json"
    )
    assert created.status_code == 403
    assert CalendarSlot.objects.get().title == "Hitze"


def test_the_slots_of_another_authority_answer_404_in_the_api(
    slot_id: int, people: People, api_client_for: Callable
) -> None:
    outsider: Any = api_client_for(people.outsider)
    assert outsider.get(SLOTS).json()["results"] == []
    assert outsider.get(f"{SLOTS}{slot_id}/").status_code == 404
    assert outsider.patch(f"{SLOTS}{slot_id}/", {"title": "x"}, format="json").status_code == 404
    assert outsider.delete(f"{SLOTS}{slot_id}/").status_code == 404
    assert CalendarSlot.objects.get().title == "Hitze"


def test_the_slot_api_refuses_another_authoritys_unit(
    org: Org, people: People, api_client_for: Callable
) -> None:
    foreign_unit = api_client_for(people.editor).post(
        SLOTS, {"unit": org.police.pk, "title": "x", "day": "2026-07-01"}, format="json"
    )
    assert foreign_unit.status_code == 400


def test_the_slot_api_refuses_another_authoritys_channel(
    org: Org, people: People, api_client_for: Callable
) -> None:
    foreign_channel = api_client_for(people.editor).post(
        SLOTS,
        {
            "unit": org.press.pk,
            "title": "x",
            "day": "2026-07-01",
            "channels": [org.police_channel.pk],
        },
        format="json",
    )
    assert foreign_channel.status_code == 400


# --- Schema ---------------------------------------------------------------------------------


def test_api_is_in_the_openapi_schema() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert {"/api/v1/calendar/", SLOTS, "/api/v1/calendar/slots/{id}/"} <= set(schema["paths"])
    assert "CalendarEntry" in schema["components"]["schemas"]
