"""LinkedIn adapter: requests as documented for the Community Management API, faked with
``responses``."""

from __future__ import annotations

import json
import logging
from datetime import UTC
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import quote
from urllib.parse import unquote
from urllib.parse import urlsplit

import pytest
import requests
import responses
import time_machine
from responses import matchers

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import OAuthClient
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
from channels_app.adapters.linkedin import API
from channels_app.adapters.linkedin import AUTHORIZE_URL
from channels_app.adapters.linkedin import LINKEDIN_VERSION
from channels_app.adapters.linkedin import TOKEN_URL
from channels_app.adapters.linkedin import LinkedInAdapter
from channels_app.adapters.linkedin import escape_little_text
from tests.channels_app.adapters.conftest import load_fixture

ACCESS = "li-access-token-SECRET-1234567890"
REFRESH = "li-refresh-token-SECRET-0987654321"
CLIENT_SECRET = "li-client-secret-SECRET-abcdef"
ORG = "urn:li:organization:2414183"
ORG_Q = "urn%3Ali%3Aorganization%3A2414183"
SHARE = "urn:li:share:7399999999999999999"
COMMENT_URN = "urn:li:comment:(urn:li:activity:7399999999999999998,7400000000000000001)"
NOW = datetime(2025, 11, 24, 12, 0, tzinfo=UTC)  # less than a day after the fixture posts


def fx(name: str) -> Any:
    return load_fixture("linkedin", name)


@pytest.fixture(autouse=True)
def linkedin_settings(settings: Any) -> None:
    settings.LINKEDIN_CLIENT_ID = "li-client-id"
    settings.LINKEDIN_CLIENT_SECRET = CLIENT_SECRET


@pytest.fixture
def changed() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def adapter(changed: list[dict[str, Any]]) -> LinkedInAdapter:
    return LinkedInAdapter(
        ChannelContext(platform="linkedin", account_id="2414183", handle="stadt-musterstadt"),
        {
            "access_token": ACCESS,
            "refresh_token": REFRESH,
            "expires_at": "2026-01-20T00:00:00+00:00",
            "refresh_expires_at": "2026-11-01T00:00:00+00:00",
        },
        on_credentials_changed=changed.append,
    )


def assert_rest_headers(request: Any) -> None:
    assert request.headers["Authorization"] == f"Bearer {ACCESS}"
    assert request.headers["LinkedIn-Version"] == LINKEDIN_VERSION
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert request.headers["User-Agent"].startswith("Sprachrohr/")


def body_json(request: Any) -> Any:
    return json.loads(request.body)


def comment() -> RemoteComment:
    return RemoteComment(
        remote_id=COMMENT_URN,
        post_remote_id=SHARE,
        author_name="urn:li:person:Ab1Cd2Ef3G",
        author_id="urn:li:person:Ab1Cd2Ef3G",
        text="Gilt das auch für die Außenstelle in Nordheim?",
        created_at=None,
        url=f"https://www.linkedin.com/feed/update/{SHARE}/",
    )


# --- little text format and length -----------------------------------------------------------


def test_escape_little_text() -> None:
    assert escape_little_text("Öffnungszeiten (Mo-Fr) | [Info] {neu} <wichtig>") == (
        "Öffnungszeiten \\(Mo-Fr\\) \\| \\[Info\\] \\{neu\\} \\<wichtig\\>"
    )
    assert escape_little_text("a*b_c~d\\e @amt") == "a\\*b\\_c\\~d\\\\e \\@amt"
    # Hashtags stay hashtags; a lone # is plain text.
    assert escape_little_text("#Musterstadt # Nr. 5, C#") == "#Musterstadt \\# Nr. 5, C\\#"
    # URLs stay intact so that they still link.
    url = "https://www.musterstadt.example/a_b/info?x=1#top"
    assert escape_little_text(f"Mehr: {url} (PDF)") == f"Mehr: {url} \\(PDF\\)"


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("a" * 3000, True),
        ("a" * 3001, False),
        ("👩‍👩‍👧‍👦" * 272, True),  # 11 UTF-16 units each: 2992
        ("👩‍👩‍👧‍👦" * 273, False),
        ("🇩🇪" * 750, True),  # 4 units each
        ("🇩🇪" * 751, False),
        ("e\u0301" * 1500, True),  # the combining accent counts
        ("e\u0301" * 1501, False),
        ("市役所" * 1000, True),  # CJK: one unit each
        ("市役所" * 1001, False),
        ("https://www.musterstadt.example/" + "a" * 2968, True),  # URLs count in full
        ("https://www.musterstadt.example/" + "a" * 2969, False),
        ("@[Stadt](urn:li:organization:1) " * 90, True),
        ("(" * 3000, True),  # escaping adds syntax, not characters
    ],
)
def test_validate_length(adapter: LinkedInAdapter, content: Any, text: str, ok: bool) -> None:
    assert ("text_too_long" not in {p.code for p in adapter.validate(content(text))}) is ok


def test_validate_media(
    adapter: LinkedInAdapter, content: Any, image_file: MediaItem, video_file: MediaItem
) -> None:
    assert adapter.validate(content(media=(image_file,) * 20)) == []
    assert "too_many_images" in {
        p.code for p in adapter.validate(content(media=(image_file,) * 21))
    }
    assert "media_mixed" in {
        p.code for p in adapter.validate(content(media=(image_file, video_file)))
    }
    webp = MediaItem(path="a.webp", mime_type="image/webp", kind=MediaKind.IMAGE, size=10)
    assert "media_type" in {p.code for p in adapter.validate(content(media=(webp,)))}
    huge = MediaItem(
        path="a.png", mime_type="image/png", kind=MediaKind.IMAGE, size=10, width=8000, height=5000
    )
    assert "image_too_many_pixels" in {p.code for p in adapter.validate(content(media=(huge,)))}
    alt = MediaItem(
        path="a.png", mime_type="image/png", kind=MediaKind.IMAGE, size=10, alt_text="a" * 4087
    )
    assert "alt_text_too_long" in {p.code for p in adapter.validate(content(media=(alt,)))}
    problems = {(p.code, p.severity) for p in adapter.validate(content(media=(video_file,)))}
    # The fixture video is a 2 KB stub: LinkedIn wants at least 75 KB.
    assert ("media_too_small", ProblemSeverity.ERROR) in problems
    assert ("alt_text_ignored", ProblemSeverity.WARNING) in problems
    short = MediaItem(
        path="v.mp4", mime_type="video/mp4", kind=MediaKind.VIDEO, size=100_000, duration_seconds=2
    )
    assert "video_duration" in {p.code for p in adapter.validate(content(media=(short,)))}
    mov = MediaItem(path="v.mov", mime_type="video/quicktime", kind=MediaKind.VIDEO, size=100_000)
    assert "media_type" in {p.code for p in adapter.validate(content(media=(mov,)))}
    assert "text_empty" in {p.code for p in adapter.validate(content(""))}


# --- publish -------------------------------------------------------------------------------


@responses.activate
def test_publish_with_image_and_alt_text(
    adapter: LinkedInAdapter, content: Any, image_file: MediaItem
) -> None:
    init = fx("images_initialize_upload.json")["value"]
    responses.post(
        f"{API}/images",
        json=fx("images_initialize_upload.json"),
        match=[
            matchers.query_param_matcher({"action": "initializeUpload"}),
            matchers.json_params_matcher({"initializeUploadRequest": {"owner": ORG}}),
        ],
    )
    responses.put(init["uploadUrl"], status=201)
    responses.post(f"{API}/posts", status=201, headers={"x-restli-id": SHARE})
    text = "Heute ist das Bürgerbüro bis 18 Uhr geöffnet (Ausnahme: Standesamt). #Musterstadt"
    result = adapter.publish(content(text, media=(image_file,)), "key-1")
    assert result.remote_id == SHARE
    assert result.url == f"https://www.linkedin.com/feed/update/{SHARE}/"
    init_call, upload, post = responses.calls
    assert_rest_headers(init_call.request)
    assert_rest_headers(post.request)
    assert upload.request.method == "PUT"
    assert upload.request.body == image_file.read()
    assert upload.request.headers["Authorization"] == f"Bearer {ACCESS}"
    assert body_json(post.request) == {
        "author": ORG,
        "commentary": (
            "Heute ist das Bürgerbüro bis 18 Uhr geöffnet \\(Ausnahme: Standesamt\\). #Musterstadt"
        ),
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
        "content": {
            "media": {
                "id": "urn:li:image:D4E10AQFa1b2C3d4E5f",
                "altText": "Das Rathaus von Musterstadt im Sonnenschein",
            }
        },
    }


@responses.activate
def test_publish_multi_image(adapter: LinkedInAdapter, content: Any, image_file: MediaItem) -> None:
    first, second = fx("images_initialize_upload.json"), fx("images_initialize_upload_2.json")
    responses.post(f"{API}/images?action=initializeUpload", json=first)
    responses.post(f"{API}/images?action=initializeUpload", json=second)
    responses.put(first["value"]["uploadUrl"], status=201)
    responses.put(second["value"]["uploadUrl"], status=201)
    responses.post(f"{API}/posts", status=201, headers={"x-restli-id": SHARE})
    adapter.publish(content(media=(image_file, image_file)), "key-2")
    assert body_json(responses.calls[-1].request)["content"] == {
        "multiImage": {
            "images": [
                {"id": first["value"]["image"], "altText": image_file.alt_text},
                {"id": second["value"]["image"], "altText": image_file.alt_text},
            ]
        }
    }


@responses.activate
def test_publish_video(adapter: LinkedInAdapter, content: Any, video_file: MediaItem) -> None:
    init = fx("videos_initialize_upload.json")["value"]
    responses.post(
        f"{API}/videos?action=initializeUpload",
        json=fx("videos_initialize_upload.json"),
        match=[
            matchers.json_params_matcher(
                {
                    "initializeUploadRequest": {
                        "owner": ORG,
                        "fileSizeBytes": video_file.size,
                        "uploadCaptions": False,
                        "uploadThumbnail": False,
                    }
                }
            )
        ],
    )
    responses.put(
        init["uploadInstructions"][0]["uploadUrl"], status=200, headers={"ETag": "/etag-part-1"}
    )
    responses.post(
        f"{API}/videos?action=finalizeUpload",
        status=200,
        match=[
            matchers.json_params_matcher(
                {
                    "finalizeUploadRequest": {
                        "video": init["video"],
                        "uploadToken": "",
                        "uploadedPartIds": ["/etag-part-1"],
                    }
                }
            )
        ],
    )
    responses.post(
        f"{API}/posts", status=201, headers={"x-restli-id": "urn:li:ugcPost:7399000000000000000"}
    )
    result = adapter.publish(content(media=(video_file,), title="Baustelle Marktplatz"), "key-v")
    assert result.remote_id == "urn:li:ugcPost:7399000000000000000"
    assert responses.calls[1].request.body == video_file.read()
    assert body_json(responses.calls[-1].request)["content"] == {
        "media": {"title": "Baustelle Marktplatz", "id": init["video"]}
    }


@responses.activate
def test_publish_without_restli_id_is_malformed(adapter: LinkedInAdapter, content: Any) -> None:
    responses.post(f"{API}/posts", status=201)
    with pytest.raises(MalformedResponseError):
        adapter.publish(content(), "k")


# --- no double post ------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
@responses.activate
def test_find_published(adapter: LinkedInAdapter, content: Any) -> None:
    responses.get(
        f"{API}/posts",
        json=fx("posts_by_author.json"),
        match=[
            matchers.query_param_matcher(
                {"author": ORG, "q": "author", "count": "20", "sortBy": "LAST_MODIFIED"}
            )
        ],
    )
    text = "Heute ist das Bürgerbüro bis 18 Uhr geöffnet (Ausnahme: Standesamt). #Musterstadt"
    found = adapter.find_published(content(text), "key-1")
    assert found is not None and found.remote_id == SHARE
    assert found.published_at == datetime.fromtimestamp(1764000000, tz=UTC)
    assert ORG_Q in responses.calls[0].request.url
    assert_rest_headers(responses.calls[0].request)
    assert adapter.find_published(content("Ein anderer Text"), "key-3") is None


@time_machine.travel(datetime(2025, 11, 30, tzinfo=UTC), tick=False)
@responses.activate
def test_find_published_ignores_old_posts(adapter: LinkedInAdapter, content: Any) -> None:
    responses.get(f"{API}/posts", json=fx("posts_by_author.json"))
    assert adapter.find_published(content("Sperrung der Hauptstraße bis Freitag."), "k") is None


@time_machine.travel(NOW, tick=False)
@responses.activate
def test_retry_does_not_post_twice(adapter: LinkedInAdapter, content: Any) -> None:
    """The create call times out after LinkedIn stored the post: the same call finds it, and
    the caller's retry (``find_published`` first) finds it too, without a second POST."""
    responses.post(f"{API}/posts", body=requests.exceptions.ReadTimeout())
    responses.get(f"{API}/posts", json=fx("posts_empty.json"))
    with pytest.raises(TransientError):
        adapter.publish(content("Sperrung der Hauptstraße bis Freitag."), "key-1")
    responses.replace(responses.GET, f"{API}/posts", json=fx("posts_by_author.json"))
    found = adapter.find_published(content("Sperrung der Hauptstraße bis Freitag."), "key-1")
    assert found is not None and found.remote_id == "urn:li:ugcPost:7399000000000000000"
    posts = [c for c in responses.calls if c.request.method == "POST"]
    assert len(posts) == 1


@time_machine.travel(NOW, tick=False)
@responses.activate
def test_publish_timeout_then_found(adapter: LinkedInAdapter, content: Any) -> None:
    responses.post(f"{API}/posts", body=requests.exceptions.ReadTimeout())
    responses.get(f"{API}/posts", json=fx("posts_by_author.json"))
    result = adapter.publish(content("Sperrung der Hauptstraße bis Freitag."), "key-1")
    assert result.remote_id == "urn:li:ugcPost:7399000000000000000"


@time_machine.travel(NOW, tick=False)
@responses.activate
def test_publish_duplicate_rejection_returns_earlier_post(
    adapter: LinkedInAdapter, content: Any
) -> None:
    responses.post(f"{API}/posts", json=fx("error_422_duplicate.json"), status=422)
    responses.get(f"{API}/posts", json=fx("posts_by_author.json"))
    result = adapter.publish(content("Sperrung der Hauptstraße bis Freitag."), "key-1")
    assert result.remote_id == "urn:li:ugcPost:7399000000000000000"


# --- delete, metrics, comments, reply --------------------------------------------------------


@responses.activate
def test_delete(adapter: LinkedInAdapter) -> None:
    responses.delete(f"{API}/posts/urn%3Ali%3Ashare%3A7399999999999999999", status=204)
    adapter.delete(SHARE)
    assert responses.calls[0].request.method == "DELETE"
    assert_rest_headers(responses.calls[0].request)


@responses.activate
def test_post_metrics(adapter: LinkedInAdapter) -> None:
    responses.get(f"{API}/organizationalEntityShareStatistics", json=fx("share_statistics.json"))
    metrics = adapter.fetch_post_metrics([SHARE, "urn:li:ugcPost:7399000000000000000"])
    url = responses.calls[0].request.url
    assert url == (
        f"{API}/organizationalEntityShareStatistics?q=organizationalEntity"
        f"&organizationalEntity={ORG_Q}"
        "&shares=List(urn%3Ali%3Ashare%3A7399999999999999999)"
        "&ugcPosts=List(urn%3Ali%3AugcPost%3A7399000000000000000)"
    )
    assert_rest_headers(responses.calls[0].request)
    by_id = {m.remote_id: m for m in metrics}
    share = by_id[SHARE]
    assert (
        share.impressions,
        share.reach,
        share.likes,
        share.comments,
        share.shares,
        share.clicks,
    ) == (
        2760,
        1812,
        102,
        8,
        14,
        96,
    )
    assert by_id["urn:li:ugcPost:7399000000000000000"].impressions == 903
    assert adapter.fetch_post_metrics([]) == []


@responses.activate
def test_account_metrics(adapter: LinkedInAdapter) -> None:
    responses.get(
        f"{API}/networkSizes/{ORG_Q}",
        json=fx("network_size.json"),
        match=[matchers.query_param_matcher({"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"})],
    )
    responses.get(
        f"{API}/organizationalEntityShareStatistics", json=fx("share_statistics_lifetime.json")
    )
    metrics = adapter.fetch_account_metrics()
    assert metrics.followers == 219145
    assert metrics.impressions == 140200
    assert responses.calls[1].request.url == (
        f"{API}/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={ORG_Q}"
    )


@responses.activate
def test_fetch_comments_with_paging_and_cursor(adapter: LinkedInAdapter) -> None:
    responses.get(f"{API}/posts", json=fx("posts_by_author.json"))
    share_comments = f"{API}/socialActions/urn%3Ali%3Ashare%3A7399999999999999999/comments"
    responses.get(
        share_comments,
        json=fx("comments_page1.json"),
        match=[matchers.query_param_matcher({"start": "0", "count": "100"})],
    )
    responses.get(
        share_comments,
        json=fx("comments_page2.json"),
        match=[matchers.query_param_matcher({"start": "2", "count": "100"})],
    )
    responses.get(
        f"{API}/socialActions/urn%3Ali%3AugcPost%3A7399000000000000000/comments",
        json=fx("comments_none.json"),
    )
    page = adapter.fetch_comments(None)
    # The organisation's own reply is left out; the rest arrives oldest first.
    assert [c.remote_id for c in page.items] == [
        COMMENT_URN,
        "urn:li:comment:(urn:li:activity:7399999999999999998,7400000000000000003)",
    ]
    first = page.items[0]
    assert first.post_remote_id == SHARE
    assert first.author_id == "urn:li:person:Ab1Cd2Ef3G"
    assert first.text == "Gilt das auch für die Außenstelle in Nordheim?"
    assert first.created_at == datetime.fromtimestamp(1764001000, tz=UTC)
    assert page.next_cursor == "1764003000000"
    assert query_of(responses.calls[0].request.url)["q"] == ["author"]
    for call in responses.calls:
        assert_rest_headers(call.request)

    # Next poll with the cursor: nothing newer, the cursor stays.
    page = adapter.fetch_comments(page.next_cursor)
    assert page.items == []
    assert page.next_cursor == "1764003000000"


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@responses.activate
def test_reply(adapter: LinkedInAdapter) -> None:
    responses.post(
        f"{API}/socialActions/{quote(COMMENT_URN, safe='')}/comments",
        json=fx("comment_create.json"),
        status=201,
        headers={"x-restli-id": "7400000000000000009"},
        match=[
            matchers.json_params_matcher(
                {
                    "actor": ORG,
                    "object": "urn:li:activity:7399999999999999998",
                    "message": {
                        "text": "Ja, die Außenstelle Nordheim ist ebenfalls bis 18 Uhr geöffnet."
                    },
                    "parentComment": COMMENT_URN,
                }
            )
        ],
    )
    result = adapter.reply(
        comment(), "Ja, die Außenstelle Nordheim ist ebenfalls bis 18 Uhr geöffnet."
    )
    assert (
        result.remote_id
        == "urn:li:comment:(urn:li:activity:7399999999999999998,7400000000000000009)"
    )
    request = responses.calls[0].request
    assert_rest_headers(request)
    assert "urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7399999999999999998%2C" in request.url


@responses.activate
def test_delete_comment(adapter: LinkedInAdapter) -> None:
    responses.delete(
        f"{API}/socialActions/urn%3Ali%3Ashare%3A7399999999999999999/comments/7400000000000000001",
        status=204,
        match=[matchers.query_param_matcher({"actor": ORG})],
    )
    adapter.delete_comment(comment())
    assert_rest_headers(responses.calls[0].request)


def test_hide_comment_not_supported(adapter: LinkedInAdapter) -> None:
    assert adapter.capabilities.hide_comments is False
    with pytest.raises(NotSupportedError):
        adapter.hide_comment(comment())


@responses.activate
def test_connection(adapter: LinkedInAdapter) -> None:
    responses.get(f"{API}/organizations/2414183", json=fx("organizations_lookup.json"))
    info = adapter.test_connection()
    assert (info.account_id, info.display_name, info.handle) == (
        "2414183",
        "Stadt Musterstadt",
        "stadt-musterstadt",
    )
    assert info.url == "https://www.linkedin.com/company/stadt-musterstadt/"


# --- error mapping -------------------------------------------------------------------------


@responses.activate
@pytest.mark.parametrize(
    ("status", "fixture", "error", "code"),
    [
        (401, "error_401.json", AuthenticationError, "INVALID_ACCESS_TOKEN"),
        (403, "error_403.json", AuthenticationError, "ACCESS_DENIED"),
        (404, "error_404.json", RemoteNotFoundError, "NOT_FOUND"),
        (422, "error_422.json", ContentRejectedError, "UNPROCESSABLE_ENTITY"),
        (500, "error_500.json", TransientError, ""),
    ],
)
def test_error_mapping(
    adapter: LinkedInAdapter, status: int, fixture: str, error: type, code: str
) -> None:
    responses.delete(f"{API}/posts/urn%3Ali%3Ashare%3A1", json=fx(fixture), status=status)
    with pytest.raises(error) as info:
        adapter.delete("urn:li:share:1")
    assert type(info.value) is error
    assert (info.value.status, info.value.code) == (status, code)


@responses.activate
def test_422_reason_is_in_message(adapter: LinkedInAdapter, content: Any) -> None:
    responses.post(f"{API}/posts", json=fx("error_422.json"), status=422)
    with pytest.raises(ContentRejectedError, match="length of commentary"):
        adapter.publish(content(), "k")


@responses.activate
def test_429_honours_retry_after(adapter: LinkedInAdapter) -> None:
    responses.delete(
        f"{API}/posts/urn%3Ali%3Ashare%3A1",
        json=fx("error_429.json"),
        status=429,
        headers={"Retry-After": "3600"},
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.delete("urn:li:share:1")
    assert info.value.retry_after == 3600


@responses.activate
def test_timeout_is_transient(adapter: LinkedInAdapter) -> None:
    responses.delete(f"{API}/posts/urn%3Ali%3Ashare%3A1", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(TransientError):
        adapter.delete("urn:li:share:1")


@responses.activate
def test_malformed_body(adapter: LinkedInAdapter) -> None:
    responses.get(f"{API}/organizations/2414183", body="<html>upstream error</html>")
    with pytest.raises(MalformedResponseError):
        adapter.test_connection()


@responses.activate
def test_no_credential_in_messages_or_logs(
    adapter: LinkedInAdapter, content: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    messages = []
    for status, body in [
        (401, fx("error_401.json")),
        (403, fx("error_403.json")),
        (429, fx("error_429.json")),
        (500, {"message": f"echo {ACCESS}", "status": 500}),
    ]:
        responses.upsert(responses.POST, f"{API}/posts", json=body, status=status)
        responses.upsert(responses.GET, f"{API}/posts", json=fx("posts_empty.json"))
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
def test_refresh_keeps_old_refresh_token(
    adapter: LinkedInAdapter, changed: list[dict[str, Any]]
) -> None:
    responses.post(TOKEN_URL, json=fx("token_no_refresh.json"))
    new = adapter.refresh_credentials()
    assert new is not None
    assert new["access_token"] == fx("token_no_refresh.json")["access_token"]
    assert new["refresh_token"] == REFRESH
    assert new["refresh_expires_at"] == "2026-11-01T00:00:00+00:00"
    assert changed == [new]
    assert parse_qs(responses.calls[0].request.body) == {
        "grant_type": ["refresh_token"],
        "refresh_token": [REFRESH],
        "client_id": ["li-client-id"],
        "client_secret": [CLIENT_SECRET],
    }


@responses.activate
def test_refresh_stores_new_refresh_token(adapter: LinkedInAdapter) -> None:
    responses.post(TOKEN_URL, json=fx("token.json"))
    new = adapter.refresh_credentials()
    assert new is not None and new["refresh_token"] == fx("token.json")["refresh_token"]
    assert new["refresh_expires_at"].endswith("+00:00")


def test_refresh_without_refresh_token() -> None:
    adapter = LinkedInAdapter(
        ChannelContext(platform="linkedin", account_id="1"), {"access_token": ACCESS}
    )
    assert adapter.refresh_credentials() is None


def test_oauth_client_requires_settings(settings: Any) -> None:
    settings.LINKEDIN_CLIENT_SECRET = ""
    with pytest.raises(PlatformError, match="LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET"):
        LinkedInAdapter.oauth_client(base_url="", redirect_uri="", session=requests.Session())


def test_authorize_url() -> None:
    client = LinkedInAdapter.oauth_client(base_url="", redirect_uri="", session=requests.Session())
    url = LinkedInAdapter.oauth_authorize_url(
        client=client,
        base_url="",
        redirect_uri="https://sprachrohr.example/cb",
        state="st4te",
        code_challenge=None,
    )
    assert url.startswith(AUTHORIZE_URL + "?")
    assert query_of(url) == {
        "response_type": ["code"],
        "client_id": ["li-client-id"],
        "redirect_uri": ["https://sprachrohr.example/cb"],
        "state": ["st4te"],
        "scope": ["w_organization_social r_organization_social rw_organization_admin"],
    }


@responses.activate
def test_exchange_code_lists_administered_organisations() -> None:
    token = fx("token.json")
    responses.post(TOKEN_URL, json=token)
    responses.get(
        f"{API}/organizationAcls",
        json=fx("organization_acls.json"),
        match=[
            matchers.query_param_matcher(
                {"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"}
            )
        ],
    )
    responses.get(f"{API}/organizations/2414183", json=fx("organizations_lookup.json"))
    responses.get(f"{API}/organizations/5583111", json=fx("organizations_lookup_2.json"))
    choices = LinkedInAdapter.oauth_exchange_code(
        client=OAuthClient("li-client-id", CLIENT_SECRET),
        base_url="",
        redirect_uri="https://sprachrohr.example/cb",
        code="c0de",
        code_verifier=None,
        session=requests.Session(),
    )
    assert parse_qs(responses.calls[0].request.body) == {
        "grant_type": ["authorization_code"],
        "code": ["c0de"],
        "client_id": ["li-client-id"],
        "client_secret": [CLIENT_SECRET],
        "redirect_uri": ["https://sprachrohr.example/cb"],
    }
    assert [(c.account_id, c.name, c.handle) for c in choices] == [
        ("2414183", "Stadt Musterstadt", "stadt-musterstadt"),
        ("5583111", "Polizei Musterland", "polizei-musterland"),
    ]
    credentials = choices[0].credentials
    assert credentials["access_token"] == token["access_token"]
    assert credentials["refresh_token"] == token["refresh_token"]
    assert {"expires_at", "refresh_expires_at"} <= credentials.keys()
    acl_request = responses.calls[1].request
    assert acl_request.headers["Authorization"] == f"Bearer {token['access_token']}"
    assert acl_request.headers["LinkedIn-Version"] == LINKEDIN_VERSION


def test_capabilities() -> None:
    caps = LinkedInAdapter.capabilities
    assert caps.max_text_length == 3000 and caps.hide_comments is False and caps.delete_comments
    assert str(caps.text_counting) and str(caps.idempotency)
    assert unquote("urn%3Ali%3Aorganization%3A2414183") == ORG
