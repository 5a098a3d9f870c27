"""Mastodon adapter against the documented REST API, faked at the HTTP boundary."""

from __future__ import annotations

import email
import email.policy
import logging
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

import pytest
import requests
import responses
from responses import matchers

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import ProblemSeverity
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import ScopeRefusedError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.mastodon import MastodonAdapter
from channels_app.adapters.mastodon import html_to_text
from channels_app.adapters.registry import adapter_class
from channels_app.models import Platform
from channels_app.services import platform_capabilities
from tests.channels_app.adapters.conftest import load_fixture

BASE = "https://social.bund.de"
TOKEN = "mastodon-user-token-0123456789abcdef"
CLIENT_ID = "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM"
CLIENT_SECRET = "mastodon-client-secret-ZEaFUFmF0umgBX1qKJDj"
ACCOUNT_ID = "109348943361001234"
KEY = "publication-42-channel-7"


def fixture(name: str) -> Any:
    return load_fixture("mastodon", name)


@pytest.fixture
def adapter() -> MastodonAdapter:
    MastodonAdapter.media_poll_interval = 0.0
    return MastodonAdapter(
        ChannelContext(platform="mastodon", account_id=ACCOUNT_ID, base_url=BASE + "/"),
        {"access_token": TOKEN, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )


def form(call: Any) -> list[tuple[str, str]]:
    body = call.request.body
    if isinstance(body, bytes):
        body = body.decode()
    return parse_qsl(body, keep_blank_values=True)


def multipart(call: Any) -> dict[str, tuple[str | None, str, bytes]]:
    """name → (filename, content type, payload) of a multipart/form-data request."""
    header = call.request.headers["Content-Type"].encode()
    message = email.message_from_bytes(
        b"Content-Type: " + header + b"\r\n\r\n" + call.request.body, policy=email.policy.HTTP
    )
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[name] = (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
    return parts


def assert_authorized(call: Any) -> None:
    assert call.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert call.request.headers["User-Agent"].startswith("Sprachrohr/")


def test_registered_under_its_platform_key() -> None:
    assert adapter_class("mastodon") is MastodonAdapter
    caps = MastodonAdapter.capabilities
    assert (caps.hide_comments, caps.delete_comments) == (False, False)
    assert caps.comments and caps.reply and caps.alt_text and caps.publish_video
    assert MastodonAdapter.needs_base_url
    assert str(caps.idempotency) and str(caps.text_counting)


# --- length and validation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("👩‍👩‍👧‍👦", 1),  # ZWJ family: one grapheme
        ("🇩🇪🇪🇺", 2),  # two flags
        ("Café e\u0301", 6),  # combining accent counts with its letter
        ("Infos: https://www.musterstadt.de/aktuelles/meldungen/2024/05/sperrung", 30),
        ("Danke @erika@chaos.social!", 13),  # the domain of a remote mention does not count
        ("市役所は本日休業です", 10),  # CJK: one each
    ],
)
def test_length_is_counted_as_mastodon_counts(
    adapter: MastodonAdapter, text: str, expected: int
) -> None:
    limit_adapter = MastodonAdapter(
        ChannelContext(platform="mastodon", base_url=BASE, settings={"max_characters": expected}),
        {},
    )
    assert limit_adapter.validate(PostContent(text=text)) == []
    limit_adapter = MastodonAdapter(
        ChannelContext(
            platform="mastodon", base_url=BASE, settings={"max_characters": expected - 1}
        ),
        {},
    )
    problems = limit_adapter.validate(PostContent(text=text))
    assert [p.code for p in problems] == ["text_too_long"]
    assert f"{expected} characters" in problems[0].message


def test_limit_comes_from_instance_settings(adapter: MastodonAdapter) -> None:
    text = "x" * 600
    assert [p.code for p in adapter.validate(PostContent(text=text))] == ["text_too_long"]
    wide = MastodonAdapter(
        ChannelContext(platform="mastodon", base_url=BASE, settings={"max_characters": 1000}), {}
    )
    assert wide.validate(PostContent(text=text)) == []
    # Instances may reserve another length per URL.
    url_text = "x" * 470 + " https://example.org/a"
    short = MastodonAdapter(
        ChannelContext(
            platform="mastodon",
            base_url=BASE,
            settings={"max_characters": 500, "characters_reserved_per_url": 40},
        ),
        {},
    )
    assert [p.code for p in short.validate(PostContent(text=url_text))] == ["text_too_long"]
    assert adapter.validate(PostContent(text=url_text)) == []


def test_media_rules(
    adapter: MastodonAdapter,
    image_file: MediaItem,
    video_file: MediaItem,
    content: Callable[..., PostContent],
) -> None:
    assert adapter.validate(content(media=(image_file,))) == []
    five = content(media=(image_file,) * 5)
    assert "too_many_images" in [p.code for p in adapter.validate(five)]
    mixed = content(media=(image_file, video_file))
    assert "media_mixed" in [p.code for p in adapter.validate(mixed)]
    two_videos = content(media=(video_file, video_file))
    assert "too_many_videos" in [p.code for p in adapter.validate(two_videos)]
    tiff = MediaItem(**{**image_file.__dict__, "mime_type": "image/tiff"})
    assert [p.code for p in adapter.validate(content(media=(tiff,)))] == ["media_type"]
    huge = MediaItem(**{**image_file.__dict__, "size": 20_000_000})
    assert [p.code for p in adapter.validate(content(media=(huge,)))] == ["media_too_large"]
    long_alt = MediaItem(**{**image_file.__dict__, "alt_text": "a" * 1501})
    assert [p.code for p in adapter.validate(content(media=(long_alt,)))] == ["alt_text_too_long"]
    no_alt = MediaItem(**{**image_file.__dict__, "alt_text": ""})
    problems = adapter.validate(content(media=(no_alt,)))
    assert [(p.code, p.severity) for p in problems] == [
        ("alt_text_missing", ProblemSeverity.WARNING)
    ]
    assert [p.code for p in adapter.validate(PostContent(text=" "))] == ["text_empty"]


@responses.activate
def test_fetch_instance_limits(adapter: MastodonAdapter) -> None:
    responses.get(f"{BASE}/api/v2/instance", json=fixture("instance_v2.json"))
    limits = adapter.fetch_instance_limits()
    assert limits["max_characters"] == 1000
    assert limits["characters_reserved_per_url"] == 23
    assert limits["max_media_attachments"] == 4
    assert limits["description_limit"] == 1500
    assert limits["image_size_limit"] == 16777216
    assert limits["video_size_limit"] == 103809024
    assert "video/mp4" in limits["supported_mime_types"]
    assert responses.calls[0].request.method == "GET"
    configured = MastodonAdapter(
        ChannelContext(platform="mastodon", base_url=BASE, settings=limits), {}
    )
    assert configured.validate(PostContent(text="x" * 1000)) == []


@responses.activate
def test_fetch_instance_limits_falls_back_to_v1(adapter: MastodonAdapter) -> None:
    responses.get(f"{BASE}/api/v2/instance", status=404, json={"error": "Record not found"})
    responses.get(f"{BASE}/api/v1/instance", json={"max_toot_chars": 5000})
    assert adapter.fetch_instance_limits()["max_characters"] == 5000


# --- publishing --------------------------------------------------------------------------


@responses.activate
def test_publish_with_image_and_alt_text(
    adapter: MastodonAdapter, image_file: MediaItem, content: Callable[..., PostContent]
) -> None:
    responses.post(f"{BASE}/api/v2/media", json=fixture("media_200.json"))
    responses.post(f"{BASE}/api/v1/statuses", json=fixture("status.json"))

    result = adapter.publish(content(media=(image_file,)), KEY)

    assert result.remote_id == "112368953290117394"
    assert result.url == "https://social.bund.de/@stadt_musterstadt/112368953290117394"
    assert result.published_at == datetime(2024, 5, 2, 8, 30, 12, 417000, tzinfo=UTC)
    upload, create = responses.calls
    assert (upload.request.method, upload.request.url) == ("POST", f"{BASE}/api/v2/media")
    assert_authorized(upload)
    parts = multipart(upload)
    assert parts["file"][0] == "rathaus.jpg"
    assert parts["file"][1] == "image/jpeg"
    assert parts["file"][2] == image_file.read()
    assert parts["description"][2].decode() == "Das Rathaus von Musterstadt im Sonnenschein"

    assert (create.request.method, create.request.url) == ("POST", f"{BASE}/api/v1/statuses")
    assert_authorized(create)
    assert create.request.headers["Idempotency-Key"] == KEY
    assert form(create) == [
        ("status", "Heute ist das Bürgerbüro bis 18 Uhr geöffnet."),
        ("media_ids[]", "22348641"),
        ("visibility", "public"),
        ("language", "de"),
    ]


@responses.activate
def test_publish_video_waits_while_media_answers_206(
    adapter: MastodonAdapter, video_file: MediaItem, content: Callable[..., PostContent]
) -> None:
    responses.post(f"{BASE}/api/v2/media", status=202, json=fixture("media_202.json"))
    responses.get(f"{BASE}/api/v1/media/22348642", status=206, body="")
    responses.get(f"{BASE}/api/v1/media/22348642", status=206, body="")
    responses.get(f"{BASE}/api/v1/media/22348642", json=fixture("media_200.json"))
    responses.post(f"{BASE}/api/v1/statuses", json=fixture("status.json"))

    adapter.publish(content(media=(video_file,)), KEY)

    urls = [(c.request.method, c.request.url) for c in responses.calls]
    assert urls == [
        ("POST", f"{BASE}/api/v2/media"),
        ("GET", f"{BASE}/api/v1/media/22348642"),
        ("GET", f"{BASE}/api/v1/media/22348642"),
        ("GET", f"{BASE}/api/v1/media/22348642"),
        ("POST", f"{BASE}/api/v1/statuses"),
    ]
    assert multipart(responses.calls[0])["file"][1] == "video/mp4"
    assert ("media_ids[]", "22348642") in form(responses.calls[-1])


@responses.activate
def test_media_still_processing_is_transient(
    adapter: MastodonAdapter, video_file: MediaItem, content: Callable[..., PostContent]
) -> None:
    adapter.media_poll_attempts = 2
    responses.post(f"{BASE}/api/v2/media", status=202, json=fixture("media_202.json"))
    responses.get(f"{BASE}/api/v1/media/22348642", status=206, body="")
    with pytest.raises(TransientError):
        adapter.publish(content(media=(video_file,)), KEY)
    assert not [c for c in responses.calls if c.request.url.endswith("/statuses")]


@responses.activate
def test_retry_with_same_key_returns_the_same_post(
    adapter: MastodonAdapter, content: Callable[..., PostContent]
) -> None:
    # The instance answers a repeated Idempotency-Key with the status it already created.
    responses.post(
        f"{BASE}/api/v1/statuses",
        json=fixture("status.json"),
        match=[matchers.header_matcher({"Idempotency-Key": KEY})],
    )
    first = adapter.publish(content(), KEY)
    second = adapter.publish(content(), KEY)
    assert first == second
    keys = {c.request.headers["Idempotency-Key"] for c in responses.calls}
    assert keys == {KEY}


@responses.activate
def test_find_published_looks_at_recent_own_statuses(
    adapter: MastodonAdapter, image_file: MediaItem, content: Callable[..., PostContent]
) -> None:
    responses.get(
        f"{BASE}/api/v1/accounts/{ACCOUNT_ID}/statuses",
        json=fixture("account_statuses.json"),
        match=[
            matchers.query_param_matcher(
                {"limit": "40", "exclude_replies": "true", "exclude_reblogs": "true"}
            )
        ],
    )
    found = adapter.find_published(content(media=(image_file,)), KEY)
    assert found is not None and found.remote_id == "112368953290117394"
    assert_authorized(responses.calls[0])
    # Same text without the image is another post; unknown text finds nothing.
    assert adapter.find_published(content(), KEY) is None
    assert adapter.find_published(content(text="Etwas ganz anderes"), KEY) is None
    # Posted by hand in the web interface ("application": "Web"): never claimed as ours.
    hand = "Sperrung der #Hauptstraße ab Montag. Details: https://www.musterstadt.example/aktuelles/sperrung-hauptstrasse"
    assert adapter.find_published(content(text=hand), KEY) is None


@responses.activate
def test_delete(adapter: MastodonAdapter) -> None:
    responses.delete(f"{BASE}/api/v1/statuses/112368953290117394", json=fixture("status.json"))
    adapter.delete("112368953290117394")
    call = responses.calls[0]
    assert call.request.method == "DELETE"
    assert call.request.url == f"{BASE}/api/v1/statuses/112368953290117394"
    assert_authorized(call)


@responses.activate
def test_delete_of_vanished_status_is_not_found(adapter: MastodonAdapter) -> None:
    responses.delete(f"{BASE}/api/v1/statuses/1", status=404, json=fixture("error_404.json"))
    with pytest.raises(RemoteNotFoundError):
        adapter.delete("1")


# --- metrics -----------------------------------------------------------------------------


@responses.activate
def test_post_metrics(adapter: MastodonAdapter) -> None:
    responses.get(f"{BASE}/api/v1/statuses/112368953290117394", json=fixture("status.json"))
    responses.get(f"{BASE}/api/v1/statuses/999", status=404, json=fixture("error_404.json"))
    metrics = adapter.fetch_post_metrics(["112368953290117394", "999"])
    assert len(metrics) == 1
    m = metrics[0]
    assert (m.remote_id, m.likes, m.shares, m.comments) == ("112368953290117394", 41, 12, 3)
    assert m.impressions is None
    assert_authorized(responses.calls[0])


@responses.activate
def test_account_metrics_and_connection(adapter: MastodonAdapter) -> None:
    responses.get(
        f"{BASE}/api/v1/accounts/verify_credentials", json=fixture("verify_credentials.json")
    )
    metrics = adapter.fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts) == (4211, 87, 1342)
    info = adapter.test_connection()
    assert info.account_id == ACCOUNT_ID
    assert info.handle == "@stadt_musterstadt@social.bund.de"
    assert info.display_name == "Stadt Musterstadt"
    assert info.url == "https://social.bund.de/@stadt_musterstadt"
    assert_authorized(responses.calls[0])


# --- comments ----------------------------------------------------------------------------


@responses.activate
def test_fetch_comments_first_poll_and_cursor(adapter: MastodonAdapter) -> None:
    responses.get(
        f"{BASE}/api/v1/notifications",
        json=fixture("notifications.json"),
        match=[matchers.query_string_matcher("types%5B%5D=mention&limit=80")],
    )
    page = adapter.fetch_comments(None)
    assert page.next_cursor == "34975870"  # the newest notification seen
    assert len(page.items) == 1  # the favourite and the mention elsewhere are skipped
    comment = page.items[0]
    assert comment.remote_id == "112369100000000001"
    assert comment.post_remote_id == "112368953290117394"
    assert comment.parent_remote_id == "112368953290117394"
    assert comment.author_name == "Erika Mustermann"
    assert comment.author_id == "110000000000000042"
    assert comment.text == "@stadt_musterstadt Gilt das auch am Brückentag?\nDanke & Grüße"
    assert comment.created_at == datetime(2024, 5, 2, 9, 2, 41, tzinfo=UTC)
    assert comment.url == "https://chaos.social/@erika/112369099887766554"
    assert_authorized(responses.calls[0])

    responses.get(
        f"{BASE}/api/v1/notifications",
        json=[],
        match=[matchers.query_string_matcher("types%5B%5D=mention&limit=80&min_id=34975870")],
    )
    later = adapter.fetch_comments(page.next_cursor)
    assert later.items == []
    assert later.next_cursor == "34975870"  # nothing new: the cursor stays


@responses.activate
def test_reply_mentions_the_author_and_keeps_visibility(adapter: MastodonAdapter) -> None:
    comment_status = fixture("comment_status.json")
    comment_status["visibility"] = "unlisted"
    responses.get(f"{BASE}/api/v1/statuses/112369100000000001", json=comment_status)
    responses.post(f"{BASE}/api/v1/statuses", json=fixture("reply_status.json"))
    comment = RemoteComment(
        remote_id="112369100000000001",
        post_remote_id="112368953290117394",
        author_name="Erika Mustermann",
        author_id="110000000000000042",
        text="Gilt das auch am Brückentag?",
        created_at=None,
    )
    result = adapter.reply(comment, "Ja, auch am Brückentag bis 18 Uhr.")
    assert result.remote_id == "112369300000000003"
    lookup, create = responses.calls
    assert lookup.request.method == "GET"
    assert_authorized(create)
    assert form(create) == [
        ("status", "@erika@chaos.social Ja, auch am Brückentag bis 18 Uhr."),
        ("in_reply_to_id", "112369100000000001"),
        ("visibility", "unlisted"),
        ("language", "de"),
    ]
    key = create.request.headers["Idempotency-Key"]
    assert len(key) == 64  # derived from comment and text: a retried reply is deduplicated
    responses.calls.reset()
    adapter.reply(comment, "Ja, auch am Brückentag bis 18 Uhr.")
    assert responses.calls[1].request.headers["Idempotency-Key"] == key
    # The caller's key, where given, is the one the instance sees.
    responses.calls.reset()
    adapter.reply(comment, "Ja, auch am Brückentag bis 18 Uhr.", "reply-42")
    assert responses.calls[1].request.headers["Idempotency-Key"] == "reply-42"


def test_hide_and_delete_comments_are_not_supported(adapter: MastodonAdapter) -> None:
    comment = RemoteComment("1", "2", "A", "3", "text", None)
    with pytest.raises(NotSupportedError):
        adapter.hide_comment(comment)
    with pytest.raises(NotSupportedError):
        adapter.delete_comment(comment)


def test_html_to_text() -> None:
    html = '<p>Zeile 1<br />Zeile 2</p><p>&lt;b&gt; &amp; <a href="https://x.example">#<span>Tag</span></a></p>'
    assert html_to_text(html) == "Zeile 1\nZeile 2\n\n<b> & #Tag"


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error", "code"),
    [
        (401, "error_401.json", AuthenticationError, ""),
        (403, "error_403.json", AuthenticationError, ""),
        (404, "error_404.json", RemoteNotFoundError, ""),
        (422, "error_422.json", ContentRejectedError, ""),
        (503, "error_503.json", TransientError, ""),
    ],
)
@responses.activate
def test_error_mapping(
    adapter: MastodonAdapter,
    content: Callable[..., PostContent],
    status: int,
    body: str,
    error: type[Exception],
    code: str,
) -> None:
    responses.post(f"{BASE}/api/v1/statuses", status=status, json=fixture(body))
    with pytest.raises(error) as info:
        adapter.publish(content(), KEY)
    assert info.value.status == status
    if status == 422:
        assert "Text character limit of 500 exceeded" in str(info.value)


@responses.activate
def test_rate_limit_honours_retry_after_and_ratelimit_reset(
    adapter: MastodonAdapter, content: Callable[..., PostContent]
) -> None:
    responses.post(
        f"{BASE}/api/v1/statuses",
        status=429,
        json=fixture("error_429.json"),
        headers={"Retry-After": "120"},
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.publish(content(), KEY)
    assert info.value.retry_after == 120.0

    responses.reset()
    reset = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    responses.post(
        f"{BASE}/api/v1/statuses",
        status=429,
        json=fixture("error_429.json"),
        headers={
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset,
        },
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.publish(content(), KEY)
    assert 280 < (info.value.retry_after or 0) <= 300


@responses.activate
def test_timeout_is_transient(
    adapter: MastodonAdapter, content: Callable[..., PostContent]
) -> None:
    responses.post(f"{BASE}/api/v1/statuses", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(TransientError):
        adapter.publish(content(), KEY)


@responses.activate
def test_malformed_body(adapter: MastodonAdapter, content: Callable[..., PostContent]) -> None:
    responses.post(f"{BASE}/api/v1/statuses", body="<html>Bad Gateway</html>", status=200)
    with pytest.raises(MalformedResponseError):
        adapter.publish(content(), KEY)


@responses.activate
def test_no_credential_in_messages_or_logs(
    adapter: MastodonAdapter,
    content: Callable[..., PostContent],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # A hostile or buggy proxy echoing the token back in its error text.
    responses.post(
        f"{BASE}/api/v1/statuses",
        status=422,
        json={"error": f"Validation failed for token {TOKEN} and {CLIENT_SECRET}"},
    )
    responses.post(f"{BASE}/oauth/revoke", status=403, json=fixture("revoke_403.json"))
    responses.get(f"{BASE}/api/v1/accounts/verify_credentials", body=requests.ConnectionError())
    messages = []
    for call in (
        lambda: adapter.publish(content(), KEY),
        adapter.revoke,
        adapter.test_connection,
    ):
        with pytest.raises(Exception) as info:
            call()
        messages.append(str(info.value))
    responses.post(f"{BASE}/api/v1/statuses", json=fixture("status.json"))
    adapter.publish(content(), KEY)
    text = "\n".join(messages + [r.getMessage() for r in caplog.records])
    for secret in (TOKEN, CLIENT_SECRET, CLIENT_ID):
        assert secret not in text
    assert BASE + "/api" not in text


# --- credentials and connecting ----------------------------------------------------------


@responses.activate
def test_refresh_is_not_needed(adapter: MastodonAdapter) -> None:
    assert adapter.refresh_credentials() is None
    assert adapter.credentials["access_token"] == TOKEN
    assert len(responses.calls) == 0


@responses.activate
def test_revoke(adapter: MastodonAdapter) -> None:
    responses.post(f"{BASE}/oauth/revoke", json={})
    adapter.revoke()
    call = responses.calls[0]
    assert call.request.url == f"{BASE}/oauth/revoke"
    assert dict(form(call)) == {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "token": TOKEN,
    }


@responses.activate
def test_oauth_registers_app_then_exchanges_code() -> None:
    session = requests.Session()
    redirect = "https://sprachrohr.musterstadt.example/channels/oauth/callback"
    responses.post(f"{BASE}/api/v1/apps", json=fixture("app.json"))
    client = MastodonAdapter.oauth_client(
        base_url="social.bund.de", redirect_uri=redirect, session=session
    )
    assert client == OAuthClient(
        client_id="TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
        client_secret="ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
        scopes=MastodonAdapter.oauth_scopes,
    )
    registration = dict(form(responses.calls[0]))
    assert registration["client_name"] == "Sprachrohr"
    assert registration["redirect_uris"] == redirect
    assert registration["scopes"] == (
        "read:accounts read:statuses read:notifications write:statuses write:media write:blocks"
    )
    assert "Authorization" not in responses.calls[0].request.headers

    url = MastodonAdapter.oauth_authorize_url(
        client=client, base_url=BASE, redirect_uri=redirect, state="st4te", code_challenge="ch4l"
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE}/oauth/authorize"
    assert parse_qs(parts.query) == {
        "response_type": ["code"],
        "client_id": [client.client_id],
        "redirect_uri": [redirect],
        "scope": [registration["scopes"]],
        "state": ["st4te"],
        "code_challenge": ["ch4l"],
        "code_challenge_method": ["S256"],
    }

    responses.post(f"{BASE}/oauth/token", json=fixture("token.json"))
    responses.get(
        f"{BASE}/api/v1/accounts/verify_credentials", json=fixture("verify_credentials.json")
    )
    choices = MastodonAdapter.oauth_exchange_code(
        client=client,
        base_url=BASE,
        redirect_uri=redirect,
        code="qDFUEaYrRK5c-HNmTCJbAzazwLRInJ7VHFat0wcMgCU",
        code_verifier="v3rifier",
        session=session,
    )
    token_call = responses.calls[1]
    assert dict(form(token_call)) == {
        "grant_type": "authorization_code",
        "code": "qDFUEaYrRK5c-HNmTCJbAzazwLRInJ7VHFat0wcMgCU",
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "redirect_uri": redirect,
        "scope": registration["scopes"],
        "code_verifier": "v3rifier",
    }
    assert responses.calls[2].request.headers["Authorization"] == (
        "Bearer ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0"
    )
    [choice] = choices
    assert choice.account_id == ACCOUNT_ID
    assert choice.handle == "@stadt_musterstadt@social.bund.de"
    assert choice.credentials["access_token"] == "ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0"
    assert choice.credentials["client_secret"] == client.client_secret


@responses.activate
def test_oauth_invalid_grant_is_rejected() -> None:
    responses.post(
        f"{BASE}/oauth/token",
        status=400,
        json={
            "error": "invalid_grant",
            "error_description": "The provided authorization grant is invalid",
        },
    )
    with pytest.raises(ContentRejectedError) as info:
        MastodonAdapter.oauth_exchange_code(
            client=OAuthClient("id", "secret"),
            base_url=BASE,
            redirect_uri="https://x.example/cb",
            code="c",
            code_verifier=None,
            session=requests.Session(),
        )
    assert info.value.code == "invalid_grant"


@responses.activate
def test_the_website_link_is_appended_to_the_status(adapter: MastodonAdapter) -> None:
    responses.post(f"{BASE}/api/v1/statuses", json=fixture("status.json"))
    adapter.publish(
        PostContent(text="Neue Öffnungszeiten", link="https://www.musterstadt.example/amt"),
        "key-1",
    )
    sent = dict(parse_qsl(responses.calls[-1].request.body))
    assert sent["status"] == "Neue Öffnungszeiten\n\nhttps://www.musterstadt.example/amt"


# --- mentions and direct messages (inbox streams) ------------------------------------------


@responses.activate
def test_comments_carry_handle_profile_and_raw_status(adapter: MastodonAdapter) -> None:
    responses.get(f"{BASE}/api/v1/notifications", json=fixture("notifications.json"))
    comment = adapter.fetch_comments(None).items[0]
    assert comment.author_handle == "@erika@chaos.social"
    assert comment.author_url.startswith("https://chaos.social/@erika")
    assert comment.raw["id"] == "112369100000000001"
    assert comment.kind == "comment" and not comment.by_account


@responses.activate
def test_fetch_mentions_keeps_mentions_elsewhere(adapter: MastodonAdapter) -> None:
    responses.get(
        f"{BASE}/api/v1/notifications",
        json=fixture("notifications.json"),
        match=[matchers.query_string_matcher("types%5B%5D=mention&limit=80&min_id=34975800")],
    )
    page = adapter.fetch_mentions("34975800")
    assert [m.remote_id for m in page.items] == ["112369200000000002"]
    mention = page.items[0]
    assert mention.kind == "mention" and mention.post_remote_id == ""
    assert mention.parent_remote_id == "112369150000000000"
    assert page.next_cursor == "34975870" and page.has_more is False


@responses.activate
def test_fetch_messages_are_direct_statuses(adapter: MastodonAdapter) -> None:
    notifications = fixture("notifications.json")
    notifications[0]["status"]["visibility"] = "direct"
    responses.get(f"{BASE}/api/v1/notifications", json=notifications)
    page = adapter.fetch_messages(None)
    assert [m.remote_id for m in page.items] == ["112369200000000002"]
    assert page.items[0].kind == "message"
    # A direct message is never also listed as a mention.
    responses.get(f"{BASE}/api/v1/notifications", json=notifications)
    assert adapter.fetch_mentions(None).items == []


# --- Mastodon-API servers other than Mastodon (GoToSocial, Akkoma, Takahē) -----------------

# Takahē answers a revoked or unknown bearer token with 400 and Django's HTML error page.
TAKAHE_BAD_REQUEST_HTML = (
    '<!doctype html>\n<html lang="en">\n<head>\n  <title>Bad Request (400)</title>\n'
    "</head>\n<body>\n  <h1>Bad Request (400)</h1><p></p>\n</body>\n</html>\n"
)


@responses.activate
def test_a_revoked_token_answered_400_with_html_means_reconnect(
    adapter: MastodonAdapter, content: Callable[..., PostContent]
) -> None:
    responses.post(
        f"{BASE}/api/v1/statuses",
        status=400,
        body=TAKAHE_BAD_REQUEST_HTML,
        content_type="text/html; charset=utf-8",
    )
    with pytest.raises(AuthenticationError) as info:
        adapter.publish(content(), KEY)
    assert info.value.status == 400
    assert "reconnect" in str(info.value)


@responses.activate
def test_a_403_with_an_invalid_token_challenge_means_reconnect(
    adapter: MastodonAdapter, content: Callable[..., PostContent]
) -> None:
    # RFC 6750 as GoToSocial and Akkoma send it: the meaning is in WWW-Authenticate.
    responses.post(
        f"{BASE}/api/v1/statuses",
        status=403,
        json={"error": "Forbidden"},
        headers={"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'},
    )
    with pytest.raises(AuthenticationError) as info:
        adapter.publish(content(), KEY)
    assert info.value.code == "invalid_token"
    assert "reconnect" in str(info.value)


@responses.activate
def test_a_400_about_the_content_stays_a_content_rejection(
    adapter: MastodonAdapter, content: Callable[..., PostContent]
) -> None:
    responses.post(
        f"{BASE}/api/v1/statuses",
        status=400,
        json={"error": "Validation failed: Text can't be blank"},
    )
    with pytest.raises(ContentRejectedError):
        adapter.publish(content(), KEY)


@responses.activate
def test_a_video_size_limit_of_0_means_no_video(
    adapter: MastodonAdapter, video_file: MediaItem
) -> None:
    instance = fixture("instance_v2.json")
    instance["configuration"]["media_attachments"]["video_size_limit"] = 0
    responses.get(f"{BASE}/api/v2/instance", json=instance)
    limits = adapter.fetch_instance_limits()
    assert limits["video_size_limit"] == 0
    configured = MastodonAdapter(
        ChannelContext(platform="mastodon", base_url=BASE, settings=limits), {}
    )
    problems = configured.validate(PostContent(text="Baustelle", media=(video_file,)))
    assert "too_many_videos" in {p.code for p in problems}


# --- content warning (spoiler text) ---------------------------------------------------------


@responses.activate
def test_a_content_warning_is_sent_as_spoiler_text(
    adapter: MastodonAdapter, content: Callable[..., PostContent]
) -> None:
    # POST /api/v1/statuses takes ``spoiler_text`` ("Text to be shown as a warning or subject
    # before the actual content"); the Status answered carries it and ``sensitive: true``.
    status = fixture("status.json") | {"spoiler_text": "Hochwasser", "sensitive": True}
    responses.post(f"{BASE}/api/v1/statuses", json=status)

    result = adapter.publish(content(spoiler_text="Hochwasser"), KEY)

    assert result.remote_id == "112368953290117394"
    assert form(responses.calls[0]) == [
        ("status", "Heute ist das Bürgerbüro bis 18 Uhr geöffnet."),
        ("spoiler_text", "Hochwasser"),
        ("visibility", "public"),
        ("language", "de"),
    ]


@responses.activate
def test_a_blank_content_warning_is_not_sent(
    adapter: MastodonAdapter, content: Callable[..., PostContent]
) -> None:
    responses.post(f"{BASE}/api/v1/statuses", json=fixture("status.json"))
    adapter.publish(content(spoiler_text="  "), KEY)
    assert "spoiler_text" not in dict(form(responses.calls[0]))


def test_the_content_warning_counts_towards_the_limit() -> None:
    # StatusLengthValidator counts the spoiler text together with the text.
    text, warning = "x" * 490, "Hochwasser"  # 490 + 10 = 500
    limited = MastodonAdapter(
        ChannelContext(platform="mastodon", base_url=BASE, settings={"max_characters": 500}), {}
    )
    assert limited.text_length(PostContent(text=text, spoiler_text=warning)) == 500
    assert limited.validate(PostContent(text=text, spoiler_text=warning)) == []
    problems = limited.validate(PostContent(text=text, spoiler_text=warning + "!"))
    assert [p.code for p in problems] == ["text_too_long"]


def test_a_broken_character_in_the_content_warning_is_a_message(
    adapter: MastodonAdapter,
) -> None:
    problems = adapter.validate(PostContent(text="Hallo", spoiler_text="Achtung \ud800"))
    assert [(p.code, p.field) for p in problems] == [("text_malformed", "spoiler_text")]


@responses.activate
def test_find_published_tells_posts_apart_by_their_content_warning(
    adapter: MastodonAdapter, image_file: MediaItem, content: Callable[..., PostContent]
) -> None:
    statuses = fixture("account_statuses.json")
    responses.get(f"{BASE}/api/v1/accounts/{ACCOUNT_ID}/statuses", json=statuses)
    assert adapter.find_published(content(media=(image_file,), spoiler_text="Hitze"), KEY) is None
    statuses[0]["spoiler_text"] = "Hitze"
    responses.get(f"{BASE}/api/v1/accounts/{ACCOUNT_ID}/statuses", json=statuses)
    found = adapter.find_published(content(media=(image_file,), spoiler_text="Hitze"), KEY)
    assert found is not None and found.remote_id == "112368953290117394"


def test_only_mastodon_offers_a_content_warning() -> None:
    offering = {p for p in Platform.values if platform_capabilities(p).content_warning}
    assert offering == {"mastodon"}


# --- scopes: servers that refuse the granular ones ------------------------------------------


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        # Takahē (api/decorators.py): a token without the scope the endpoint needs.
        ({"error": "out_of_scope_for_token"}, {}),
        # Mastodon (Api::BaseController with Doorkeeper): the same, as a sentence.
        ({"error": "This action is outside the authorized scopes"}, {}),
        # RFC 6750 in the challenge.
        ({"error": "Forbidden"}, {"WWW-Authenticate": 'Bearer error="insufficient_scope"'}),
    ],
    ids=["takahe", "mastodon", "rfc6750"],
)
@responses.activate
def test_a_token_without_the_needed_scope_is_a_scope_refusal(
    adapter: MastodonAdapter, body: dict[str, str], headers: dict[str, str]
) -> None:
    responses.get(
        f"{BASE}/api/v1/accounts/verify_credentials", status=403, json=body, headers=headers
    )
    with pytest.raises(ScopeRefusedError) as info:
        adapter.test_connection()
    assert info.value.code == "insufficient_scope"
    assert isinstance(info.value, AuthenticationError)  # later: reconnect the channel


@responses.activate
def test_a_forbidden_action_is_no_scope_refusal(
    adapter: MastodonAdapter, content: Callable[..., PostContent]
) -> None:
    responses.post(f"{BASE}/api/v1/statuses", status=403, json=fixture("error_403.json"))
    with pytest.raises(AuthenticationError) as info:
        adapter.publish(content(), KEY)
    assert not isinstance(info.value, ScopeRefusedError)


SCOPES_REFUSED = {"error": "Validation failed: Scopes doesn't match configured on the server."}


@responses.activate
def test_a_registration_refusing_the_granular_scopes_is_retried_with_read_write() -> None:
    responses.post(f"{BASE}/api/v1/apps", status=422, json=SCOPES_REFUSED)
    responses.post(f"{BASE}/api/v1/apps", json=fixture("app.json") | {"scopes": ["read", "write"]})
    client = MastodonAdapter.oauth_client(
        base_url=BASE, redirect_uri="https://x.example/cb", session=requests.Session()
    )
    first, second = (dict(form(call))["scopes"] for call in responses.calls)
    assert first == " ".join(MastodonAdapter.oauth_scopes)
    assert second == "read write"
    assert client.scopes == ("read", "write")
    url = MastodonAdapter.oauth_authorize_url(
        client=client,
        base_url=BASE,
        redirect_uri="https://x.example/cb",
        state="s",
        code_challenge="c",
    )
    assert parse_qs(urlsplit(url).query)["scope"] == ["read write"]


@responses.activate
def test_a_registration_refused_for_another_reason_is_not_retried() -> None:
    responses.post(
        f"{BASE}/api/v1/apps",
        status=422,
        json={"error": "Validation failed: Redirect URI must be an absolute URI."},
    )
    with pytest.raises(ContentRejectedError):
        MastodonAdapter.oauth_client(base_url=BASE, redirect_uri="cb", session=requests.Session())
    assert len(responses.calls) == 1
