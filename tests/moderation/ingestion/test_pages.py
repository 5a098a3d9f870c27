# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The streams page and API: who sees which streams, who may fetch now."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from channels_app.models import Channel
from moderation.models import IngestCursor
from tests.conftest import Org
from tests.conftest import People
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.ingestion.conftest import cursor_of
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

PAGE = "/moderation/ingestion/"


def _active(channel: Channel) -> Channel:
    """The channel as if connected (fetching is refused for disconnected channels)."""
    Channel.objects.filter(pk=channel.pk).update(status=Channel.Status.ACTIVE)
    channel.refresh_from_db()
    return channel


API = "/api/v1/ingestion-streams/"


def test_the_page_lists_each_stream_of_the_users_channels(
    org: Org, people: People, client_for: Any
) -> None:
    mine = cursor_of(_active(org.press_channel), "mentions")
    IngestCursor.objects.filter(pk=mine.pk).update(
        unavailable=True, unavailable_reason="Bluesky-Server ohne AppView", items_total=42
    )
    cursor_of(org.police_channel)
    html = client_for(people.auditor).get(PAGE).content.decode()
    assert org.press_channel.name in html and "Bluesky-Server ohne AppView" in html
    assert "Not available for this channel" in html or "Nicht verfügbar" in html
    assert org.police_channel.name not in html
    # An auditor reads, but gets no fetch button.
    assert f"/moderation/ingestion/{mine.pk}/fetch/" not in html
    manager_html = client_for(people.community_manager).get(PAGE).content.decode()
    assert f"/moderation/ingestion/{mine.pk}/fetch/" in manager_html


def test_the_page_needs_a_reading_role(people: People, client_for: Any) -> None:
    assert client_for(people.editor).get(PAGE).status_code == 403


def test_anonymous_is_sent_to_the_login(client: Any) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_page_stays_o_of_page(org: Org, people: People, client_for: Any) -> None:
    """More channels and streams cost no more queries."""
    client = client_for(people.community_manager)
    cursor_of(org.press_channel)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    for n in range(4):
        cursor_of(ChannelFactory(unit=org.social, name=f"Kanal {n}"))
    with CaptureQueriesContext(connection) as many:
        html = client.get(PAGE).content.decode()
    assert "Kanal 3" in html
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_fetch_now_claims_the_stream(
    org: Org, people: People, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cursor = cursor_of(_active(org.press_channel))
    with django_capture_on_commit_callbacks() as queued:
        response = client_for(people.community_manager).post(
            f"/moderation/ingestion/{cursor.pk}/fetch/"
        )
    assert response.status_code == 302
    cursor.refresh_from_db()
    assert cursor.claimed_at is not None and len(queued) == 1


def test_fetch_now_twice_is_refused_while_it_runs(
    org: Org, people: People, client_for: Any
) -> None:
    cursor = cursor_of(_active(org.press_channel))
    client = client_for(people.community_manager)
    client.post(f"/moderation/ingestion/{cursor.pk}/fetch/")
    response = client.post(f"/moderation/ingestion/{cursor.pk}/fetch/", follow=True)
    assert "being fetched" in response.content.decode() or "gerade" in response.content.decode()


def test_fetch_now_denials(org: Org, people: People, client_for: Any) -> None:
    cursor = cursor_of(_active(org.press_channel))
    url = f"/moderation/ingestion/{cursor.pk}/fetch/"
    assert client_for(people.auditor).post(url).status_code == 403
    assert client_for(people.outsider).post(url).status_code == 404
    cursor.refresh_from_db()
    assert cursor.claimed_at is None


def test_api_lists_the_same_content(org: Org, people: People, api_client_for: Any) -> None:
    cursor = cursor_of(org.press_channel)
    IngestCursor.objects.filter(pk=cursor.pk).update(
        last_success_at=timezone.now(), last_error="503", items_total=7
    )
    cursor_of(org.police_channel)
    body = api_client_for(people.auditor).get(API).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert {r["channel"] for r in rows} == {org.press_channel.pk}
    assert {r["stream"] for r in rows} == {"comments", "mentions", "messages"}
    row = next(r for r in rows if r["id"] == cursor.pk)
    assert row["stream"] == "comments" and row["items_total"] == 7
    assert row["last_error"] == "503" and row["unavailable"] is False
    assert row["channel_name"] == org.press_channel.name


def test_api_fetch_now_and_denials(org: Org, people: People, api_client_for: Any) -> None:
    cursor = cursor_of(_active(org.press_channel))
    url = f"{API}{cursor.pk}/fetch-now/"
    assert api_client_for(people.auditor).post(url).status_code == 403
    assert api_client_for(people.outsider).post(url).status_code == 404
    response = api_client_for(people.community_manager).post(url)
    assert response.status_code == 202 and response.json()["running"] is True
    again = api_client_for(people.community_manager).post(url)
    assert again.status_code == 409


def test_api_anonymous_is_refused(org: Org) -> None:
    assert APIClient().get(API).status_code in (401, 403)


def test_api_respects_retry_after(org: Org, people: People, api_client_for: Any) -> None:
    cursor = cursor_of(_active(org.press_channel))
    IngestCursor.objects.filter(pk=cursor.pk).update(
        not_before=timezone.now() + timedelta(minutes=5)
    )
    response = api_client_for(people.community_manager).post(f"{API}{cursor.pk}/fetch-now/")
    assert response.status_code == 409


def test_fetch_now_needs_a_connected_channel(org: Org, people: People, api_client_for: Any) -> None:
    cursor = cursor_of(org.press_channel)  # the factory's channels are not connected
    response = api_client_for(people.community_manager).post(f"{API}{cursor.pk}/fetch-now/")
    assert response.status_code == 409
    cursor.refresh_from_db()
    assert cursor.claimed_at is None


def test_a_disconnected_channels_streams_say_so_and_offer_no_fetch(
    org: Org, people: People, client_for: Any
) -> None:
    cursor = cursor_of(org.press_channel)  # the factory's channels are not connected
    html = client_for(people.community_manager).get(PAGE).content.decode()
    assert "the channel is not connected" in html or "nicht verbunden" in html
    assert f"/moderation/ingestion/{cursor.pk}/fetch/" not in html


def test_api_filters_by_channel_and_stream(org: Org, people: People, api_client_for: Any) -> None:
    cursor_of(org.press_channel)
    cursor_of(org.social_channel)
    client = api_client_for(people.auditor)
    body = client.get(API, {"channel": org.social_channel.pk, "stream": "mentions"}).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(r["channel"], r["stream"]) for r in rows] == [(org.social_channel.pk, "mentions")]
    assert client.get(API, {"channel": "x"}).status_code == 400
    assert client.get(API, {"stream": "faxes"}).status_code == 400
