# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Who may do what: another authority's user gets 404 for every item address (page and
API), an auditor reads but gets 403 on every write, the anonymous are sent to log in (pages)
or get 401/403 (API)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from moderation.models import InboxItem
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.inbox.conftest import S
from tests.moderation.inbox.conftest import make_item
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ClientFor = Callable[[User], Client]
ApiClientFor = Callable[[User], Any]

PAGE_GETS = ["", "presence/"]
PAGE_POSTS = [
    ("status/", {"status": "pending"}),
    ("priority/", {"priority": "3"}),
    ("assign/", {"assignee": "", "team": ""}),
    ("snooze/", {"snoozed_until": "2099-01-01T10:00"}),
    ("notes/", {"text": "Notiz"}),
    ("presence/", {}),
]
API_WRITES = [
    ("patch", "", {"status": "pending"}),
    ("patch", "", {"priority": 3}),
    ("patch", "", {"assignee": None}),
    ("patch", "", {"snoozed_until": "2099-01-01T10:00:00+01:00"}),
    ("post", "notes/", {"text": "Notiz"}),
]


@pytest.fixture
def item(org: Org) -> InboxItem:
    return make_item(org.press_channel, status=S.OPEN)


@pytest.mark.parametrize("suffix", PAGE_GETS)
def test_an_outsider_gets_404_on_pages(
    item: InboxItem, people: People, client_for: ClientFor, suffix: str
) -> None:
    response = client_for(people.outsider).get(f"/moderation/inbox/{item.pk}/{suffix}")
    assert response.status_code in (403, 404)
    # The police admin has no inbox role at all in the city: never a 200, never a leak.
    assert item.text.encode() not in response.content


def test_an_outsider_with_an_inbox_of_their_own_gets_404(
    org: Org, item: InboxItem, client_for: ClientFor
) -> None:
    from accounts.models import Role
    from tests.factories import UserFactory

    police_manager = UserFactory(roles=[(org.police, Role.COMMUNITY_MANAGER)])
    client = client_for(police_manager)
    assert client.get(f"/moderation/inbox/{item.pk}/").status_code == 404
    for suffix, data in PAGE_POSTS:
        assert client.post(f"/moderation/inbox/{item.pk}/{suffix}", data).status_code == 404
    assert item.pk not in [i.pk for i in client.get("/moderation/inbox/").context["page"].items]


def test_an_outsider_gets_404_in_the_api(
    item: InboxItem, people: People, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(people.outsider)
    base = f"/api/v1/inbox-items/{item.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}notes/").status_code == 404
    assert client.get(f"{base}presence/").status_code == 404
    for method, suffix, data in API_WRITES:
        assert getattr(client, method)(f"{base}{suffix}", data, format="json").status_code == 404
    assert client.get("/api/v1/inbox-items/").json()["results"] == []


@pytest.mark.parametrize(("suffix", "data"), [p for p in PAGE_POSTS if p[0] != "presence/"])
def test_an_auditor_gets_403_on_every_page_write(
    item: InboxItem, people: People, client_for: ClientFor, suffix: str, data: dict[str, str]
) -> None:
    response = client_for(people.auditor).post(f"/moderation/inbox/{item.pk}/{suffix}", data)
    assert response.status_code == 403
    assert InboxItem.objects.get(pk=item.pk).status == S.OPEN
    assert not item.notes.exists()


def test_an_auditor_gets_403_on_bulk(
    item: InboxItem, people: People, client_for: ClientFor
) -> None:
    response = client_for(people.auditor).post(
        "/moderation/inbox/bulk/", {"items": [item.pk], "action": "status", "status": "closed"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "suffix", "data"), API_WRITES)
def test_an_auditor_gets_403_on_every_api_write(
    item: InboxItem,
    people: People,
    api_client_for: ApiClientFor,
    method: str,
    suffix: str,
    data: dict[str, Any],
) -> None:
    client = api_client_for(people.auditor)
    response = getattr(client, method)(
        f"/api/v1/inbox-items/{item.pk}/{suffix}", data, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_an_auditor_gets_403_on_api_bulk(
    item: InboxItem, people: People, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(people.auditor).post(
        "/api/v1/inbox-items/bulk/",
        {"items": [item.pk], "action": "status", "status": "closed"},
        format="json",
    )
    assert response.status_code == 403


def test_an_auditor_reads_the_api(
    item: InboxItem, people: People, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(people.auditor)
    assert client.get(f"/api/v1/inbox-items/{item.pk}/").status_code == 200
    assert client.get(f"/api/v1/inbox-items/{item.pk}/notes/").status_code == 200


@pytest.mark.parametrize("suffix", ["", "bulk/", "1/", "1/presence/"])
def test_the_anonymous_are_sent_to_log_in(client: Client, suffix: str) -> None:
    response = client.get(f"/moderation/inbox/{suffix}")
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("suffix", ["", "1/", "1/notes/", "1/presence/"])
def test_the_anonymous_get_401_in_the_api(client: Client, suffix: str) -> None:
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/v1/inbox-items/{suffix}").status_code in (401, 403)


def test_the_anonymous_cannot_patch(item: InboxItem) -> None:
    from rest_framework.test import APIClient

    response = APIClient().patch(
        f"/api/v1/inbox-items/{item.pk}/", {"status": "closed"}, format="json"
    )
    assert response.status_code in (401, 403)
    assert InboxItem.objects.get(pk=item.pk).status == S.OPEN


def test_the_list_reads_exactly_the_channels_of_the_reading_rule(org: Org, people: People) -> None:
    from accounts.models import Role
    from moderation.common.permissions import channels_for_reading
    from moderation.inbox.selectors import visible_channels
    from tests.factories import UserFactory

    # The list finds the channels in one query of its own; it must agree with the rule.
    two_units = UserFactory(
        roles=[(org.social, Role.AUDITOR), (org.police_press, Role.COMMUNITY_MANAGER)]
    )
    inactive = UserFactory(roles=[(org.city, Role.COMMUNITY_MANAGER)], is_active=False)
    users = [*vars(people).values(), two_units, inactive]
    for user in users:
        expected = set(channels_for_reading(user).values_list("id", flat=True))
        assert set(visible_channels(user)) == expected, user.email
    assert set(visible_channels(two_units)) == {org.social_channel.pk, org.police_channel.pk}
    assert visible_channels(people.community_manager).keys() == {
        org.press_channel.pk,
        org.social_channel.pk,
    }
