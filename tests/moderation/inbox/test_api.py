# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The inbox API: list with filters and cursor pages, detail with the conversation, PATCH,
bulk, notes, presence, schema."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import User
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InternalNote
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.inbox.conftest import S
from tests.moderation.inbox.conftest import audit_actions
from tests.moderation.inbox.conftest import flag
from tests.moderation.inbox.conftest import make_author
from tests.moderation.inbox.conftest import make_item
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ApiClientFor = Callable[[User], Any]
LIST = "/api/v1/inbox-items/"


def test_the_list_returns_visible_items_newest_first(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    older = make_item(org.press_channel, minutes_ago=20)
    newer = make_item(org.social_channel, minutes_ago=10)
    make_item(org.police_channel)
    body = api_client_for(people.auditor).get(LIST).json()
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    assert body["next"] is None and body["previous"] is None


def test_the_list_follows_next_and_previous(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    items = [make_item(org.press_channel, minutes_ago=i) for i in range(5)]
    client = api_client_for(people.community_manager)
    first = client.get(LIST, {"page_size": 2, "status": "new"}).json()
    assert "status=new" in first["next"] and "after=" in first["next"]
    second = client.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [items[2].pk, items[3].pk]
    back = client.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [items[0].pk, items[1].pk]


def test_the_list_filters_like_the_page(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    flagged = make_item(org.press_channel, text="Du Idiot", priority=3)
    flag(flagged)
    make_item(org.social_channel, text="Danke!")
    client = api_client_for(people.community_manager)
    for params in (
        {"flag": "insult"},
        {"q": "idiot"},
        {"priority": 3},
        {"channel": [org.press_channel.pk]},
        {"assignee": "unassigned", "status": "new", "flag": "insult"},
    ):
        rows = client.get(LIST, params).json()["results"]
        assert [r["id"] for r in rows] == [flagged.pk], params


def test_a_list_row_carries_flags_and_the_deadline_state(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    item = make_item(org.press_channel, response_due_at=timezone.now() - timedelta(minutes=1))
    flag(item)
    row = api_client_for(people.community_manager).get(LIST).json()["results"][0]
    assert row["response_state"] == "breached"
    assert row["flags"][0]["kind"] == Flag.Kind.INSULT
    assert row["author"]["handle"] == item.author.handle


def test_an_invalid_filter_is_a_400(org: Org, people: People, api_client_for: ApiClientFor) -> None:
    response = api_client_for(people.community_manager).get(LIST, {"status": "irgendwas"})
    assert response.status_code == 400 and "status" in response.json()


@pytest.mark.parametrize("name", ["status", "q", "assignee", "unit", "after"])
def test_a_filter_given_empty_is_a_400_naming_it(
    org: Org, people: People, api_client_for: ApiClientFor, name: str
) -> None:
    response = api_client_for(people.community_manager).get(LIST, {name: ""})
    assert response.status_code == 400 and list(response.json()) == [name]


def test_an_assignee_in_other_digits_is_a_400(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(people.community_manager).get(LIST, {"assignee": "²"})
    assert response.status_code == 400 and list(response.json()) == ["assignee"]


def test_addresses_with_umlauts_are_answered_as_uris(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    author = make_author(org.press_channel, profile_url="https://sandbox.example/@pöbler")
    make_item(org.press_channel, author=author, url="https://sandbox.example/c/pöbler")
    row = api_client_for(people.community_manager).get(LIST).json()["results"][0]
    assert row["url"] == "https://sandbox.example/c/p%C3%B6bler"
    assert row["author"]["profile_url"] == "https://sandbox.example/@p%C3%B6bler"


@pytest.mark.parametrize("direction", ["after", "before"])
def test_an_invalid_key_is_a_400_on_its_own_field(
    org: Org, people: People, api_client_for: ApiClientFor, direction: str
) -> None:
    response = api_client_for(people.community_manager).get(LIST, {direction: "@@@"})
    assert response.status_code == 400 and list(response.json()) == [direction]


def test_the_detail_has_the_conversation(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    parent = make_item(org.press_channel, minutes_ago=30)
    item = make_item(org.press_channel, minutes_ago=20, parent=parent, author=parent.author)
    child = make_item(org.press_channel, minutes_ago=10, parent=item)
    InternalNote.objects.create(item=item, author=people.community_manager, text="Notiz")
    body = api_client_for(people.auditor).get(f"{LIST}{item.pk}/").json()
    assert [a["id"] for a in body["ancestors"]] == [parent.pk]
    assert [c["id"] for c in body["children"]] == [child.pk]
    assert [e["id"] for e in body["earlier_items"]] == [parent.pk]
    assert body["notes"][0]["text"] == "Notiz"
    assert body["text"] == item.text


def test_patch_changes_status_priority_assignee_and_snooze(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    item = make_item(org.press_channel)
    until = (timezone.now() + timedelta(hours=3)).isoformat()
    response = api_client_for(people.community_manager).patch(
        f"{LIST}{item.pk}/",
        {
            "status": "pending",
            "priority": 2,
            "assignee": people.community_manager.pk,
            "team": org.social.pk,
            "snoozed_until": until,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert (item.status, item.priority, item.assignee, item.team) == (
        S.PENDING,
        2,
        people.community_manager,
        org.social,
    )
    assert item.snoozed_until is not None
    assert sorted(audit_actions(item)) == [
        "moderation.inbox.assigned",
        "moderation.inbox.priority_changed",
        "moderation.inbox.snoozed",
        "moderation.inbox.status_changed",
    ]


def test_a_refused_transition_has_the_stable_code(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    item = make_item(org.press_channel, status=S.CLOSED)
    response = api_client_for(people.community_manager).patch(
        f"{LIST}{item.pk}/", {"status": "pending"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_transition"
    assert response["Error-Code"] == "invalid_transition"


def test_a_patch_is_all_or_nothing(org: Org, people: People, api_client_for: ApiClientFor) -> None:
    item = make_item(org.press_channel, status=S.OPEN)
    response = api_client_for(people.community_manager).patch(
        f"{LIST}{item.pk}/",
        {"priority": 3, "snoozed_until": (timezone.now() - timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert InboxItem.objects.get(pk=item.pk).priority == InboxItem.Priority.NORMAL
    assert not AuditEntry.objects.filter(action__startswith="moderation.inbox.").exists()


def test_bulk_changes_and_reports_refusals(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    ok = make_item(org.press_channel, status=S.OPEN)
    closed = make_item(org.press_channel, status=S.CLOSED)
    foreign = make_item(org.police_channel, status=S.OPEN)
    body = (
        api_client_for(people.community_manager)
        .post(
            f"{LIST}bulk/",
            {"items": [ok.pk, closed.pk, foreign.pk], "action": "status", "status": "pending"},
            format="json",
        )
        .json()
    )
    assert body["changed"] == [ok.pk]
    assert set(body["refused"]) == {str(closed.pk), str(foreign.pk)}
    assert InboxItem.objects.get(pk=foreign.pk).status == S.OPEN


def test_notes_are_listed_and_added(org: Org, people: People, api_client_for: ApiClientFor) -> None:
    item = make_item(org.press_channel)
    client = api_client_for(people.community_manager)
    created = client.post(f"{LIST}{item.pk}/notes/", {"text": "Bitte prüfen"}, format="json")
    assert created.status_code == 201
    assert [n["text"] for n in client.get(f"{LIST}{item.pk}/notes/").json()] == ["Bitte prüfen"]
    assert audit_actions(item) == ["moderation.inbox.note_added"]


def test_presence_through_the_api(org: Org, people: People, api_client_for: ApiClientFor) -> None:
    item = make_item(org.press_channel)
    api_client_for(people.auditor).post(f"{LIST}{item.pk}/presence/")
    body = api_client_for(people.community_manager).get(f"{LIST}{item.pk}/presence/").json()
    assert body["viewers"] == [people.auditor.get_full_name()]


def test_leaving_through_the_api_ends_presence(
    org: Org, people: People, api_client_for: ApiClientFor
) -> None:
    item = make_item(org.press_channel)
    auditor = api_client_for(people.auditor)
    auditor.post(f"{LIST}{item.pk}/presence/")
    assert auditor.delete(f"{LIST}{item.pk}/presence/").status_code == 200
    body = api_client_for(people.community_manager).get(f"{LIST}{item.pk}/presence/").json()
    assert body["viewers"] == []


def test_the_endpoints_are_in_the_schema(people: People, api_client_for: ApiClientFor) -> None:
    schema = api_client_for(people.community_manager).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = set(schema.json()["paths"])
    assert {
        "/api/v1/inbox-items/",
        "/api/v1/inbox-items/{id}/",
        "/api/v1/inbox-items/bulk/",
        "/api/v1/inbox-items/{id}/notes/",
        "/api/v1/inbox-items/{id}/presence/",
    } <= paths
