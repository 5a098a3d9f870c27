"""Instagram adapter (Instagram API with Facebook Login) faked at the HTTP boundary."""

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
from channels_app.adapters.instagram import InstagramAdapter
from tests.channels_app.adapters.conftest import load_fixture

API = f"https://graph.facebook.com/{GRAPH_VERSION}"
IG = "17841400008460056"
MEDIA = "17920238422030506"
CONTAINER = "17889455560051444"
TOKEN = "EAABsecretpagetoken4712"
CAPTION = "Heute ist das Bürgerbüro bis 18 Uhr geöffnet. #Musterstadt"


def fx(name: str) -> dict:
    return load_fixture("instagram", name)


def form(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(call.request.body).items()}


def query(call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}


@pytest.fixture
def adapter() -> InstagramAdapter:
    a = InstagramAdapter(
        ChannelContext(platform="instagram", account_id=IG, handle="stadt.musterstadt"),
        {"access_token": TOKEN, "page_id": "546349135390552"},
    )
    a.poll_interval = 0
    return a


# --- Validation -------------------------------------------------------------------------------


def test_image_required(adapter, content) -> None:
    assert [p.code for p in adapter.validate(content())] == ["media_required"]


def test_valid_post(adapter, content, image_file) -> None:
    assert adapter.validate(content(CAPTION, media=(image_file,))) == []


def test_caption_length_counts_utf16(adapter, content, image_file) -> None:
    assert adapter.validate(content("a" * 2200, media=(image_file,))) == []
    problems = adapter.validate(content("a" * 2199 + "🇩🇪", media=(image_file,)))
    assert [p.code for p in problems] == ["text_too_long"]


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("👩\u200d👩\u200d👧\u200d👦", 11),
        ("e\u0301", 2),
        ("市役所", 3),
        ("https://www.musterstadt.example/x", 33),
    ],
)
def test_length_edge_cases(adapter, content, image_file, text, units) -> None:
    assert adapter.validate(content(text + "a" * (2200 - units), media=(image_file,))) == []
    problems = adapter.validate(content(text + "a" * (2201 - units), media=(image_file,)))
    assert [p.code for p in problems] == ["text_too_long"]


def test_hashtag_and_mention_limits(adapter, content, image_file) -> None:
    ok = " ".join(f"#tag{i}" for i in range(30)) + " " + " ".join(f"@user{i}" for i in range(20))
    assert adapter.validate(content(ok, media=(image_file,))) == []
    too_many = ok + " #noch @einer"
    codes = [p.code for p in adapter.validate(content(too_many, media=(image_file,)))]
    assert codes == ["too_many_hashtags", "too_many_mentions"]
    # An e-mail address is no mention, an anchor in a URL no hashtag.
    text = "Fragen an presse@musterstadt.example, https://musterstadt.example/#top"
    assert adapter.validate(content(text, media=(image_file,))) == []


def test_media_rules(adapter, content, image_file, video_file) -> None:
    png = replace(image_file, mime_type="image/png")
    no_url = replace(image_file, public_url=None)
    narrow = replace(image_file, width=500, height=1000)
    problems = adapter.validate(content(media=(png, no_url, narrow)))
    assert {(p.code, p.field) for p in problems} == {
        ("media_type", "media.0"),
        ("media_public_url_missing", "media.1"),
        ("media_aspect_ratio", "media.2"),
    }
    codes = {p.code for p in adapter.validate(content(media=(video_file,)))}
    assert {"media_required", "too_many_videos"} <= codes
    assert "too_many_images" in {
        p.code for p in adapter.validate(content(media=(image_file,) * 11))
    }


# --- Publishing -------------------------------------------------------------------------------


@responses.activate
def test_publish_single_image_with_alt_text(adapter, content, image_file) -> None:
    responses.post(f"{API}/{IG}/media", json=fx("container.json"))
    responses.get(f"{API}/{CONTAINER}", json=fx("container_status_in_progress.json"))
    responses.get(f"{API}/{CONTAINER}", json=fx("container_status_finished.json"))
    responses.post(f"{API}/{IG}/media_publish", json=fx("media_publish.json"))
    responses.get(f"{API}/{MEDIA}", json=fx("media.json"))

    result = adapter.publish(content(CAPTION, media=(image_file,)), "k")

    assert result.remote_id == MEDIA
    assert result.url == "https://www.instagram.com/p/C9xYzAbCdEf/"
    create, status, _status2, publish, read = responses.calls
    assert create.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in create.request.url
    assert form(create) == {
        "image_url": "https://www.musterstadt.example/media/rathaus.jpg",
        "caption": CAPTION,
        "alt_text": "Das Rathaus von Musterstadt im Sonnenschein",
    }
    assert query(status) == {"fields": "status_code"}
    assert form(publish) == {"creation_id": CONTAINER}
    assert query(read) == {"fields": "id,permalink,timestamp"}


@responses.activate
def test_publish_carousel(adapter, content, image_file) -> None:
    second = replace(
        image_file,
        public_url="https://www.musterstadt.example/media/markt.jpg",
        alt_text="Der Marktplatz",
    )
    responses.post(f"{API}/{IG}/media", json=fx("container_child_1.json"))
    responses.post(f"{API}/{IG}/media", json=fx("container_child_2.json"))
    responses.post(f"{API}/{IG}/media", json=fx("container.json"))
    for container in ("17889455560051401", "17889455560051402", CONTAINER):
        responses.get(f"{API}/{container}", json=fx("container_status_finished.json"))
    responses.post(f"{API}/{IG}/media_publish", json=fx("media_publish.json"))
    responses.get(f"{API}/{MEDIA}", json=fx("media.json"))

    adapter.publish(content(CAPTION, media=(image_file, second)), "k")

    child1, child2, _s1, _s2, parent, _s3, publish, _read = responses.calls
    assert form(child1) == {
        "image_url": "https://www.musterstadt.example/media/rathaus.jpg",
        "is_carousel_item": "true",
        "alt_text": "Das Rathaus von Musterstadt im Sonnenschein",
    }
    assert form(child2)["alt_text"] == "Der Marktplatz"
    assert form(parent) == {
        "media_type": "CAROUSEL",
        "children": "17889455560051401,17889455560051402",
        "caption": CAPTION,
    }
    assert form(publish) == {"creation_id": CONTAINER}


@responses.activate
def test_media_not_ready_is_transient(adapter, content, image_file) -> None:
    responses.post(f"{API}/{IG}/media", json=fx("container.json"))
    responses.get(f"{API}/{CONTAINER}", json=fx("container_status_finished.json"))
    not_ready = {
        "error": {
            "message": "Media ID is not available",
            "type": "OAuthException",
            "code": 9007,
            "error_subcode": 2207027,
            "error_user_msg": "The media is not ready for publishing, please wait for a moment",
        }
    }
    responses.post(f"{API}/{IG}/media_publish", json=not_ready, status=400)
    with pytest.raises(TransientError):
        adapter.publish(content(CAPTION, media=(image_file,)), "k")


# --- No double post ---------------------------------------------------------------------------


@responses.activate
@time_machine.travel(datetime(2025, 3, 3, 12, 0, tzinfo=UTC), tick=False)
def test_retry_after_lost_answer_does_not_post_twice(adapter, content, image_file) -> None:
    responses.post(f"{API}/{IG}/media", json=fx("container.json"))
    responses.get(f"{API}/{CONTAINER}", json=fx("container_status_finished.json"))
    responses.post(f"{API}/{IG}/media_publish", body=requests.exceptions.ReadTimeout("lost"))
    responses.get(f"{API}/{IG}/media", json=fx("media_list.json"))
    post = content(CAPTION, media=(image_file,))

    with pytest.raises(TransientError):
        adapter.publish(post, "k")
    found = adapter.find_published(post, "k")

    assert found is not None and found.remote_id == MEDIA
    assert found.url == "https://www.instagram.com/p/C9xYzAbCdEf/"
    assert query(responses.calls[-1]) == {"fields": "id,caption,permalink,timestamp", "limit": "25"}
    publishes = [c for c in responses.calls if c.request.url.endswith("/media_publish")]
    assert len(publishes) == 1


@responses.activate
@time_machine.travel(datetime(2025, 3, 10, 12, 0, tzinfo=UTC), tick=False)
def test_find_published_ignores_old_posts(adapter, content, image_file) -> None:
    responses.get(f"{API}/{IG}/media", json=fx("media_list.json"))
    assert adapter.find_published(content(CAPTION, media=(image_file,)), "k") is None


def test_delete_not_supported(adapter) -> None:
    assert adapter.capabilities.delete is False
    with pytest.raises(NotSupportedError):
        adapter.delete(MEDIA)


# --- Metrics ----------------------------------------------------------------------------------


@responses.activate
def test_post_metrics(adapter) -> None:
    responses.get(f"{API}/{MEDIA}/insights", json=fx("media_insights.json"))
    [metrics] = adapter.fetch_post_metrics([MEDIA])
    assert query(responses.calls[0]) == {"metric": "reach,likes,comments,shares,saved,views"}
    assert (metrics.impressions, metrics.reach, metrics.likes) == (5120, 2810, 402)
    assert (metrics.comments, metrics.shares) == (17, 9)


@responses.activate
def test_post_metrics_with_insights_off_reads_only_the_public_counts(adapter) -> None:
    # The owner hid likes: like_count is left out and stays "not provided".
    responses.get(f"{API}/{MEDIA}", json={"id": MEDIA, "comments_count": 4})
    [metrics] = adapter.fetch_post_metrics([MEDIA], insights=False)
    assert query(responses.calls[0]) == {"fields": "id,like_count,comments_count"}
    assert (metrics.comments, metrics.likes, metrics.reach, metrics.impressions) == (
        4,
        None,
        None,
        None,
    )


@responses.activate
def test_account_metrics(adapter) -> None:
    responses.get(f"{API}/{IG}", json=fx("user.json"))
    metrics = adapter.fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts) == (8420, 112, 634)
    assert query(responses.calls[0]) == {"fields": "followers_count,follows_count,media_count"}


# --- Comments ---------------------------------------------------------------------------------


@responses.activate
def test_fetch_comments_with_replies_and_cursor(adapter) -> None:
    responses.get(f"{API}/{IG}/media", json=fx("media_ids.json"))
    responses.get(f"{API}/{MEDIA}/comments", json=fx("comments_page1.json"))
    responses.get(f"{API}/{MEDIA}/comments", json=fx("comments_page2.json"))

    page = adapter.fetch_comments(json.dumps({"since": "2025-03-01T00:00:00+00:00"}))

    assert [c.remote_id for c in page.items] == ["17870913679156914", "17870913679156916"]
    top, reply = page.items
    assert (top.author_name, top.author_id) == ("anwohnerin_mia", "17841405822304914")
    assert top.parent_remote_id == ""
    assert reply.parent_remote_id == "17870913679156914"
    assert reply.is_hidden is True
    assert json.loads(page.next_cursor) == {"since": "2025-03-03T10:25:00+00:00"}
    media, c1, c2 = responses.calls
    assert query(media) == {"fields": "id,timestamp", "limit": "20"}
    assert query(c1) == {
        "fields": "id,text,timestamp,username,from,hidden,parent_id,"
        "replies{id,text,timestamp,username,from,hidden,parent_id}",
        "limit": "50",
    }
    assert query(c2)["after"] == "QVFIUjBfWDBpAFTER"


def _comment(**kwargs) -> RemoteComment:
    defaults = {
        "remote_id": "17870913679156916",
        "post_remote_id": MEDIA,
        "author_name": "buerger_jonas",
        "author_id": "17841405822304999",
        "text": "Schade!",
        "created_at": None,
        "parent_remote_id": "17870913679156914",
    }
    return RemoteComment(**{**defaults, **kwargs})


@responses.activate
def test_reply_goes_to_top_level_comment(adapter) -> None:
    responses.post(f"{API}/17870913679156914/replies", json=fx("reply.json"))
    result = adapter.reply(_comment(), "Wir öffnen am Montag wieder.")
    assert result.remote_id == "17870913679156999"
    assert form(responses.calls[0]) == {"message": "Wir öffnen am Montag wieder."}


@responses.activate
def test_find_reply_finds_the_accounts_reply_in_the_thread(adapter) -> None:
    responses.get(f"{API}/17870913679156914/replies", json=fx("comment_replies.json"))
    found = adapter.find_reply(_comment(), "Wir öffnen am Montag wieder.", "reply-1")
    assert found is not None and found.remote_id == "17870913679156999"


@responses.activate
def test_find_reply_finds_nothing_for_another_text(adapter) -> None:
    responses.get(f"{API}/17870913679156914/replies", json=fx("comment_replies.json"))
    assert adapter.find_reply(_comment(), "Etwas anderes.", "reply-1") is None


@responses.activate
def test_hide_and_delete_comment(adapter) -> None:
    responses.post(f"{API}/17870913679156916", json=fx("success.json"))
    responses.delete(f"{API}/17870913679156916", json=fx("success.json"))
    adapter.hide_comment(_comment())
    adapter.delete_comment(_comment())
    hide, delete = responses.calls
    assert form(hide) == {"hide": "true"}
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
        (429, {}, {"Retry-After": "60"}, RateLimitedError),
        (502, {}, {}, TransientError),
    ],
)
@responses.activate
def test_error_mapping(adapter, status, body, headers, expected) -> None:
    responses.get(f"{API}/{MEDIA}/insights", json=body, status=status, headers=headers)
    with pytest.raises(expected) as info:
        adapter.fetch_post_metrics([MEDIA])
    if status == 429:
        assert info.value.retry_after == 60


@responses.activate
def test_timeout_and_malformed(adapter) -> None:
    responses.get(f"{API}/{IG}", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(TransientError):
        adapter.test_connection()
    responses.replace(responses.GET, f"{API}/{IG}", body="<!doctype html>", status=200)
    with pytest.raises(MalformedResponseError):
        adapter.test_connection()


@responses.activate
def test_no_credential_in_messages_or_logs(adapter, content, image_file, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    echoed = {"error": {"message": f"Invalid token {TOKEN}", "code": 100}}
    responses.post(f"{API}/{IG}/media", json=echoed, status=400)
    with pytest.raises(PlatformError) as info:
        adapter.publish(content(CAPTION, media=(image_file,)), "k")
    assert TOKEN not in str(info.value)
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


def test_refresh_keeps_credentials(adapter) -> None:
    assert adapter.refresh_credentials() is None
    assert adapter.credentials["access_token"] == TOKEN


# --- Connecting -------------------------------------------------------------------------------


def test_oauth_client_needs_settings() -> None:
    with (
        override_settings(META_APP_ID="", META_APP_SECRET=""),
        pytest.raises(PlatformError, match="META_APP_SECRET"),
    ):
        InstagramAdapter.oauth_client(base_url="", redirect_uri="", session=requests.Session())


def test_authorize_url_scopes() -> None:
    url = InstagramAdapter.oauth_authorize_url(
        client=OAuthClient("4711", "meta-app-secret-value"),
        base_url="",
        redirect_uri="https://sprachrohr.example/oauth/callback",
        state="s1",
        code_challenge=None,
    )
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert params["scope"] == (
        "instagram_basic,instagram_content_publish,instagram_manage_comments,"
        "instagram_manage_insights,pages_show_list,pages_read_engagement"
    )


@responses.activate
def test_exchange_code_lists_linked_accounts_only() -> None:
    responses.get(f"{API}/oauth/access_token", json=fx("oauth_access_token.json"))
    responses.get(f"{API}/oauth/access_token", json=fx("long_lived_token.json"))
    responses.get(f"{API}/me/accounts", json=fx("me_accounts.json"))

    [choice] = InstagramAdapter.oauth_exchange_code(
        client=OAuthClient("4711", "meta-app-secret-value"),
        base_url="",
        redirect_uri="https://sprachrohr.example/oauth/callback",
        code="AQDcode",
        code_verifier=None,
        session=requests.Session(),
    )

    assert choice.account_id == IG
    assert choice.handle == "stadt.musterstadt"
    assert choice.url == "https://www.instagram.com/stadt.musterstadt/"
    assert choice.credentials == {
        "access_token": "EAABpagetokenstadt",
        "page_id": "546349135390552",
    }
    assert query(responses.calls[2])["fields"] == (
        "id,name,access_token,instagram_business_account{id,username,name}"
    )


@responses.activate
def test_comments_carry_handle_profile_address_and_raw(adapter) -> None:
    responses.get(f"{API}/{IG}/media", json=fx("media_ids.json"))
    responses.get(f"{API}/{MEDIA}/comments", json=fx("comments_page1.json"))
    responses.get(f"{API}/{MEDIA}/comments", json=fx("comments_page2.json"))
    page = adapter.fetch_comments(json.dumps({"since": "2025-03-01T00:00:00+00:00"}))
    comment = next(c for c in page.items if c.remote_id == "17870913679156914")
    assert comment.author_handle == "anwohnerin_mia"
    assert comment.author_url == "https://www.instagram.com/anwohnerin_mia/"
    assert comment.raw["text"] == "Gilt das auch am Samstag?"
    assert not comment.by_account
