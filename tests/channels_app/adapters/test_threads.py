"""Threads adapter against the documented Threads API, faked at the HTTP boundary."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests
import responses
import time_machine
from django.test import override_settings

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.threads import ThreadsAdapter
from channels_app.adapters.threads import threads_length
from tests.channels_app.adapters.conftest import load_fixture

API = "https://graph.threads.net/v1.0"
USER = "7891011121314"
TOKEN = "THQVJsecretaccesstoken0815"


def fx(name: str) -> dict:
    return load_fixture("threads", name)


def form(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(call.request.body).items()}


def query(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}


def path(call) -> str:
    return urlsplit(call.request.url).path


@pytest.fixture
def adapter() -> ThreadsAdapter:
    a = ThreadsAdapter(
        ChannelContext(platform="threads", account_id=USER, handle="stadt.musterstadt"),
        {"access_token": TOKEN, "expires_at": "2025-05-01T00:00:00+00:00"},
    )
    a.poll_interval = 0
    return a


# --- Length counting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bürgerbüro", 10),
        ("e\u0301", 1),  # combining accent: one character
        ("👍", 4),  # an emoji counts its UTF-8 bytes
        ("🇩🇪", 8),  # a flag: two regional indicators, 4 bytes each
        ("👩\u200d👩\u200d👧\u200d👦", 25),  # ZWJ family: four emoji of 4 bytes, three ZWJ of 3
        ("市役所", 3),  # CJK: one each
        ("https://www.musterstadt.example/a", 33),  # links count in full
        ("@stadt.musterstadt", 18),
    ],
)
def test_threads_length(text: str, expected: int) -> None:
    assert threads_length(text) == expected


def test_validate_counts_emoji_bytes_against_500(adapter, content) -> None:
    assert adapter.validate(content("a" * 500)) == []
    problems = adapter.validate(content("a" * 497 + "👍"))
    assert [p.code for p in problems] == ["text_too_long"]
    assert "501" in problems[0].message


def test_validate_media_needs_public_url_and_format(adapter, content, image_file) -> None:
    no_url = replace(image_file, public_url=None)
    gif = replace(image_file, mime_type="image/gif")
    problems = adapter.validate(content(media=(no_url, gif)))
    assert {(p.code, p.field) for p in problems} == {
        ("media_public_url_missing", "media.0"),
        ("media_type", "media.1"),
    }


def test_validate_video_duration(adapter, content, video_file) -> None:
    long_video = replace(video_file, duration_seconds=301)
    assert [p.code for p in adapter.validate(content(media=(long_video,)))] == ["video_too_long"]


# --- Publishing -----------------------------------------------------------------------------


@responses.activate
def test_publish_text(adapter, content) -> None:
    responses.post(f"{API}/{USER}/threads", json=fx("container.json"))
    responses.post(f"{API}/{USER}/threads_publish", json=fx("threads_publish.json"))
    responses.get(f"{API}/18050206876707110", json=fx("thread.json"))

    result = adapter.publish(content(), "key-1")

    assert result.remote_id == "18050206876707110"
    assert result.url == "https://www.threads.net/@stadt.musterstadt/post/C9xYzAbCdEf"
    assert result.published_at == datetime(2025, 3, 3, 9, 0, 12, tzinfo=UTC)
    create, publish, read = responses.calls
    assert create.request.method == "POST"
    assert create.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in create.request.url  # the token travels in the header only
    assert form(create) == {
        "media_type": "TEXT",
        "text": "Heute ist das Bürgerbüro bis 18 Uhr geöffnet.",
    }
    assert form(publish) == {"creation_id": "17889615691921648"}
    assert query(read) == {"fields": "id,text,permalink,timestamp"}
    assert "Sprachrohr/" in create.request.headers["User-Agent"]


@responses.activate
def test_publish_image_with_alt_text_waits_for_container(adapter, content, image_file) -> None:
    responses.post(f"{API}/{USER}/threads", json=fx("container.json"))
    responses.get(f"{API}/17889615691921648", json=fx("container_status_in_progress.json"))
    responses.get(f"{API}/17889615691921648", json=fx("container_status_finished.json"))
    responses.post(f"{API}/{USER}/threads_publish", json=fx("threads_publish.json"))
    responses.get(f"{API}/18050206876707110", json=fx("thread.json"))

    result = adapter.publish(content(media=(image_file,)), "key-1")

    assert result.remote_id == "18050206876707110"
    create, status1, status2, publish, _read = responses.calls
    assert form(create) == {
        "media_type": "IMAGE",
        "image_url": "https://www.musterstadt.example/media/rathaus.jpg",
        "alt_text": "Das Rathaus von Musterstadt im Sonnenschein",
        "text": "Heute ist das Bürgerbüro bis 18 Uhr geöffnet.",
    }
    assert query(status1) == {"fields": "status,error_message"}
    assert status2.request.method == "GET"
    assert form(publish) == {"creation_id": "17889615691921648"}


@responses.activate
def test_publish_carousel(adapter, content, image_file, video_file) -> None:
    responses.post(f"{API}/{USER}/threads", json=fx("container_child_1.json"))
    responses.post(f"{API}/{USER}/threads", json=fx("container_child_2.json"))
    responses.post(f"{API}/{USER}/threads", json=fx("container.json"))
    for container in ("17889615691921601", "17889615691921602", "17889615691921648"):
        responses.get(f"{API}/{container}", json=fx("container_status_finished.json"))
    responses.post(f"{API}/{USER}/threads_publish", json=fx("threads_publish.json"))
    responses.get(f"{API}/18050206876707110", json=fx("thread.json"))

    adapter.publish(content(media=(image_file, video_file)), "key-1")

    child1, child2, _s1, _s2, parent, _s3, publish, _read = responses.calls
    assert form(child1) == {
        "media_type": "IMAGE",
        "image_url": "https://www.musterstadt.example/media/rathaus.jpg",
        "alt_text": "Das Rathaus von Musterstadt im Sonnenschein",
        "is_carousel_item": "true",
    }
    assert form(child2) == {
        "media_type": "VIDEO",
        "video_url": "https://www.musterstadt.example/media/baustelle.mp4",
        "alt_text": "Bagger auf der Baustelle am Marktplatz",
        "is_carousel_item": "true",
    }
    assert form(parent) == {
        "media_type": "CAROUSEL",
        "children": "17889615691921601,17889615691921602",
        "text": "Heute ist das Bürgerbüro bis 18 Uhr geöffnet.",
    }
    assert form(publish) == {"creation_id": "17889615691921648"}


@responses.activate
def test_container_error_is_rejected_content(adapter, content, video_file) -> None:
    responses.post(f"{API}/{USER}/threads", json=fx("container.json"))
    responses.get(f"{API}/17889615691921648", json=fx("container_status_error.json"))

    with pytest.raises(ContentRejectedError, match="FAILED_DOWNLOADING_VIDEO"):
        adapter.publish(content(media=(video_file,)), "key-1")
    assert not [c for c in responses.calls if c.request.url.endswith("threads_publish")]


def test_publish_refuses_invalid_content_without_request(adapter, content) -> None:
    with responses.RequestsMock(), pytest.raises(ContentRejectedError):
        adapter.publish(content("x" * 501), "key-1")


# --- No double post -------------------------------------------------------------------------


@responses.activate
@time_machine.travel(datetime(2025, 3, 3, 12, 0, tzinfo=UTC), tick=False)
def test_find_published_finds_the_earlier_thread(adapter, content) -> None:
    responses.get(f"{API}/{USER}/threads", json=fx("threads_list.json"))

    found = adapter.find_published(content(), "key-1")

    assert found is not None
    assert found.remote_id == "18050206876707110"
    assert found.url.endswith("/C9xYzAbCdEf")
    assert query(responses.calls[0]) == {
        "fields": "id,text,permalink,timestamp",
        "since": str(int(datetime(2025, 3, 1, 12, 0, tzinfo=UTC).timestamp())),
        "limit": "25",
    }


@responses.activate
def test_retry_after_lost_answer_does_not_post_twice(adapter, content) -> None:
    """The first attempt reached Threads but its answer was lost (timeout); the caller asks
    ``find_published`` before retrying and gets the thread instead of posting again."""
    responses.post(f"{API}/{USER}/threads", json=fx("container.json"))
    responses.post(
        f"{API}/{USER}/threads_publish", body=requests.exceptions.ReadTimeout("lost answer")
    )
    responses.get(f"{API}/{USER}/threads", json=fx("threads_list.json"))

    with pytest.raises(TransientError):
        adapter.publish(content(), "key-1")
    found = adapter.find_published(content(), "key-1")

    assert found is not None and found.remote_id == "18050206876707110"
    publishes = [c for c in responses.calls if path(c).endswith("/threads_publish")]
    assert len(publishes) == 1


@responses.activate
def test_find_published_returns_none_for_other_text(adapter, content) -> None:
    responses.get(f"{API}/{USER}/threads", json=fx("threads_list.json"))
    assert adapter.find_published(content("Ganz anderer Text"), "key-1") is None


# --- Delete, metrics ------------------------------------------------------------------------


@responses.activate
def test_delete(adapter) -> None:
    responses.delete(f"{API}/18050206876707110", json=fx("delete.json"))
    adapter.delete("18050206876707110")
    assert responses.calls[0].request.method == "DELETE"
    assert responses.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"


@responses.activate
def test_post_metrics(adapter) -> None:
    responses.get(f"{API}/18050206876707110/insights", json=fx("media_insights.json"))
    [metrics] = adapter.fetch_post_metrics(["18050206876707110"])
    assert query(responses.calls[0]) == {"metric": "views,likes,replies,reposts,quotes"}
    assert (metrics.impressions, metrics.likes, metrics.comments, metrics.shares) == (
        4523,
        187,
        42,
        31,
    )


@responses.activate
def test_account_metrics(adapter) -> None:
    responses.get(f"{API}/{USER}/threads_insights", json=fx("user_insights.json"))
    metrics = adapter.fetch_account_metrics()
    assert query(responses.calls[0]) == {"metric": "followers_count,views"}
    assert metrics.followers == 3150
    assert metrics.impressions == 215


# --- Replies ----------------------------------------------------------------------------------


@responses.activate
def test_fetch_comments_follows_cursor_and_stops_at_since(adapter) -> None:
    responses.get(f"{API}/{USER}/threads", json=fx("threads_ids.json"))
    responses.get(f"{API}/18050206876707110/conversation", json=fx("conversation_page1.json"))
    responses.get(f"{API}/18050206876707110/conversation", json=fx("conversation_page2.json"))
    cursor = json.dumps({"since": "2025-03-01T00:00:00+00:00"})

    page = adapter.fetch_comments(cursor)

    assert [c.remote_id for c in page.items] == ["18050206876707201", "18050206876707203"]
    first, second = page.items
    assert first.author_name == "anwohnerin_mia"
    assert first.parent_remote_id == ""  # a top-level reply
    assert first.text == "Gilt das auch am Samstag?"
    assert second.parent_remote_id == "18050206876707201"
    assert second.is_hidden is True
    assert json.loads(page.next_cursor) == {"since": "2025-03-03T10:15:00+00:00"}
    listing, conv1, conv2 = responses.calls
    assert query(listing) == {"fields": "id", "limit": "20"}
    assert query(conv1)["reverse"] == "true"
    assert "after" not in query(conv1)
    assert query(conv2)["after"] == "AFTER_CURSOR_1"


@responses.activate
def test_fetch_comments_next_poll_uses_cursor(adapter) -> None:
    responses.get(f"{API}/{USER}/threads", json=fx("threads_ids.json"))
    responses.get(f"{API}/18050206876707110/conversation", json=fx("conversation_page1.json"))
    cursor = json.dumps({"since": "2025-03-03T10:15:00+00:00"})

    page = adapter.fetch_comments(cursor)

    # The boundary comment comes again (callers deduplicate by id); the older page is skipped.
    assert [c.remote_id for c in page.items] == ["18050206876707201"]
    assert len(responses.calls) == 2


def _comment(**kwargs) -> RemoteComment:
    defaults = {
        "remote_id": "18050206876707201",
        "post_remote_id": "18050206876707110",
        "author_name": "anwohnerin_mia",
        "author_id": "anwohnerin_mia",
        "text": "Gilt das auch am Samstag?",
        "created_at": None,
    }
    return RemoteComment(**{**defaults, **kwargs})


@responses.activate
def test_reply(adapter) -> None:
    responses.post(f"{API}/{USER}/threads", json=fx("container.json"))
    responses.post(f"{API}/{USER}/threads_publish", json=fx("threads_publish.json"))
    responses.get(f"{API}/18050206876707110", json=fx("thread.json"))

    result = adapter.reply(_comment(), "Nein, samstags ist geschlossen.")

    assert result.remote_id == "18050206876707110"
    create, publish, _read = responses.calls
    assert form(create) == {
        "reply_to_id": "18050206876707201",
        "media_type": "TEXT",
        "text": "Nein, samstags ist geschlossen.",
    }
    assert form(publish) == {"creation_id": "17889615691921648"}


@responses.activate
def test_hide_comment(adapter) -> None:
    responses.post(f"{API}/18050206876707201/manage_reply", json=fx("manage_reply.json"))
    adapter.hide_comment(_comment())
    assert form(responses.calls[0]) == {"hide": "true"}


def test_hide_nested_reply_is_refused(adapter) -> None:
    with pytest.raises(ContentRejectedError):
        adapter.hide_comment(_comment(parent_remote_id="18050206876707200"))


def test_delete_comment_not_supported(adapter) -> None:
    assert adapter.capabilities.delete_comments is False
    with pytest.raises(NotSupportedError):
        adapter.delete_comment(_comment())


# --- Errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected"),
    [
        (401, {}, {}, AuthenticationError),
        (403, {}, {}, AuthenticationError),
        (404, {}, {}, RemoteNotFoundError),
        (400, fx("error_invalid_parameter.json"), {}, ContentRejectedError),
        (400, fx("error_invalid_token.json"), {}, AuthenticationError),
        (400, fx("error_permission.json"), {}, AuthenticationError),
        (400, fx("error_rate_limit.json"), {}, RateLimitedError),
        (400, fx("error_transient.json"), {}, TransientError),
        (400, fx("error_not_found.json"), {}, RemoteNotFoundError),
        (429, {}, {"Retry-After": "120"}, RateLimitedError),
        (500, {}, {}, TransientError),
        (503, fx("error_transient.json"), {}, TransientError),
    ],
)
@responses.activate
def test_error_mapping(adapter, status, body, headers, expected) -> None:
    responses.delete(f"{API}/18050206876707110", json=body, status=status, headers=headers)
    with pytest.raises(expected) as info:
        adapter.delete("18050206876707110")
    if status == 429:
        assert info.value.retry_after == 120
    if expected is ContentRejectedError:
        assert "The text is required" in str(info.value)


@responses.activate
def test_timeout_is_transient(adapter) -> None:
    responses.delete(f"{API}/1", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(TransientError):
        adapter.delete("1")


@responses.activate
def test_malformed_body(adapter) -> None:
    responses.get(f"{API}/me", body="<html>Bad gateway</html>", status=200)
    with pytest.raises(MalformedResponseError):
        adapter.test_connection()


@responses.activate
def test_no_credential_in_messages_or_logs(adapter, content, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    echoed = {"error": {"message": f"Invalid OAuth access token {TOKEN}", "code": 100}}
    responses.post(f"{API}/{USER}/threads", json=echoed, status=400)
    responses.delete(f"{API}/1", json=fx("error_invalid_token.json"), status=400)
    responses.get(f"{API}/me", body=requests.exceptions.ConnectionError(f"token={TOKEN}"))
    errors: list[PlatformError] = []
    for call in (
        lambda: adapter.publish(content(), "k"),
        lambda: adapter.delete("1"),
        adapter.test_connection,
    ):
        with pytest.raises(PlatformError) as info:
            call()
        errors.append(info.value)
    for error in errors:
        assert TOKEN not in str(error)
        assert TOKEN not in error.message
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


# --- Tokens and connecting --------------------------------------------------------------------


@responses.activate
@time_machine.travel(datetime(2025, 3, 3, 12, 0, tzinfo=UTC), tick=False)
def test_refresh_keeps_other_keys(adapter) -> None:
    adapter.credentials["refresh_token"] = "kept-refresh-token"
    responses.get("https://graph.threads.net/refresh_access_token", json=fx("refresh_token.json"))

    renewed = adapter.refresh_credentials()

    assert renewed["access_token"] == "THQVJrefreshedtoken789"
    assert renewed["refresh_token"] == "kept-refresh-token"
    assert renewed["expires_at"].startswith("2025-05-02")
    assert query(responses.calls[0]) == {"grant_type": "th_refresh_token", "access_token": TOKEN}


@responses.activate
def test_refresh_with_revoked_token_needs_reconnect(adapter) -> None:
    responses.get(
        "https://graph.threads.net/refresh_access_token",
        json=fx("error_invalid_token.json"),
        status=400,
    )
    with pytest.raises(AuthenticationError) as info:
        adapter.refresh_credentials()
    assert TOKEN not in str(info.value)


def test_oauth_client_needs_settings() -> None:
    with (
        override_settings(META_APP_ID="", META_APP_SECRET=""),
        pytest.raises(PlatformError, match="THREADS_APP_ID"),
    ):
        ThreadsAdapter.oauth_client(base_url="", redirect_uri="", session=requests.Session())


@override_settings(THREADS_APP_ID="1234567", THREADS_APP_SECRET="threads-app-secret-value")
def test_authorize_url() -> None:
    client = ThreadsAdapter.oauth_client(base_url="", redirect_uri="", session=requests.Session())
    url = ThreadsAdapter.oauth_authorize_url(
        client=client,
        base_url="",
        redirect_uri="https://sprachrohr.example/oauth/callback",
        state="s1",
        code_challenge=None,
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://threads.net/oauth/authorize"
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {
        "client_id": "1234567",
        "redirect_uri": "https://sprachrohr.example/oauth/callback",
        "scope": "threads_basic,threads_content_publish,threads_read_replies,"
        "threads_manage_replies,threads_manage_insights,threads_delete",
        "response_type": "code",
        "state": "s1",
    }


@responses.activate
@time_machine.travel(datetime(2025, 3, 3, 12, 0, tzinfo=UTC), tick=False)
def test_exchange_code() -> None:
    responses.post(
        "https://graph.threads.net/oauth/access_token", json=fx("oauth_access_token.json")
    )
    responses.get("https://graph.threads.net/access_token", json=fx("long_lived_token.json"))
    responses.get(f"{API}/me", json=fx("me.json"))
    client = OAuthClient("1234567", "threads-app-secret-value")

    [choice] = ThreadsAdapter.oauth_exchange_code(
        client=client,
        base_url="",
        redirect_uri="https://sprachrohr.example/oauth/callback",
        code="AQBcode",
        code_verifier=None,
        session=requests.Session(),
    )

    assert choice.account_id == USER
    assert choice.handle == "stadt.musterstadt"
    assert choice.credentials["access_token"] == "THQVJlonglivedtoken456"
    assert choice.credentials["expires_at"].startswith("2025-05-02")
    token, long, me = responses.calls
    assert form(token) == {
        "client_id": "1234567",
        "client_secret": "threads-app-secret-value",
        "grant_type": "authorization_code",
        "redirect_uri": "https://sprachrohr.example/oauth/callback",
        "code": "AQBcode",
    }
    assert query(long) == {
        "grant_type": "th_exchange_token",
        "client_secret": "threads-app-secret-value",
        "access_token": "THQVJshortlivedtoken123",
    }
    assert me.request.headers["Authorization"] == "Bearer THQVJlonglivedtoken456"


def test_capabilities() -> None:
    caps = ThreadsAdapter.capabilities
    assert caps.max_text_length == 500
    assert caps.publish_video and caps.hide_comments and not caps.delete_comments
    assert "48 hours" in str(caps.idempotency)


def test_content_dataclass_default_is_valid(adapter) -> None:
    assert adapter.validate(PostContent(text="Guten Morgen aus dem Rathaus! ☀️")) == []


@responses.activate
def test_replies_carry_handle_profile_address_and_raw(adapter) -> None:
    responses.get(f"{API}/{USER}/threads", json=fx("threads_ids.json"))
    responses.get(f"{API}/18050206876707110/conversation", json=fx("conversation_page1.json"))
    responses.get(f"{API}/18050206876707110/conversation", json=fx("conversation_page2.json"))
    page = adapter.fetch_comments(json.dumps({"since": "2025-03-01T00:00:00+00:00"}))
    reply = page.items[0]
    assert reply.author_handle == reply.raw["username"]
    assert reply.author_url == f"https://www.threads.net/@{reply.raw['username']}"
    assert reply.raw["id"] == reply.remote_id
