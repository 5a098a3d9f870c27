"""X adapter: requests as documented at docs.x.com, faked at the HTTP boundary."""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests
import responses
from responses import matchers

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import ProblemSeverity
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.x import API
from channels_app.adapters.x import AUTHORIZE_URL
from channels_app.adapters.x import REVOKE_URL
from channels_app.adapters.x import TOKEN_URL
from channels_app.adapters.x import XAdapter
from tests.channels_app.adapters.conftest import load_fixture

ACCESS = "x-access-token-SECRET-1234567890"
REFRESH = "x-refresh-token-SECRET-0987654321"
CLIENT_SECRET = "x-client-secret-SECRET-abcdef"
USER_ID = "2244994945"


def fx(name: str) -> Any:
    return load_fixture("x", name)


@pytest.fixture(autouse=True)
def x_settings(settings: Any) -> None:
    settings.X_CLIENT_ID = "x-client-id"
    settings.X_CLIENT_SECRET = CLIENT_SECRET


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("channels_app.adapters.x.time.sleep", lambda _s: None)


@pytest.fixture
def changed() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def adapter(changed: list[dict[str, Any]]) -> XAdapter:
    return XAdapter(
        ChannelContext(platform="x", account_id=USER_ID, handle="musterstadt"),
        {
            "access_token": ACCESS,
            "refresh_token": REFRESH,
            "expires_at": "2026-11-25T02:00:00+00:00",
        },
        on_credentials_changed=changed.append,
    )


def form(body: bytes | str) -> dict[str, list[str]]:
    return parse_qs(body if isinstance(body, str) else body.decode())


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


SPERRUNG = (
    "Sperrung der Hauptstraße zwischen Markt und Bahnhof bis Freitag & Umleitung über die"
    " Ringstraße."
)


def comment(remote_id: str = "1347000000000000002") -> RemoteComment:
    return RemoteComment(
        remote_id=remote_id,
        post_remote_id="1346889436626259968",
        author_name="Erika Mustermann",
        author_id="1509876543210",
        text="Gilt das auch für die Außenstelle in Nordheim?",
        created_at=None,
    )


# --- validation: length as X counts it -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("a" * 280, True),
        ("a" * 281, False),
        ("👩‍👩‍👧‍👦" * 140, True),  # an emoji ZWJ sequence weighs 2
        ("👩‍👩‍👧‍👦" * 141, False),
        ("🇩🇪" * 140, True),  # a flag weighs 2
        ("🇩🇪" * 141, False),
        ("e\u0301" * 280, True),  # NFC: é is one light character
        ("e\u0301" * 281, False),
        ("日本" * 70, True),  # CJK weighs 2
        ("日本語" * 47, False),
        ("x" * 257 + "https://www.musterstadt.de/" + "a" * 500, False),
        ("x" * 256 + " https://www.musterstadt.de/" + "a" * 500, True),  # URL = 23
        ("@musterstadt " * 21, True),  # mentions count in full: 13 * 21 = 273
        ("@musterstadt " * 22, False),
    ],
)
def test_validate_length(adapter: XAdapter, content: Any, text: str, ok: bool) -> None:
    problems = adapter.validate(content(text))
    assert ("text_too_long" not in {p.code for p in problems}) is ok


def test_validate_media(
    adapter: XAdapter, content: Any, image_file: MediaItem, video_file: MediaItem
) -> None:
    assert adapter.validate(content(media=(image_file,) * 4)) == []
    codes = {p.code for p in adapter.validate(content(media=(image_file,) * 5))}
    assert "too_many_images" in codes
    mixed = {p.code for p in adapter.validate(content(media=(image_file, video_file)))}
    assert "media_mixed" in mixed
    big = MediaItem(path="x.jpg", mime_type="image/jpeg", kind=MediaKind.IMAGE, size=6_000_000)
    assert "media_too_large" in {p.code for p in adapter.validate(content(media=(big,)))}
    gif = MediaItem(path="a.gif", mime_type="image/gif", kind=MediaKind.IMAGE, size=10_000_000)
    assert adapter.validate(content(media=(gif,))) == []
    assert "gif_not_alone" in {p.code for p in adapter.validate(content(media=(gif, image_file)))}
    bmp = MediaItem(path="a.bmp", mime_type="image/bmp", kind=MediaKind.IMAGE, size=10)
    assert "media_type" in {p.code for p in adapter.validate(content(media=(bmp,)))}
    long_alt = MediaItem(
        path="a.jpg", mime_type="image/jpeg", kind=MediaKind.IMAGE, size=10, alt_text="a" * 1001
    )
    assert "alt_text_too_long" in {p.code for p in adapter.validate(content(media=(long_alt,)))}
    problems = adapter.validate(content(media=(video_file,)))
    assert [(p.code, p.severity) for p in problems] == [
        ("alt_text_ignored", ProblemSeverity.WARNING)
    ]
    long_video = MediaItem(
        path="v.mp4", mime_type="video/mp4", kind=MediaKind.VIDEO, size=10, duration_seconds=141
    )
    assert "video_too_long" in {p.code for p in adapter.validate(content(media=(long_video,)))}
    assert "text_empty" in {p.code for p in adapter.validate(content("  "))}


# --- publish -------------------------------------------------------------------------------


@responses.activate
def test_publish_with_image_and_alt_text(
    adapter: XAdapter, content: Any, image_file: MediaItem
) -> None:
    responses.post(f"{API}/2/media/upload", json=fx("media_upload.json"))
    responses.post(
        f"{API}/2/media/metadata",
        json=fx("media_metadata.json"),
        match=[
            matchers.json_params_matcher(
                {
                    "id": "1146654567674912769",
                    "metadata": {
                        "alt_text": {"text": "Das Rathaus von Musterstadt im Sonnenschein"}
                    },
                }
            )
        ],
    )
    responses.post(
        f"{API}/2/tweets",
        json=fx("tweet_create.json"),
        status=201,
        match=[
            matchers.json_params_matcher(
                {
                    "text": "Heute ist das Bürgerbüro bis 18 Uhr geöffnet.",
                    "media": {"media_ids": ["1146654567674912769"]},
                }
            )
        ],
    )
    result = adapter.publish(content(media=(image_file,)), "key-1")
    assert result.remote_id == "1346889436626259968"
    assert result.url == "https://x.com/musterstadt/status/1346889436626259968"
    upload, metadata, post = responses.calls
    for call in responses.calls:
        assert call.request.headers["Authorization"] == f"Bearer {ACCESS}"
        assert call.request.headers["User-Agent"].startswith("Sprachrohr/")
    assert upload.request.headers["Content-Type"].startswith("multipart/form-data")
    body = upload.request.body
    assert b'name="media_category"\r\n\r\ntweet_image' in body
    assert b'name="media_type"\r\n\r\nimage/jpeg' in body
    assert b'name="media"; filename="rathaus.jpg"' in body
    assert image_file.read() in body
    assert metadata.request.method == "POST"
    assert post.request.method == "POST"


@responses.activate
def test_publish_video_chunked(adapter: XAdapter, content: Any, video_file: MediaItem) -> None:
    media_id = "1880028106020515840"
    responses.post(
        f"{API}/2/media/upload/initialize",
        json=fx("media_initialize.json"),
        match=[
            matchers.json_params_matcher(
                {
                    "media_type": "video/mp4",
                    "total_bytes": video_file.size,
                    "media_category": "amplify_video",
                }
            )
        ],
    )
    responses.post(f"{API}/2/media/upload/{media_id}/append", json=fx("media_append.json"))
    responses.post(f"{API}/2/media/upload/{media_id}/finalize", json=fx("media_finalize.json"))
    responses.get(
        f"{API}/2/media/upload",
        json=fx("media_status.json"),
        match=[matchers.query_param_matcher({"command": "STATUS", "media_id": media_id})],
    )
    responses.post(
        f"{API}/2/tweets",
        json=fx("tweet_create.json"),
        status=201,
        match=[
            matchers.json_params_matcher(
                {"text": "Baustelle am Marktplatz", "media": {"media_ids": [media_id]}}
            )
        ],
    )
    result = adapter.publish(content("Baustelle am Marktplatz", media=(video_file,)), "key-v")
    assert result.remote_id == "1346889436626259968"
    urls = [c.request.url.split("?")[0] for c in responses.calls]
    assert urls == [
        f"{API}/2/media/upload/initialize",
        f"{API}/2/media/upload/{media_id}/append",
        f"{API}/2/media/upload/{media_id}/finalize",
        f"{API}/2/media/upload",
        f"{API}/2/tweets",
    ]
    append = responses.calls[1].request.body
    assert b'name="segment_index"\r\n\r\n0' in append
    assert video_file.read() in append
    # X attaches alt text to images only: no metadata call for the video.
    assert all("metadata" not in c.request.url for c in responses.calls)


@responses.activate
def test_publish_video_processing_failed(
    adapter: XAdapter, content: Any, video_file: MediaItem
) -> None:
    media_id = "1880028106020515840"
    responses.post(f"{API}/2/media/upload/initialize", json=fx("media_initialize.json"))
    responses.post(f"{API}/2/media/upload/{media_id}/append", json=fx("media_append.json"))
    failed = fx("media_finalize.json")
    failed["data"]["processing_info"] = {
        "state": "failed",
        "progress_percent": 0,
        "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"},
    }
    responses.post(f"{API}/2/media/upload/{media_id}/finalize", json=failed)
    with pytest.raises(ContentRejectedError, match="Unsupported video format"):
        adapter.publish(content(media=(video_file,)), "key-v")
    assert not any(c.request.url.endswith("/2/tweets") for c in responses.calls)


# --- no double post ------------------------------------------------------------------------


@responses.activate
def test_find_published_finds_earlier_post(
    adapter: XAdapter, content: Any, image_file: MediaItem
) -> None:
    responses.get(f"{API}/2/users/{USER_ID}/tweets", json=fx("user_tweets.json"))
    found = adapter.find_published(content(media=(image_file,)), "key-1")
    assert found is not None
    assert found.remote_id == "1346889436626259968"
    assert found.published_at is not None and found.published_at.tzinfo is not None
    params = query(responses.calls[0].request.url)
    assert params["exclude"] == ["replies,retweets"]
    assert params["max_results"] == ["20"]
    assert "start_time" in params
    assert responses.calls[0].request.headers["Authorization"] == f"Bearer {ACCESS}"


@responses.activate
def test_find_published_matches_despite_tco_and_html_escaping(
    adapter: XAdapter, content: Any, image_file: MediaItem
) -> None:
    responses.get(f"{API}/2/users/{USER_ID}/tweets", json=fx("user_tweets.json"))
    found = adapter.find_published(content(SPERRUNG), "key-2")
    # Same text as the earlier post, but that one carried an image: not the same post.
    assert adapter.find_published(content(media=()), "key-2") is None
    assert found is not None and found.remote_id == "1346880000000000000"
    assert adapter.find_published(content("Ein ganz anderer Text"), "key-3") is None
    # Same text as a text-only post, but this one has an image: not the same post.
    assert adapter.find_published(content(SPERRUNG, media=(image_file,)), "key-4") is None


@responses.activate
def test_retry_after_lost_answer_does_not_post_twice(adapter: XAdapter, content: Any) -> None:
    """The first POST times out after X created the post; the retry finds it."""
    responses.post(f"{API}/2/tweets", body=requests.exceptions.ReadTimeout())
    responses.get(f"{API}/2/users/{USER_ID}/tweets", json=fx("user_tweets_empty.json"))
    with pytest.raises(TransientError):
        adapter.publish(content(SPERRUNG), "key-1")
    responses.replace(responses.GET, f"{API}/2/users/{USER_ID}/tweets", json=fx("user_tweets.json"))
    # The caller's retry path: look first, publish only if nothing is found.
    found = adapter.find_published(content(SPERRUNG), "key-1")
    assert found is not None and found.remote_id == "1346880000000000000"
    assert len([c for c in responses.calls if c.request.url == f"{API}/2/tweets"]) == 1


@responses.activate
def test_publish_retry_turns_duplicate_rejection_into_earlier_post(
    adapter: XAdapter, content: Any
) -> None:
    responses.post(f"{API}/2/tweets", json=fx("error_403_duplicate.json"), status=403)
    responses.get(f"{API}/2/users/{USER_ID}/tweets", json=fx("user_tweets.json"))
    result = adapter.publish(content(SPERRUNG), "key-1")
    assert result.remote_id == "1346880000000000000"
    # The duplicate path searches without a time window: X said the post exists.
    assert "start_time" not in query(responses.calls[1].request.url)


@responses.activate
def test_publish_timeout_then_found_in_same_call(adapter: XAdapter, content: Any) -> None:
    responses.post(f"{API}/2/tweets", body=requests.exceptions.ReadTimeout())
    responses.get(f"{API}/2/users/{USER_ID}/tweets", json=fx("user_tweets.json"))
    assert adapter.publish(content(SPERRUNG), "key-1").remote_id == "1346880000000000000"


# --- delete, metrics, comments, reply, hide ----------------------------------------------------


@responses.activate
def test_delete(adapter: XAdapter) -> None:
    responses.delete(f"{API}/2/tweets/1346889436626259968", json=fx("tweet_delete.json"))
    adapter.delete("1346889436626259968")
    assert responses.calls[0].request.method == "DELETE"
    assert responses.calls[0].request.headers["Authorization"] == f"Bearer {ACCESS}"


@responses.activate
def test_post_metrics(adapter: XAdapter) -> None:
    responses.get(
        f"{API}/2/tweets",
        json=fx("tweets_metrics.json"),
        match=[
            matchers.query_param_matcher(
                {"ids": "1346889436626259968", "tweet.fields": "public_metrics,non_public_metrics"}
            )
        ],
    )
    [metrics] = adapter.fetch_post_metrics(["1346889436626259968"])
    assert metrics.impressions == 5102
    assert metrics.likes == 87
    assert metrics.comments == 4
    assert metrics.shares == 15
    assert metrics.clicks == 61


@responses.activate
def test_post_metrics_fall_back_to_public_metrics(adapter: XAdapter) -> None:
    responses.get(
        f"{API}/2/tweets",
        json=fx("error_400_invalid.json"),
        status=400,
        match=[
            matchers.query_param_matcher(
                {"ids": "1", "tweet.fields": "public_metrics,non_public_metrics"}
            )
        ],
    )
    responses.get(
        f"{API}/2/tweets",
        json=fx("tweets_metrics_public.json"),
        match=[matchers.query_param_matcher({"ids": "1", "tweet.fields": "public_metrics"})],
    )
    [metrics] = adapter.fetch_post_metrics(["1"])
    assert metrics.impressions == 900 and metrics.clicks is None


@responses.activate
def test_account_metrics_and_connection(adapter: XAdapter) -> None:
    responses.get(f"{API}/2/users/me", json=fx("users_me.json"))
    metrics = adapter.fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts) == (12840, 312, 4521)
    assert query(responses.calls[0].request.url) == {"user.fields": ["public_metrics"]}
    info = adapter.test_connection()
    assert (info.account_id, info.handle, info.url) == (
        USER_ID,
        "musterstadt",
        "https://x.com/musterstadt",
    )


@responses.activate
def test_fetch_comments_with_cursor(adapter: XAdapter) -> None:
    url = f"{API}/2/users/{USER_ID}/mentions"
    responses.get(url, json=fx("mentions_page1.json"))
    # First call ever: the latest page, no since_id.
    page = adapter.fetch_comments(None)
    first = query(responses.calls[0].request.url)
    assert "since_id" not in first and "pagination_token" not in first
    assert first["expansions"] == ["author_id"]
    assert first["max_results"] == ["100"]
    assert [c.remote_id for c in page.items] == ["1347000000000000002", "1347000000000000001"]
    item = page.items[0]
    assert item.post_remote_id == "1346889436626259968"
    assert item.parent_remote_id == "1346889436626259968"
    assert item.author_name == "Erika Mustermann"
    assert item.url == "https://x.com/erika_m/status/1347000000000000002"
    assert item.created_at is not None and item.created_at.tzinfo is not None
    assert page.items[1].text == "@musterstadt Danke & schönen Tag!"
    assert page.next_cursor == "s=1347000000000000002"

    # Next poll: since_id; more than one page of new mentions → keep paging.
    responses.replace(responses.GET, url, json=fx("mentions_page1.json"))
    page = adapter.fetch_comments("s=1346990000000000000")
    assert query(responses.calls[1].request.url)["since_id"] == ["1346990000000000000"]
    assert page.next_cursor == (
        "s=1346990000000000000;n=1347000000000000002;p=7140dibdnow9c7btw423x8m4wh2fnmhhuwj5sz8s5mrfd"
    )
    responses.replace(responses.GET, url, json=fx("mentions_page2.json"))
    page = adapter.fetch_comments(page.next_cursor)
    params = query(responses.calls[2].request.url)
    assert params["since_id"] == ["1346990000000000000"]
    assert params["pagination_token"] == ["7140dibdnow9c7btw423x8m4wh2fnmhhuwj5sz8s5mrfd"]
    assert [c.remote_id for c in page.items] == ["1346999999999999999"]
    # Paging done: since_id moves to the newest mention of the first page.
    assert page.next_cursor == "s=1347000000000000002"


@responses.activate
def test_fetch_comments_nothing_new_keeps_cursor(adapter: XAdapter) -> None:
    responses.get(f"{API}/2/users/{USER_ID}/mentions", json={"meta": {"result_count": 0}})
    page = adapter.fetch_comments("s=1347000000000000002")
    assert page.items == [] and page.next_cursor == "s=1347000000000000002"


@responses.activate
def test_reply(adapter: XAdapter) -> None:
    responses.post(
        f"{API}/2/tweets",
        json=fx("reply_create.json"),
        status=201,
        match=[
            matchers.json_params_matcher(
                {
                    "text": "Ja, auch in Nordheim.",
                    "reply": {"in_reply_to_tweet_id": "1347000000000000002"},
                }
            ),
            matchers.header_matcher({"Authorization": f"Bearer {ACCESS}"}),
        ],
    )
    result = adapter.reply(comment(), "Ja, auch in Nordheim.")
    assert result.remote_id == "1346889436626259999"


@responses.activate
def test_hide_comment(adapter: XAdapter) -> None:
    responses.put(
        f"{API}/2/tweets/1347000000000000002/hidden",
        json=fx("tweet_hidden.json"),
        match=[
            matchers.json_params_matcher({"hidden": True}),
            matchers.header_matcher({"Authorization": f"Bearer {ACCESS}"}),
        ],
    )
    adapter.hide_comment(comment())
    assert responses.calls[0].request.method == "PUT"


def test_delete_comment_not_supported(adapter: XAdapter) -> None:
    assert adapter.capabilities.delete_comments is False
    with pytest.raises(NotSupportedError):
        adapter.delete_comment(comment())


# --- error mapping -------------------------------------------------------------------------


@responses.activate
@pytest.mark.parametrize(
    ("status", "fixture", "error", "code"),
    [
        (401, "error_401.json", AuthenticationError, "about:blank"),
        (403, "error_403_client_forbidden.json", AuthenticationError, "client-forbidden"),
        (403, "error_403_duplicate.json", ContentRejectedError, "duplicate"),
        (404, "error_404.json", RemoteNotFoundError, "resource-not-found"),
        (400, "error_400_invalid.json", ContentRejectedError, "invalid-request"),
        (503, "error_503.json", TransientError, "about:blank"),
    ],
)
def test_error_mapping(
    adapter: XAdapter, status: int, fixture: str, error: type, code: str
) -> None:
    responses.delete(f"{API}/2/tweets/1", json=fx(fixture), status=status)
    with pytest.raises(error) as info:
        adapter.delete("1")
    assert type(info.value) is error
    assert info.value.status == status
    assert info.value.code == code


@responses.activate
def test_missing_scope_403_is_authentication(adapter: XAdapter) -> None:
    body = {
        "detail": "You are not permitted to perform this action.",
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
    }
    responses.put(f"{API}/2/tweets/1/hidden", json=body, status=403)
    with pytest.raises(AuthenticationError):
        adapter.hide_comment(comment("1"))


@responses.activate
def test_error_400_reason_in_message(adapter: XAdapter, content: Any) -> None:
    responses.post(f"{API}/2/tweets", json=fx("error_400_invalid.json"), status=400)
    with pytest.raises(ContentRejectedError, match="One or more parameters"):
        adapter.publish(content(), "k")


@responses.activate
def test_429_uses_retry_after_header(adapter: XAdapter) -> None:
    responses.delete(
        f"{API}/2/tweets/1", json=fx("error_429.json"), status=429, headers={"Retry-After": "120"}
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.delete("1")
    assert info.value.retry_after == 120


@responses.activate
def test_429_uses_x_rate_limit_reset(adapter: XAdapter) -> None:
    reset = int(time.time()) + 600
    responses.delete(
        f"{API}/2/tweets/1",
        json=fx("error_429.json"),
        status=429,
        headers={
            "x-rate-limit-limit": "50",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset),
        },
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.delete("1")
    assert info.value.retry_after is not None and 590 <= info.value.retry_after <= 600


@responses.activate
def test_timeout_is_transient(adapter: XAdapter) -> None:
    responses.delete(f"{API}/2/tweets/1", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(TransientError):
        adapter.delete("1")


@responses.activate
def test_malformed_body(adapter: XAdapter) -> None:
    responses.get(f"{API}/2/users/me", body="<html>Bad gateway</html>", status=200)
    with pytest.raises(MalformedResponseError):
        adapter.test_connection()
    responses.replace(responses.GET, f"{API}/2/users/me", json={"unexpected": True})
    with pytest.raises(MalformedResponseError):
        adapter.test_connection()


@responses.activate
def test_no_credential_in_messages_or_logs(
    adapter: XAdapter, content: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    failures = [
        (401, fx("error_401.json")),
        (403, fx("error_403_duplicate.json")),
        (429, fx("error_429.json")),
        (500, {"detail": f"echo {ACCESS}"}),
    ]
    messages = []
    for status, body in failures:
        responses.upsert(responses.POST, f"{API}/2/tweets", json=body, status=status)
        responses.upsert(
            responses.GET, f"{API}/2/users/{USER_ID}/tweets", json=fx("user_tweets_empty.json")
        )
        with pytest.raises(PlatformError) as info:
            adapter.publish(content(), "k")
        messages.append(str(info.value))
    responses.upsert(
        responses.POST, TOKEN_URL, json=fx("error_token_invalid_grant.json"), status=400
    )
    with pytest.raises(AuthenticationError) as info:
        adapter.refresh_credentials()
    messages.append(str(info.value))
    text = "\n".join(messages) + "\n".join(r.getMessage() for r in caplog.records)
    for secret in (ACCESS, REFRESH, CLIENT_SECRET):
        assert secret not in text


# --- OAuth and credentials -----------------------------------------------------------------


@responses.activate
def test_refresh_rotates_refresh_token(adapter: XAdapter, changed: list[dict[str, Any]]) -> None:
    responses.post(TOKEN_URL, json=fx("token.json"))
    new = adapter.refresh_credentials()
    assert new is not None
    assert new["access_token"] == fx("token.json")["access_token"]
    assert new["refresh_token"] == fx("token.json")["refresh_token"]
    assert changed == [new]
    request = responses.calls[0].request
    assert form(request.body) == {
        "refresh_token": [REFRESH],
        "grant_type": ["refresh_token"],
        "client_id": ["x-client-id"],
    }
    assert request.headers["Authorization"].startswith("Basic ")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"


@responses.activate
def test_refresh_keeps_old_refresh_token(adapter: XAdapter, changed: list[dict[str, Any]]) -> None:
    responses.post(TOKEN_URL, json=fx("token_no_refresh.json"))
    new = adapter.refresh_credentials()
    assert new is not None and new["refresh_token"] == REFRESH
    assert new["access_token"] == fx("token_no_refresh.json")["access_token"]
    assert changed[-1]["refresh_token"] == REFRESH
    assert adapter.credentials["refresh_token"] == REFRESH


def test_refresh_without_refresh_token_is_noop() -> None:
    adapter = XAdapter(ChannelContext(platform="x"), {"access_token": ACCESS})
    assert adapter.refresh_credentials() is None


@responses.activate
def test_revoke(adapter: XAdapter) -> None:
    responses.post(REVOKE_URL, json=fx("revoke.json"))
    adapter.revoke()
    bodies = [form(c.request.body) for c in responses.calls]
    assert bodies == [
        {"token": [REFRESH], "token_type_hint": ["refresh_token"], "client_id": ["x-client-id"]},
        {"token": [ACCESS], "token_type_hint": ["access_token"], "client_id": ["x-client-id"]},
    ]


def test_oauth_client_requires_settings(settings: Any) -> None:
    settings.X_CLIENT_ID = ""
    with pytest.raises(PlatformError, match="X_CLIENT_ID"):
        XAdapter.oauth_client(base_url="", redirect_uri="", session=requests.Session())


def test_authorize_url() -> None:
    client = XAdapter.oauth_client(base_url="", redirect_uri="", session=requests.Session())
    url = XAdapter.oauth_authorize_url(
        client=client,
        base_url="",
        redirect_uri="https://sprachrohr.example/channels/oauth/callback",
        state="st4te",
        code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    )
    assert url.startswith(AUTHORIZE_URL + "?")
    params = query(url)
    assert params == {
        "response_type": ["code"],
        "client_id": ["x-client-id"],
        "redirect_uri": ["https://sprachrohr.example/channels/oauth/callback"],
        "scope": [
            "tweet.read tweet.write tweet.moderate.write users.read offline.access media.write"
        ],
        "state": ["st4te"],
        "code_challenge": ["E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"],
        "code_challenge_method": ["S256"],
    }
    assert "%20" in url  # scopes separated by spaces, as documented
    with pytest.raises(PlatformError):
        XAdapter.oauth_authorize_url(
            client=client, base_url="", redirect_uri="r", state="s", code_challenge=None
        )


@responses.activate
def test_exchange_code() -> None:
    responses.post(TOKEN_URL, json=fx("token.json"))
    responses.get(
        f"{API}/2/users/me",
        json=fx("users_me.json"),
        match=[
            matchers.header_matcher({"Authorization": f"Bearer {fx('token.json')['access_token']}"})
        ],
    )
    [choice] = XAdapter.oauth_exchange_code(
        client=OAuthClient("x-client-id", CLIENT_SECRET),
        base_url="",
        redirect_uri="https://sprachrohr.example/cb",
        code="c0de",
        code_verifier="v3rifier",
        session=requests.Session(),
    )
    assert form(responses.calls[0].request.body) == {
        "code": ["c0de"],
        "grant_type": ["authorization_code"],
        "client_id": ["x-client-id"],
        "redirect_uri": ["https://sprachrohr.example/cb"],
        "code_verifier": ["v3rifier"],
    }
    assert (choice.account_id, choice.handle, choice.name) == (
        USER_ID,
        "musterstadt",
        "Stadt Musterstadt",
    )
    assert choice.credentials["refresh_token"] == fx("token.json")["refresh_token"]
    assert choice.credentials["expires_at"].endswith("+00:00")
    assert json.dumps(choice.credentials)


def test_capabilities_are_consistent() -> None:
    caps = XAdapter.capabilities
    assert caps.max_text_length == 280 and caps.max_images == 4
    assert str(caps.text_counting) and str(caps.idempotency)
    assert XAdapter.oauth_uses_pkce is True


def test_content_fixture_is_post_content(content: Any) -> None:
    assert isinstance(content(), PostContent)


# --- inbox streams ---------------------------------------------------------------------------


@responses.activate
def test_mentions_timeline_items_carry_kind_handle_and_raw(adapter: XAdapter) -> None:
    responses.get(f"{API}/2/users/{USER_ID}/mentions", json=fx("mentions_page1.json"))
    page = adapter.fetch_comments(None)
    reply = page.items[0]
    assert reply.kind == "comment"  # it answers a post in the account's conversation
    assert reply.author_handle == "@erika_m"
    assert reply.author_url == "https://x.com/erika_m"
    assert reply.raw["id"] == "1347000000000000002"
    assert not reply.by_account


@responses.activate
def test_a_full_page_while_paging_says_there_is_more(adapter: XAdapter) -> None:
    responses.get(f"{API}/2/users/{USER_ID}/mentions", json=fx("mentions_page1.json"))
    assert adapter.fetch_comments("s=1346990000000000000").has_more is True


def test_mentions_come_with_the_comments_on_x(adapter: XAdapter) -> None:
    with pytest.raises(NotSupportedError, match="mentions timeline"):
        adapter.fetch_mentions(None)
    with pytest.raises(NotSupportedError):
        adapter.fetch_messages(None)


def test_a_bare_domain_is_compared_without_its_tco_link() -> None:
    from channels_app.adapters.x import _normalise

    # X links musterstadt.de/termine as well and returns it as a t.co link.
    assert _normalise("Termine: musterstadt.de/termine ab Montag") == _normalise(
        "Termine: https://t.co/AbCdEf1234 ab Montag"
    )
