"""Facebook Pages adapter against the documented Graph API, faked at the HTTP boundary."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests
import responses
import time_machine
from django.test import override_settings

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.facebook import GRAPH_VERSION
from channels_app.adapters.facebook import FacebookAdapter
from tests.channels_app.adapters.conftest import load_fixture

API = f"https://graph.facebook.com/{GRAPH_VERSION}"
PAGE = "546349135390552"
POST = f"{PAGE}_1116689038356556"
TOKEN = "EAABsecretpagetoken4711"


def fx(name: str) -> dict:
    return load_fixture("facebook", name)


def form(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(call.request.body).items()}


def query(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}


def multipart(call) -> dict[str, tuple[str | None, bytes]]:
    """name → (filename, content) of a multipart/form-data request body."""
    head = f"Content-Type: {call.request.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + call.request.body)
    return {
        part.get_param("name", header="content-disposition"): (
            part.get_filename(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    }


@pytest.fixture
def adapter() -> FacebookAdapter:
    return FacebookAdapter(
        ChannelContext(platform="facebook", account_id=PAGE, handle="StadtMusterstadt"),
        {"access_token": TOKEN},
    )


# --- Validation -------------------------------------------------------------------------------


def test_validate_counts_utf16(adapter, content) -> None:
    assert adapter.validate(content("a" * 63_206)) == []
    problems = adapter.validate(content("a" * 63_205 + "👍"))  # an emoji is two code units
    assert [p.code for p in problems] == ["text_too_long"]


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("👩\u200d👩\u200d👧\u200d👦", 11),
        ("🇩🇪", 4),
        ("e\u0301", 2),
        ("市役所", 3),
        ("@StadtMusterstadt https://www.musterstadt.example", 49),
    ],
)
def test_length_edge_cases(adapter, content, text, units) -> None:
    problems = adapter.validate(content(text + "a" * (63_206 - units)))
    assert problems == []
    problems = adapter.validate(content(text + "a" * (63_207 - units)))
    assert [p.code for p in problems] == ["text_too_long"]


def test_validate_media(adapter, content, image_file, video_file) -> None:
    big = replace(image_file, size=10_000_001)
    problems = adapter.validate(content(media=(big, video_file)))
    assert {p.code for p in problems} == {
        "media_too_large",
        "too_many_videos",
        "media_mixed",
        "media_type",
    }
    assert adapter.validate(content(media=(image_file,) * 11))[0].code == "too_many_images"


# --- Publishing -------------------------------------------------------------------------------


@responses.activate
def test_publish_text_with_link(adapter, content) -> None:
    responses.post(f"{API}/{PAGE}/feed", json=fx("feed_post.json"))
    responses.get(f"{API}/{POST}", json=fx("post.json"))

    result = adapter.publish(content(link="https://www.musterstadt.example/buergerbuero"), "k")

    assert result.remote_id == POST
    assert result.url == f"https://www.facebook.com/{PAGE}/posts/1116689038356556"
    assert result.published_at == datetime(2025, 3, 3, 9, 0, 12, tzinfo=UTC)
    feed, read = responses.calls
    assert feed.request.method == "POST"
    assert feed.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in feed.request.url
    assert form(feed) == {
        "message": "Heute ist das Bürgerbüro bis 18 Uhr geöffnet.",
        "link": "https://www.musterstadt.example/buergerbuero",
    }
    assert query(read) == {"fields": "id,permalink_url,created_time"}


@responses.activate
def test_publish_photo_with_alt_text(adapter, content, image_file) -> None:
    responses.post(f"{API}/{PAGE}/photos", json=fx("photo_post.json"))
    responses.get(f"{API}/{POST}", json=fx("post.json"))

    result = adapter.publish(content(media=(image_file,)), "k")

    assert result.remote_id == POST
    upload = responses.calls[0]
    assert upload.request.headers["Content-Type"].startswith("multipart/form-data")
    parts = multipart(upload)
    assert parts["published"] == (None, b"true")
    assert parts["message"] == (None, "Heute ist das Bürgerbüro bis 18 Uhr geöffnet.".encode())
    assert parts["alt_text_custom"] == (
        None,
        b"Das Rathaus von Musterstadt im Sonnenschein",
    )
    filename, data = parts["source"]
    assert filename == "rathaus.jpg"
    assert data == image_file.read()


@responses.activate
def test_publish_several_photos(adapter, content, image_file) -> None:
    second = replace(image_file, alt_text="Der Marktplatz")
    responses.post(f"{API}/{PAGE}/photos", json=fx("photo_unpublished_1.json"))
    responses.post(f"{API}/{PAGE}/photos", json=fx("photo_unpublished_2.json"))
    responses.post(f"{API}/{PAGE}/feed", json=fx("feed_post.json"))
    responses.get(f"{API}/{POST}", json=fx("post.json"))

    adapter.publish(content(media=(image_file, second)), "k")

    photo1, photo2, feed, _read = responses.calls
    assert multipart(photo1)["published"] == (None, b"false")
    assert multipart(photo2)["alt_text_custom"] == (None, b"Der Marktplatz")
    assert form(feed) == {
        "message": "Heute ist das Bürgerbüro bis 18 Uhr geöffnet.",
        "attached_media[0]": '{"media_fbid": "1116689101689801"}',
        "attached_media[1]": '{"media_fbid": "1116689101689802"}',
    }


@responses.activate
@override_settings(META_APP_SECRET="meta-app-secret-value")
def test_appsecret_proof_when_configured(adapter) -> None:
    responses.delete(f"{API}/{POST}", json=fx("delete.json"))
    adapter.delete(POST)
    expected = hmac.new(b"meta-app-secret-value", TOKEN.encode(), hashlib.sha256).hexdigest()
    assert query(responses.calls[0]) == {"appsecret_proof": expected}


# --- No double post ---------------------------------------------------------------------------


@responses.activate
@time_machine.travel(datetime(2025, 3, 3, 12, 0, tzinfo=UTC), tick=False)
def test_find_published(adapter, content) -> None:
    responses.get(f"{API}/{PAGE}/posts", json=fx("posts.json"))

    found = adapter.find_published(content(), "k")

    assert found is not None and found.remote_id == POST
    assert query(responses.calls[0]) == {
        "fields": "id,message,permalink_url,created_time",
        "since": str(int(datetime(2025, 3, 1, 12, 0, tzinfo=UTC).timestamp())),
        "limit": "25",
    }


@responses.activate
def test_retry_after_lost_answer_does_not_post_twice(adapter, content) -> None:
    responses.post(f"{API}/{PAGE}/feed", body=requests.exceptions.ReadTimeout("lost"))
    responses.get(f"{API}/{PAGE}/posts", json=fx("posts.json"))

    with pytest.raises(TransientError):
        adapter.publish(content(), "k")
    found = adapter.find_published(content(), "k")

    assert found is not None and found.remote_id == POST
    assert len([c for c in responses.calls if c.request.method == "POST"]) == 1


@responses.activate
def test_find_published_none(adapter, content) -> None:
    responses.get(f"{API}/{PAGE}/posts", json=fx("posts.json"))
    assert adapter.find_published(content("Neuer Text"), "k") is None


# --- Delete, metrics --------------------------------------------------------------------------


@responses.activate
def test_delete(adapter) -> None:
    responses.delete(f"{API}/{POST}", json=fx("delete.json"))
    adapter.delete(POST)
    assert responses.calls[0].request.method == "DELETE"


@responses.activate
def test_post_metrics(adapter) -> None:
    responses.get(f"{API}/{POST}", json=fx("post_counts.json"))
    responses.get(f"{API}/{POST}/insights", json=fx("post_insights.json"))

    [metrics] = adapter.fetch_post_metrics([POST])

    assert (metrics.likes, metrics.comments, metrics.shares) == (245, 31, 12)
    assert (metrics.reach, metrics.clicks) == (5230, 318)
    counts, insights = responses.calls
    assert query(counts) == {
        "fields": "id,shares,comments.limit(0).summary(true),reactions.limit(0).summary(true)"
    }
    assert query(insights) == {"metric": "post_total_media_view_unique,post_clicks"}


@responses.activate
def test_post_metrics_without_insights(adapter) -> None:
    responses.get(f"{API}/{POST}", json=fx("post_counts.json"))
    responses.get(f"{API}/{POST}/insights", json=fx("error_invalid_parameter.json"), status=400)
    [metrics] = adapter.fetch_post_metrics([POST])
    assert metrics.likes == 245 and metrics.reach is None


@responses.activate
def test_post_metrics_with_insights_off_asks_no_insights(adapter) -> None:
    responses.get(f"{API}/{POST}", json=fx("post_counts.json"))
    [metrics] = adapter.fetch_post_metrics([POST], insights=False)
    assert len(responses.calls) == 1
    assert metrics.likes == 245 and (metrics.reach, metrics.clicks) == (None, None)


@responses.activate
def test_account_metrics(adapter) -> None:
    responses.get(f"{API}/{PAGE}", json=fx("page.json"))
    assert adapter.fetch_account_metrics().followers == 18420
    assert query(responses.calls[0]) == {"fields": "followers_count,fan_count"}


# --- Comments ---------------------------------------------------------------------------------


@responses.activate
def test_fetch_comments_with_paging_cursor(adapter) -> None:
    responses.get(f"{API}/{PAGE}/posts", json=fx("posts_ids.json"))
    responses.get(f"{API}/{POST}/comments", json=fx("comments_page1.json"))
    responses.get(f"{API}/{POST}/comments", json=fx("comments_page2.json"))

    page = adapter.fetch_comments(json.dumps({"since": "2025-03-01T00:00:00+00:00"}))

    assert [c.remote_id for c in page.items] == [
        "1116689038356556_900001",
        "1116689038356556_900003",
    ]
    first, second = page.items
    assert (first.author_name, first.author_id) == ("Mia Beispiel", "10220000000000001")
    assert first.post_remote_id == POST
    assert first.parent_remote_id == ""
    assert second.parent_remote_id == "1116689038356556_900001"
    assert second.is_hidden is True
    assert json.loads(page.next_cursor) == {"since": "2025-03-03T10:15:00+00:00"}
    posts, c1, c2 = responses.calls
    assert query(posts) == {"fields": "id", "limit": "20"}
    assert query(c1) == {
        "fields": "id,message,from,created_time,parent{id},permalink_url,is_hidden",
        "filter": "stream",
        "order": "reverse_chronological",
        "limit": "100",
    }
    assert query(c2)["after"] == "WTI5dGJXVnVkRjlqZAFhKemIzSTZAd"


def _comment() -> RemoteComment:
    return RemoteComment(
        remote_id="1116689038356556_900001",
        post_remote_id=POST,
        author_name="Mia Beispiel",
        author_id="10220000000000001",
        text="Gilt das auch am Samstag?",
        created_at=None,
    )


@responses.activate
def test_reply(adapter) -> None:
    responses.post(f"{API}/1116689038356556_900001/comments", json=fx("reply.json"))
    result = adapter.reply(_comment(), "Nein, samstags ist geschlossen.")
    assert result.remote_id == "1116689038356556_900010"
    assert form(responses.calls[0]) == {"message": "Nein, samstags ist geschlossen."}


@responses.activate
def test_find_reply_finds_the_pages_reply_by_text(adapter) -> None:
    responses.get(f"{API}/1116689038356556_900001/comments", json=fx("comment_replies.json"))
    found = adapter.find_reply(_comment(), "Nein, samstags ist geschlossen.", "reply-1")
    assert found is not None and found.remote_id == "1116689038356556_900010"
    assert found.url.endswith("comment_id=900010")
    query = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert query["order"] == ["reverse_chronological"]


@responses.activate
def test_find_reply_ignores_other_peoples_replies(adapter) -> None:
    responses.get(f"{API}/1116689038356556_900001/comments", json=fx("comment_replies.json"))
    assert adapter.find_reply(_comment(), "Samstags nicht, sonntags auch nicht.", "k") is None
    assert FacebookAdapter.can_find_reply and not FacebookAdapter.reply_deduplicates


@responses.activate
def test_hide_and_delete_comment(adapter) -> None:
    responses.post(f"{API}/1116689038356556_900001", json=fx("success.json"))
    responses.delete(f"{API}/1116689038356556_900001", json=fx("success.json"))
    adapter.hide_comment(_comment())
    adapter.delete_comment(_comment())
    hide, delete = responses.calls
    assert hide.request.method == "POST"
    assert form(hide) == {"is_hidden": "true"}
    assert delete.request.method == "DELETE"


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
    ],
)
@responses.activate
def test_error_mapping(adapter, status, body, headers, expected) -> None:
    responses.delete(f"{API}/{POST}", json=body, status=status, headers=headers)
    with pytest.raises(expected) as info:
        adapter.delete(POST)
    if status == 429:
        assert info.value.retry_after == 120


@responses.activate
def test_business_use_case_header_gives_retry_after(adapter) -> None:
    usage = {PAGE: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    body = {"error": {"message": "(#80001) There have been too many calls", "code": 80001}}
    responses.delete(
        f"{API}/{POST}",
        json=body,
        status=400,
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.delete(POST)
    assert info.value.retry_after == 420


@responses.activate
def test_timeout_and_malformed(adapter) -> None:
    responses.delete(f"{API}/{POST}", body=requests.exceptions.ConnectTimeout())
    responses.get(f"{API}/{PAGE}", body="not json", status=200)
    with pytest.raises(TransientError):
        adapter.delete(POST)
    with pytest.raises(MalformedResponseError):
        adapter.test_connection()


@responses.activate
def test_no_credential_in_messages_or_logs(adapter, content, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    echoed = {"error": {"message": f"Malformed access token {TOKEN}", "code": 100}}
    responses.post(f"{API}/{PAGE}/feed", json=echoed, status=400)
    responses.get(f"{API}/{PAGE}", json=fx("error_invalid_token.json"), status=400)
    for call in (lambda: adapter.publish(content(), "k"), adapter.test_connection):
        with pytest.raises(PlatformError) as info:
            call()
        assert TOKEN not in str(info.value)
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


def test_refresh_keeps_credentials(adapter) -> None:
    # Page tokens from a long-lived User token do not expire: nothing is replaced.
    assert adapter.refresh_credentials() is None
    assert adapter.credentials == {"access_token": TOKEN}


# --- Connecting -------------------------------------------------------------------------------


def test_oauth_client_needs_settings() -> None:
    with (
        override_settings(META_APP_ID="", META_APP_SECRET=""),
        pytest.raises(PlatformError, match="META_APP_ID"),
    ):
        FacebookAdapter.oauth_client(base_url="", redirect_uri="", session=requests.Session())


def test_authorize_url() -> None:
    url = FacebookAdapter.oauth_authorize_url(
        client=OAuthClient("4711", "meta-app-secret-value"),
        base_url="",
        redirect_uri="https://sprachrohr.example/oauth/callback",
        state="s1",
        code_challenge=None,
    )
    parts = urlsplit(url)
    assert parts.netloc == "www.facebook.com"
    assert parts.path == f"/{GRAPH_VERSION}/dialog/oauth"
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert params["scope"] == (
        "pages_show_list,pages_read_engagement,pages_read_user_content,"
        "pages_manage_posts,pages_manage_engagement,read_insights"
    )
    assert params["client_id"] == "4711" and params["state"] == "s1"
    assert "meta-app-secret-value" not in url


@responses.activate
def test_exchange_code_lists_pages() -> None:
    responses.get(f"{API}/oauth/access_token", json=fx("oauth_access_token.json"))
    responses.get(f"{API}/oauth/access_token", json=fx("long_lived_token.json"))
    responses.get(f"{API}/me/accounts", json=fx("me_accounts.json"))

    choices = FacebookAdapter.oauth_exchange_code(
        client=OAuthClient("4711", "meta-app-secret-value"),
        base_url="",
        redirect_uri="https://sprachrohr.example/oauth/callback",
        code="AQDcode",
        code_verifier=None,
        session=requests.Session(),
    )

    assert [(c.account_id, c.name) for c in choices] == [
        (PAGE, "Stadt Musterstadt"),
        ("1234567890123", "Polizei Musterstadt"),
    ]
    assert choices[0].credentials == {"access_token": "EAABpagetokenstadt"}
    short, long, accounts = responses.calls
    assert query(short) == {
        "client_id": "4711",
        "redirect_uri": "https://sprachrohr.example/oauth/callback",
        "client_secret": "meta-app-secret-value",
        "code": "AQDcode",
    }
    assert query(long) == {
        "grant_type": "fb_exchange_token",
        "client_id": "4711",
        "client_secret": "meta-app-secret-value",
        "fb_exchange_token": "EAABshortlivedusertoken",
    }
    assert accounts.request.headers["Authorization"] == "Bearer EAABlonglivedusertoken"


@responses.activate
def test_exchange_code_error_hides_secret() -> None:
    body = {"error": {"message": "Invalid client_secret meta-app-secret-value", "code": 1}}
    responses.get(f"{API}/oauth/access_token", json=body, status=400)
    with pytest.raises(PlatformError) as info:
        FacebookAdapter.oauth_exchange_code(
            client=OAuthClient("4711", "meta-app-secret-value"),
            base_url="",
            redirect_uri="https://sprachrohr.example/cb",
            code="AQDcode",
            code_verifier=None,
            session=requests.Session(),
        )
    assert "meta-app-secret-value" not in str(info.value)


# --- mentions (inbox stream) ---------------------------------------------------------------


@responses.activate
def test_fetch_mentions_reads_tagged_posts_after_the_cursor(adapter) -> None:
    responses.get(f"{API}/{PAGE}/tagged", json=fx("tagged.json"))
    page = adapter.fetch_mentions(json.dumps({"since": "2025-03-01T00:00:00+00:00"}))
    assert [m.remote_id for m in page.items] == [
        "100089000000002_770000000000001",
        "100089000000001_770000000000002",
    ]
    mention = page.items[0]
    assert mention.kind == "mention" and mention.post_remote_id == ""
    # A person's post is not attributed to them for a page (Graph API limitation).
    assert mention.author_id == ""
    assert mention.raw["permalink_url"] == mention.url
    assert json.loads(page.next_cursor) == {"since": "2025-03-03T09:00:00+00:00"}
    assert query(responses.calls[0])["fields"] == "id,message,from,created_time,permalink_url"


def test_page_messages_are_not_read(adapter) -> None:
    with pytest.raises(NotSupportedError):
        adapter.fetch_messages(None)


@responses.activate
def test_mentions_without_the_permission_are_not_available(adapter) -> None:
    responses.get(
        f"{API}/{PAGE}/tagged",
        status=403,
        json={
            "error": {
                "message": "(#10) This endpoint requires the 'pages_read_user_content' permission",
                "type": "OAuthException",
                "code": 10,
                "fbtrace_id": "AbCdEf",
            }
        },
    )
    with pytest.raises(NotSupportedError, match="pages_read_user_content"):
        adapter.fetch_mentions(None)


@responses.activate
def test_mentions_with_an_invalid_token_still_need_a_reconnect(adapter) -> None:
    responses.get(
        f"{API}/{PAGE}/tagged",
        status=400,
        json={
            "error": {
                "message": "Error validating access token",
                "type": "OAuthException",
                "code": 190,
                "fbtrace_id": "AbCdEg",
            }
        },
    )
    with pytest.raises(AuthenticationError):
        adapter.fetch_mentions(None)
