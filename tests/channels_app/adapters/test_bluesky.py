"""Bluesky adapter against the documented XRPC endpoints, faked at the HTTP boundary."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests
import responses
from responses import matchers

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import ProblemSeverity
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.bluesky import TID_PATTERN
from channels_app.adapters.bluesky import BlueskyAdapter
from channels_app.adapters.bluesky import deterministic_tid
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.registry import adapter_class
from tests.channels_app.adapters.conftest import load_fixture

PDS = "https://bsky.social"
POST = "app.bsky.feed.post"
X = f"{PDS}/xrpc"
DID = "did:plc:u5cwb2mwiv2bfq53cjufe6yn"
OTHER = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
ACCESS = "access-jwt-0123456789-abcdefghij"
REFRESH = "refresh-jwt-0123456789-abcdefghij"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
KEY = "publication-42-channel-9"
ROOT = f"at://{DID}/app.bsky.feed.post/3ksjqf3pqpk2a"
ROOT_CID = "bafyreig2fjxi3rptqdgylg7e5hmjl6mcke7rn2b6cugzlqq3i4zu6rq52q"
REPLY2 = f"at://{OTHER}/app.bsky.feed.post/3ksjqjkl2mn2d"
SPAM = "at://did:plc:3jpt2mvvsumj2r7eqk4gzzjz/app.bsky.feed.post/3ksjqmnop4q2e"


def fixture(name: str) -> Any:
    return load_fixture("bluesky", name)


def created(rkey: str) -> dict[str, Any]:
    body = fixture("create_record.json")
    body["uri"] = body["uri"].replace("RKEY", rkey)
    return body


def stored(rkey: str) -> dict[str, Any]:
    body = fixture("get_record.json")
    body["uri"] = body["uri"].replace("RKEY", rkey)
    return body


def body_of(call: Any) -> Any:
    return json.loads(call.request.body)


def query(call: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


@pytest.fixture
def changed() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def adapter(changed: list[dict[str, Any]]) -> BlueskyAdapter:
    return BlueskyAdapter(
        ChannelContext(platform="bluesky", account_id=DID, handle="@stadt-musterstadt.bsky.social"),
        {
            "access_token": ACCESS,
            "refresh_token": REFRESH,
            "did": DID,
            "handle": "stadt-musterstadt.bsky.social",
            "app_password": APP_PASSWORD,
        },
        on_credentials_changed=changed.append,
    )


def assert_authorized(call: Any, token: str = ACCESS) -> None:
    assert call.request.headers["Authorization"] == f"Bearer {token}"
    assert call.request.headers["User-Agent"].startswith("Sprachrohr/")


def test_registered_and_capabilities() -> None:
    assert adapter_class("bluesky") is BlueskyAdapter
    caps = BlueskyAdapter.capabilities
    assert caps.max_text_length == 300 and caps.max_images == 4
    assert caps.hide_comments and not caps.delete_comments
    assert [f.name for f in BlueskyAdapter.credential_fields] == ["handle", "app_password"]
    assert [f.secret for f in BlueskyAdapter.credential_fields] == [False, True]


# --- record keys -------------------------------------------------------------------------


def test_deterministic_tid_is_a_valid_stable_record_key() -> None:
    keys = {deterministic_tid(f"publication-{n}") for n in range(2000)}
    assert len(keys) == 2000
    for key in list(keys)[:200]:
        assert TID_PATTERN.match(key), key
    assert deterministic_tid(KEY) == deterministic_tid(KEY)
    assert deterministic_tid(KEY) != deterministic_tid(KEY, "reply")
    # The timestamp part lies in the past (2023), never in the future.
    value = 0
    for char in deterministic_tid(KEY):
        value = value * 32 + "234567abcdefghijklmnopqrstuvwxyz".index(char)
    moment = datetime.fromtimestamp((value >> 10) / 1_000_000, tz=UTC)
    assert datetime(2023, 1, 1, tzinfo=UTC) <= moment < datetime(2023, 8, 1, tzinfo=UTC)


def tid_moment(key: str) -> datetime:
    value = 0
    for char in key:
        value = value * 32 + "234567abcdefghijklmnopqrstuvwxyz".index(char)
    return datetime.fromtimestamp((value >> 10) / 1_000_000, tz=UTC)


def test_record_key_carries_the_planned_time() -> None:
    planned = datetime(2026, 12, 24, 9, 30, tzinfo=UTC)
    key = deterministic_tid(KEY, planned_at=planned)
    assert TID_PATTERN.match(key)
    assert key == deterministic_tid(KEY, planned_at=planned)
    assert planned <= tid_moment(key) < datetime(2026, 12, 24, 9, 30, 1, tzinfo=UTC)
    # Two publications planned for the same second still get different keys.
    same_second = {deterministic_tid(f"publication-{n}", planned_at=planned) for n in range(500)}
    assert len(same_second) == 500


@responses.activate
def test_publish_and_find_use_the_planned_time_key(
    adapter: BlueskyAdapter, content: Callable[..., PostContent]
) -> None:
    planned = datetime(2026, 12, 24, 9, 30, tzinfo=UTC)
    post = PostContent(text="Frohe Weihnachten!", planned_at=planned)
    rkey = deterministic_tid(KEY, planned_at=planned)
    responses.post(f"{X}/com.atproto.repo.createRecord", json=created(rkey))
    adapter.publish(post, KEY)
    assert body_of(responses.calls[0])["rkey"] == rkey
    # Recovery also looks under the key an attempt before planned times were used had.
    legacy = deterministic_tid(KEY)
    responses.get(
        f"{X}/com.atproto.repo.getRecord",
        status=400,
        json={"error": "RecordNotFound", "message": "Could not locate record"},
        match=[matchers.query_param_matcher({"repo": DID, "collection": POST, "rkey": rkey})],
    )
    responses.get(
        f"{X}/com.atproto.repo.getRecord",
        json=stored(legacy),
        match=[matchers.query_param_matcher({"repo": DID, "collection": POST, "rkey": legacy})],
    )
    found = adapter.find_published(post, KEY)
    assert found is not None and found.remote_id.endswith(legacy)


# --- length and validation -------------------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    [
        "👩‍👩‍👧‍👦",  # ZWJ sequence: one grapheme (25 bytes)
        "🇩🇪",  # flag: one grapheme
        "e\u0301",  # combining accent: one grapheme
        "市",  # CJK: one grapheme
    ],
)
def test_graphemes_are_counted(adapter: BlueskyAdapter, unit: str) -> None:
    def codes(text: str) -> list[str]:
        return [p.code for p in adapter.validate(PostContent(text=text))]

    assert "text_too_long" not in codes(unit * 300)
    assert "text_too_long" in codes(unit * 301)
    assert f"{301} characters" in adapter.validate(PostContent(text=unit * 301))[0].message


def test_urls_and_mentions_count_in_full(adapter: BlueskyAdapter) -> None:
    url = "https://www.musterstadt.example/" + "a" * 100
    text = "x" * (300 - len(url)) + url
    assert adapter.validate(PostContent(text=text)) == []
    assert [p.code for p in adapter.validate(PostContent(text=text + "!"))] == ["text_too_long"]
    mention = "@stadt-musterstadt.bsky.social "
    assert adapter.validate(PostContent(text=mention * 9)) == []  # 279 graphemes
    assert [p.code for p in adapter.validate(PostContent(text=mention * 10))] == ["text_too_long"]


def test_byte_limit_beyond_graphemes(adapter: BlueskyAdapter) -> None:
    # 150 family emoji are 150 graphemes but 3,750 bytes: over the record's maxLength.
    problems = adapter.validate(PostContent(text="👩‍👩‍👧‍👦" * 150))
    assert [p.code for p in problems] == ["text_too_many_bytes"]


def test_media_rules(
    adapter: BlueskyAdapter,
    image_file: MediaItem,
    video_file: MediaItem,
    content: Callable[..., PostContent],
) -> None:
    assert adapter.validate(content(media=(image_file,) * 4)) == []
    assert "too_many_images" in [p.code for p in adapter.validate(content(media=(image_file,) * 5))]
    assert "media_mixed" in [
        p.code for p in adapter.validate(content(media=(image_file, video_file)))
    ]
    big = MediaItem(**{**image_file.__dict__, "size": 1_000_001})
    assert [p.code for p in adapter.validate(content(media=(big,)))] == ["media_too_large"]
    mov = MediaItem(**{**video_file.__dict__, "mime_type": "video/quicktime"})
    assert [p.code for p in adapter.validate(content(media=(mov,)))] == ["media_type"]
    long_alt = MediaItem(**{**video_file.__dict__, "alt_text": "a" * 1001})
    assert [p.code for p in adapter.validate(content(media=(long_alt,)))] == ["alt_text_too_long"]
    no_alt = MediaItem(**{**image_file.__dict__, "alt_text": ""})
    assert [(p.code, p.severity) for p in adapter.validate(content(media=(no_alt,)))] == [
        ("alt_text_missing", ProblemSeverity.WARNING)
    ]


# --- facets ------------------------------------------------------------------------------


@responses.activate
def test_facets_use_utf8_byte_offsets(adapter: BlueskyAdapter) -> None:
    responses.get(
        f"{X}/com.atproto.identity.resolveHandle",
        json=fixture("resolve_handle.json"),
        match=[matchers.query_param_matcher({"handle": "erika.bsky.social"})],
    )
    responses.get(
        f"{X}/com.atproto.identity.resolveHandle",
        status=400,
        json={"error": "InvalidRequest", "message": "Unable to resolve handle"},
        match=[matchers.query_param_matcher({"handle": "niemand.example"})],
    )
    text = (
        "✨ Grüße an @erika.bsky.social und @niemand.example 👩‍👩‍👧‍👦 "
        "https://www.musterstadt.de/bürgerbüro. #Bürgerbüro!"
    )
    facets = adapter.facets(text)
    data = text.encode()

    def span(facet: dict[str, Any]) -> str:
        return data[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()

    assert [(span(f), f["features"][0]) for f in facets] == [
        ("@erika.bsky.social", {"$type": "app.bsky.richtext.facet#mention", "did": OTHER}),
        (
            "https://www.musterstadt.de/bürgerbüro",  # umlauts kept, final full stop not
            {
                "$type": "app.bsky.richtext.facet#link",
                "uri": "https://www.musterstadt.de/bürgerbüro",
            },
        ),
        ("#Bürgerbüro", {"$type": "app.bsky.richtext.facet#tag", "tag": "Bürgerbüro"}),
    ]
    assert facets[0]["index"] == {"byteStart": 15, "byteEnd": 33}
    assert facets[1]["index"] == {"byteStart": 81, "byteEnd": 120}
    assert facets[2]["index"] == {"byteStart": 122, "byteEnd": 135}
    assert_authorized(responses.calls[0])


# The links @atproto/api 0.20.44's RichText.detectFacets gives for these texts (checked
# against the library itself by tests/platforms/bluesky).
RICHTEXT_LINKS = [
    ("Termine: musterstadt.de/termine", [(9, 31, "https://musterstadt.de/termine")]),
    ("Mehr auf www.musterstadt.de.", [(9, 27, "https://www.musterstadt.de")]),
    ("(siehe musterstadt.de)", [(7, 21, "https://musterstadt.de")]),
    ("Die stadt-musterstadt.de und WWW.MUSTERSTADT.DE", []),
    ("Version 1.5 und datei.exe sind keine Links", []),
    (
        "Öffnungszeiten: https://www.musterstadt.de/bürgerbüro?x=1!",
        [(17, 60, "https://www.musterstadt.de/bürgerbüro?x=1")],
    ),
    ("a.de\nb.com", [(0, 4, "https://a.de"), (5, 10, "https://b.com")]),
]


@pytest.mark.parametrize(("text", "links"), RICHTEXT_LINKS)
def test_links_as_bluesky_richtext_detects_them(
    adapter: BlueskyAdapter, text: str, links: list[tuple[int, int, str]]
) -> None:
    found = [
        (f["index"]["byteStart"], f["index"]["byteEnd"], f["features"][0]["uri"])
        for f in adapter.facets(text)
        if f["features"][0]["$type"] == "app.bsky.richtext.facet#link"
    ]
    assert found == links


# --- publishing --------------------------------------------------------------------------


@responses.activate
def test_publish_with_images_alt_text_and_link_facet(
    adapter: BlueskyAdapter, image_file: MediaItem, content: Callable[..., PostContent]
) -> None:
    rkey = deterministic_tid(KEY)
    responses.post(f"{X}/com.atproto.repo.uploadBlob", json=fixture("upload_blob.json"))
    responses.post(f"{X}/com.atproto.repo.createRecord", json=created(rkey))
    text = "Neue Öffnungszeiten: https://www.musterstadt.de/buergerbuero"

    result = adapter.publish(content(text=text, media=(image_file,)), KEY)

    assert result.remote_id == f"at://{DID}/app.bsky.feed.post/{rkey}"
    assert result.url == f"https://bsky.app/profile/{DID}/post/{rkey}"
    upload, create = responses.calls
    assert (upload.request.method, upload.request.url) == (
        "POST",
        f"{X}/com.atproto.repo.uploadBlob",
    )
    assert_authorized(upload)
    assert upload.request.headers["Content-Type"] == "image/jpeg"
    assert upload.request.body == image_file.read()

    assert create.request.url == f"{X}/com.atproto.repo.createRecord"
    assert_authorized(create)
    body = body_of(create)
    assert (body["repo"], body["collection"], body["rkey"]) == (DID, "app.bsky.feed.post", rkey)
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == text
    assert record["langs"] == ["de"]
    assert record["createdAt"].endswith("Z")
    assert record["facets"] == [
        {
            "index": {"byteStart": 22, "byteEnd": 61},
            "features": [
                {
                    "$type": "app.bsky.richtext.facet#link",
                    "uri": "https://www.musterstadt.de/buergerbuero",
                }
            ],
        }
    ]
    assert record["embed"] == {
        "$type": "app.bsky.embed.images",
        "images": [
            {
                "alt": "Das Rathaus von Musterstadt im Sonnenschein",
                "image": fixture("upload_blob.json")["blob"],
                "aspectRatio": {"width": 64, "height": 48},
            }
        ],
    }


@responses.activate
def test_publish_video_with_alt_and_captions(
    adapter: BlueskyAdapter, video_file: MediaItem, content: Callable[..., PostContent]
) -> None:
    responses.post(
        f"{X}/com.atproto.repo.uploadBlob",
        json=fixture("upload_blob_video.json"),
        match=[matchers.header_matcher({"Content-Type": "video/mp4"})],
    )
    responses.post(
        f"{X}/com.atproto.repo.uploadBlob",
        json=fixture("upload_blob_vtt.json"),
        match=[matchers.header_matcher({"Content-Type": "text/vtt"})],
    )
    responses.post(f"{X}/com.atproto.repo.createRecord", json=created(deterministic_tid(KEY)))
    adapter.publish(content(media=(video_file,)), KEY)
    embed = body_of(responses.calls[2])["record"]["embed"]
    assert embed == {
        "$type": "app.bsky.embed.video",
        "video": fixture("upload_blob_video.json")["blob"],
        "alt": "Bagger auf der Baustelle am Marktplatz",
        "aspectRatio": {"width": 1280, "height": 720},
        "captions": [{"lang": "de", "file": fixture("upload_blob_vtt.json")["blob"]}],
    }


@responses.activate
def test_publish_link_card_without_media(
    adapter: BlueskyAdapter, content: Callable[..., PostContent]
) -> None:
    responses.post(f"{X}/com.atproto.repo.createRecord", json=created(deterministic_tid(KEY)))
    adapter.publish(content(link="https://www.musterstadt.example/a", title="Öffnungszeiten"), KEY)
    assert body_of(responses.calls[0])["record"]["embed"] == {
        "$type": "app.bsky.embed.external",
        "external": {
            "uri": "https://www.musterstadt.example/a",
            "title": "Öffnungszeiten",
            "description": "",
        },
    }


@pytest.mark.parametrize(
    ("status", "error_body"),
    [(400, {"error": "InvalidRequest", "message": "Record already exists"}), (500, None)],
)
@responses.activate
def test_retry_with_same_key_returns_the_existing_post(
    adapter: BlueskyAdapter,
    content: Callable[..., PostContent],
    status: int,
    error_body: dict[str, str] | None,
) -> None:
    rkey = deterministic_tid(KEY)
    responses.post(f"{X}/com.atproto.repo.createRecord", json=created(rkey))
    first = adapter.publish(content(), KEY)
    # The second attempt addresses the same record key; the PDS refuses the duplicate.
    responses.replace(
        responses.POST,
        f"{X}/com.atproto.repo.createRecord",
        status=status,
        json=error_body or fixture("error_internal.json"),
    )
    responses.get(
        f"{X}/com.atproto.repo.getRecord",
        json=stored(rkey),
        match=[
            matchers.query_param_matcher(
                {"repo": DID, "collection": "app.bsky.feed.post", "rkey": rkey}
            )
        ],
    )
    second = adapter.publish(content(), KEY)
    assert second.remote_id == first.remote_id
    assert second.published_at == datetime(2024, 5, 2, 8, 30, 12, 417000, tzinfo=UTC)
    creates = [c for c in responses.calls if c.request.url.endswith("createRecord")]
    assert [body_of(c)["rkey"] for c in creates] == [rkey, rkey]


@responses.activate
def test_timeout_after_the_post_got_through_returns_it(
    adapter: BlueskyAdapter, content: Callable[..., PostContent]
) -> None:
    rkey = deterministic_tid(KEY)
    responses.post(f"{X}/com.atproto.repo.createRecord", body=requests.exceptions.ReadTimeout())
    responses.get(f"{X}/com.atproto.repo.getRecord", json=stored(rkey))
    result = adapter.publish(content(), KEY)
    assert result.remote_id == f"at://{DID}/app.bsky.feed.post/{rkey}"


@responses.activate
def test_rejection_without_existing_record_is_raised(
    adapter: BlueskyAdapter, content: Callable[..., PostContent]
) -> None:
    responses.post(
        f"{X}/com.atproto.repo.createRecord",
        status=400,
        json=fixture("error_invalid_request.json"),
    )
    responses.get(
        f"{X}/com.atproto.repo.getRecord",
        status=400,
        json=fixture("error_record_not_found.json"),
    )
    with pytest.raises(ContentRejectedError) as info:
        adapter.publish(content(), KEY)
    assert "300 graphemes" in str(info.value)


@responses.activate
def test_find_published(adapter: BlueskyAdapter, content: Callable[..., PostContent]) -> None:
    rkey = deterministic_tid(KEY)
    responses.get(f"{X}/com.atproto.repo.getRecord", json=stored(rkey))
    found = adapter.find_published(content(), KEY)
    assert found is not None and found.remote_id.endswith(rkey)
    assert query(responses.calls[0]) == {
        "repo": [DID],
        "collection": ["app.bsky.feed.post"],
        "rkey": [rkey],
    }
    responses.replace(
        responses.GET,
        f"{X}/com.atproto.repo.getRecord",
        status=400,
        json=fixture("error_record_not_found.json"),
    )
    assert adapter.find_published(content(), "another-key") is None


@responses.activate
def test_delete(adapter: BlueskyAdapter) -> None:
    responses.post(f"{X}/com.atproto.repo.deleteRecord", json={})
    adapter.delete(ROOT)
    call = responses.calls[0]
    assert call.request.url == f"{X}/com.atproto.repo.deleteRecord"
    assert_authorized(call)
    assert body_of(call) == {
        "repo": DID,
        "collection": "app.bsky.feed.post",
        "rkey": "3ksjqf3pqpk2a",
    }


# --- session -----------------------------------------------------------------------------


@responses.activate
def test_expired_access_token_is_refreshed_once_and_retried(
    adapter: BlueskyAdapter, changed: list[dict[str, Any]]
) -> None:
    # Registered twice: the first call gets the error, the repeated one succeeds.
    responses.post(
        f"{X}/com.atproto.repo.deleteRecord", status=400, json=fixture("error_expired.json")
    )
    responses.post(f"{X}/com.atproto.repo.deleteRecord", json={})
    responses.post(f"{X}/com.atproto.server.refreshSession", json=fixture("refresh_session.json"))
    adapter.delete(ROOT)
    calls = responses.calls
    assert [c.request.url.rsplit("/", 1)[1] for c in calls] == [
        "com.atproto.repo.deleteRecord",
        "com.atproto.server.refreshSession",
        "com.atproto.repo.deleteRecord",
    ]
    assert_authorized(calls[0])
    assert_authorized(calls[1], REFRESH)
    new_access = fixture("refresh_session.json")["accessJwt"]
    assert_authorized(calls[2], new_access)
    assert body_of(calls[2]) == body_of(calls[0])
    new = fixture("refresh_session.json")
    assert changed[-1]["access_token"] == new["accessJwt"]
    assert changed[-1]["refresh_token"] == new["refreshJwt"]
    assert changed[-1]["app_password"] == APP_PASSWORD


@responses.activate
def test_expired_twice_is_an_authentication_error(adapter: BlueskyAdapter) -> None:
    responses.post(
        f"{X}/com.atproto.repo.deleteRecord", status=400, json=fixture("error_expired.json")
    )
    responses.post(f"{X}/com.atproto.server.refreshSession", json=fixture("refresh_session.json"))
    with pytest.raises(AuthenticationError):
        adapter.delete(ROOT)
    urls = [c.request.url.rsplit("/", 1)[1] for c in responses.calls]
    assert urls == [
        "com.atproto.repo.deleteRecord",
        "com.atproto.server.refreshSession",
        "com.atproto.repo.deleteRecord",
    ]


@responses.activate
def test_refresh_keeps_refresh_token_when_none_returned(
    adapter: BlueskyAdapter, changed: list[dict[str, Any]]
) -> None:
    answer = fixture("refresh_session.json")
    del answer["refreshJwt"]
    responses.post(f"{X}/com.atproto.server.refreshSession", json=answer)
    credentials = adapter.refresh_credentials()
    assert credentials is not None
    assert credentials["refresh_token"] == REFRESH
    assert credentials["access_token"] == answer["accessJwt"]
    assert changed == [credentials]
    assert adapter.credentials["refresh_token"] == REFRESH


@responses.activate
def test_expired_refresh_token_falls_back_to_app_password(
    adapter: BlueskyAdapter, changed: list[dict[str, Any]]
) -> None:
    responses.post(
        f"{X}/com.atproto.server.refreshSession", status=400, json=fixture("error_expired.json")
    )
    responses.post(f"{X}/com.atproto.server.createSession", json=fixture("create_session.json"))
    credentials = adapter.refresh_credentials()
    assert body_of(responses.calls[1]) == {"identifier": DID, "password": APP_PASSWORD}
    assert credentials is not None
    assert credentials["refresh_token"] == fixture("create_session.json")["refreshJwt"]


@responses.activate
def test_connect_with_form() -> None:
    responses.post(
        f"{PDS}/xrpc/com.atproto.server.createSession", json=fixture("create_session.json")
    )
    choice = BlueskyAdapter.connect_with_form(
        base_url="",
        values={"handle": "@stadt-musterstadt.bsky.social", "app_password": APP_PASSWORD},
        session=requests.Session(),
    )
    assert body_of(responses.calls[0]) == {
        "identifier": "stadt-musterstadt.bsky.social",
        "password": APP_PASSWORD,
    }
    assert "Authorization" not in responses.calls[0].request.headers
    session = fixture("create_session.json")
    assert choice.account_id == DID
    assert choice.handle == "@stadt-musterstadt.bsky.social"
    assert choice.credentials == {
        "app_password": APP_PASSWORD,
        "access_token": session["accessJwt"],
        "refresh_token": session["refreshJwt"],
        "did": DID,
        "handle": "stadt-musterstadt.bsky.social",
    }


@responses.activate
def test_connect_with_own_pds_and_wrong_password() -> None:
    responses.post(
        "https://pds.musterstadt.example/xrpc/com.atproto.server.createSession",
        status=401,
        json=fixture("error_auth_required.json"),
    )
    with pytest.raises(AuthenticationError) as info:
        BlueskyAdapter.connect_with_form(
            base_url="pds.musterstadt.example/",
            values={"handle": "presse.musterstadt.example", "app_password": APP_PASSWORD},
            session=requests.Session(),
        )
    assert APP_PASSWORD not in str(info.value)
    # The first connect: nothing to reconnect yet, the person typed something wrong.
    assert "Wrong handle or app password" in info.value.message
    assert "reconnect" not in info.value.message


@responses.activate
def test_connect_of_a_suspended_account_keeps_the_platform_reason() -> None:
    responses.post(
        f"{PDS}/xrpc/com.atproto.server.createSession",
        status=401,
        json={"error": "AccountTakedown", "message": "Account has been taken down"},
    )
    with pytest.raises(AuthenticationError) as info:
        BlueskyAdapter.connect_with_form(
            base_url="",
            values={"handle": "stadt.bsky.social", "app_password": APP_PASSWORD},
            session=requests.Session(),
        )
    assert "Wrong handle" not in info.value.message


def test_connect_refuses_a_main_password() -> None:
    with pytest.raises(AuthenticationError) as info:
        BlueskyAdapter.connect_with_form(
            base_url="",
            values={"handle": "stadt.bsky.social", "app_password": "MeinGeheimesPasswort1"},
            session=requests.Session(),
        )
    assert "MeinGeheimes" not in str(info.value)


@responses.activate
def test_revoke_deletes_the_session(adapter: BlueskyAdapter) -> None:
    responses.post(f"{X}/com.atproto.server.deleteSession")
    adapter.revoke()
    assert_authorized(responses.calls[0], REFRESH)


# --- metrics -----------------------------------------------------------------------------


@responses.activate
def test_post_metrics(adapter: BlueskyAdapter) -> None:
    other = f"at://{DID}/app.bsky.feed.post/3ksiaaaaaaa2a"
    responses.get(f"{X}/app.bsky.feed.getPosts", json=fixture("get_posts.json"))
    metrics = adapter.fetch_post_metrics([ROOT, other])
    assert query(responses.calls[0]) == {"uris": [ROOT, other]}
    assert_authorized(responses.calls[0])
    first = metrics[0]
    assert (first.remote_id, first.likes, first.comments, first.shares) == (ROOT, 17, 2, 5)
    assert (metrics[1].likes, metrics[1].shares) == (3, 0)


@responses.activate
def test_post_metrics_without_counts_are_not_provided(adapter: BlueskyAdapter) -> None:
    responses.get(f"{X}/app.bsky.feed.getPosts", json={"posts": [{"uri": ROOT}]})
    [metrics] = adapter.fetch_post_metrics([ROOT])
    assert (metrics.likes, metrics.comments, metrics.shares) == (None, None, None)


@responses.activate
def test_post_metrics_in_batches_of_25(adapter: BlueskyAdapter) -> None:
    responses.get(f"{X}/app.bsky.feed.getPosts", json={"posts": []})
    adapter.fetch_post_metrics([f"{ROOT}{n}" for n in range(30)])
    assert [len(query(c)["uris"]) for c in responses.calls] == [25, 5]


@responses.activate
def test_account_metrics_and_connection(adapter: BlueskyAdapter) -> None:
    responses.get(
        f"{X}/app.bsky.actor.getProfile",
        json=fixture("profile.json"),
        match=[matchers.query_param_matcher({"actor": DID})],
    )
    metrics = adapter.fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts) == (2875, 64, 512)
    assert_authorized(responses.calls[0])


@responses.activate
def test_connection_is_checked_with_the_pds_own_endpoints(adapter: BlueskyAdapter) -> None:
    """No AppView call (getProfile): a PDS without one must pass the check too."""
    responses.get(f"{X}/com.atproto.server.getSession", json=fixture("get_session.json"))
    responses.get(
        f"{X}/com.atproto.repo.getRecord",
        json={
            "uri": f"at://{DID}/app.bsky.actor.profile/self",
            "value": {"$type": "app.bsky.actor.profile", "displayName": "Stadt Musterstadt"},
        },
        match=[
            matchers.query_param_matcher(
                {"repo": DID, "collection": "app.bsky.actor.profile", "rkey": "self"}
            )
        ],
    )
    info = adapter.test_connection()
    assert (info.account_id, info.handle, info.display_name) == (
        DID,
        "@stadt-musterstadt.bsky.social",
        "Stadt Musterstadt",
    )
    assert [urlsplit(c.request.url).path.rsplit("/", 1)[1] for c in responses.calls] == [
        "com.atproto.server.getSession",
        "com.atproto.repo.getRecord",
    ]


@responses.activate
def test_connection_without_profile_record_shows_the_handle(adapter: BlueskyAdapter) -> None:
    responses.get(f"{X}/com.atproto.server.getSession", json=fixture("get_session.json"))
    responses.get(
        f"{X}/com.atproto.repo.getRecord",
        status=400,
        json={"error": "RecordNotFound", "message": "Could not locate record"},
    )
    info = adapter.test_connection()
    assert info.display_name == "stadt-musterstadt.bsky.social"


# --- comments ----------------------------------------------------------------------------


@responses.activate
def test_fetch_comments_walks_threads_and_moves_the_cursor(adapter: BlueskyAdapter) -> None:
    responses.get(
        f"{X}/app.bsky.feed.getAuthorFeed",
        json=fixture("author_feed.json"),
        match=[
            matchers.query_param_matcher(
                {"actor": DID, "filter": "posts_no_replies", "limit": "30"}
            )
        ],
    )
    responses.get(
        f"{X}/app.bsky.feed.getPostThread",
        json=fixture("post_thread.json"),
        match=[matchers.query_param_matcher({"uri": ROOT, "depth": "10"})],
    )
    page = adapter.fetch_comments(None)
    # Only the root post has replies; the quiet post and the repost cost no request.
    assert [c.request.url.split("?")[0].rsplit("/", 1)[1] for c in responses.calls] == [
        "app.bsky.feed.getAuthorFeed",
        "app.bsky.feed.getPostThread",
    ]
    assert_authorized(responses.calls[1])
    assert [(c.author_name, c.text, c.is_hidden) for c in page.items] == [
        ("Erika Mustermann", "Gilt das auch am Brückentag? 🙏", False),
        ("Erika Mustermann", "Super, danke!", False),
        ("max.example.org", "Werbung: billige Uhren!", True),  # in hiddenReplies
    ]
    nested = page.items[1]
    assert nested.remote_id == REPLY2
    assert nested.post_remote_id == ROOT
    assert nested.parent_remote_id == f"at://{DID}/app.bsky.feed.post/3ksjqhxyzab2a"
    assert nested.author_id == OTHER
    assert nested.url == f"https://bsky.app/profile/{OTHER}/post/3ksjqjkl2mn2d"
    assert nested.created_at == datetime(2024, 5, 2, 9, 45, tzinfo=UTC)
    assert page.next_cursor == "2024-05-02T10:00:00.900000Z"

    # Next poll: only replies indexed after the cursor.
    page2 = adapter.fetch_comments("2024-05-02T09:30:01.000Z")
    assert [c.text for c in page2.items] == ["Super, danke!", "Werbung: billige Uhren!"]
    page3 = adapter.fetch_comments(page.next_cursor)
    assert page3.items == []
    assert page3.next_cursor == page.next_cursor


@responses.activate
def test_reply_references_root_and_parent(adapter: BlueskyAdapter) -> None:
    responses.get(
        f"{X}/app.bsky.feed.getPosts",
        json=fixture("get_posts_comment.json"),
        match=[matchers.query_param_matcher({"uris": REPLY2})],
    )
    rkey = deterministic_tid(f"{REPLY2}:Gern geschehen!", "reply")
    responses.post(f"{X}/com.atproto.repo.createRecord", json=created(rkey))
    comment = RemoteComment(
        remote_id=REPLY2,
        post_remote_id=ROOT,
        author_name="Erika Mustermann",
        author_id=OTHER,
        text="Super, danke!",
        created_at=None,
    )
    result = adapter.reply(comment, "Gern geschehen!")
    assert result.remote_id.endswith(rkey)
    create = responses.calls[1]
    assert_authorized(create)
    body = body_of(create)
    assert body["rkey"] == rkey
    assert body["record"]["text"] == "Gern geschehen!"
    assert body["record"]["reply"] == {
        "root": {"uri": ROOT, "cid": ROOT_CID},
        "parent": {
            "uri": REPLY2,
            "cid": "bafyreibnv5bq3fjyxrqvthpjpv3lzgeszxlv7k3sqhksf6jjbjmq5jcq2f",
        },
    }


@responses.activate
def test_reply_record_key_comes_from_the_idempotency_key(adapter: BlueskyAdapter) -> None:
    responses.get(f"{X}/app.bsky.feed.getPosts", json=fixture("get_posts_comment.json"))
    rkey = deterministic_tid("reply-42", "reply")
    responses.post(f"{X}/com.atproto.repo.createRecord", json=created(rkey))
    comment = RemoteComment(REPLY2, ROOT, "Erika Mustermann", OTHER, "Super, danke!", None)
    adapter.reply(comment, "Gern geschehen!", "reply-42")
    assert body_of(responses.calls[1])["rkey"] == rkey


@responses.activate
def test_hide_comment_adds_to_existing_threadgate(adapter: BlueskyAdapter) -> None:
    responses.get(
        f"{X}/com.atproto.repo.getRecord",
        json=fixture("threadgate_record.json"),
        match=[
            matchers.query_param_matcher(
                {"repo": DID, "collection": "app.bsky.feed.threadgate", "rkey": "3ksjqf3pqpk2a"}
            )
        ],
    )
    responses.post(f"{X}/com.atproto.repo.putRecord", json=fixture("put_record.json"))
    comment = RemoteComment(REPLY2, ROOT, "Erika Mustermann", OTHER, "Super, danke!", None)
    adapter.hide_comment(comment)
    put = responses.calls[1]
    assert put.request.url == f"{X}/com.atproto.repo.putRecord"
    assert_authorized(put)
    existing = fixture("threadgate_record.json")
    assert body_of(put) == {
        "repo": DID,
        "collection": "app.bsky.feed.threadgate",
        "rkey": "3ksjqf3pqpk2a",
        "record": {**existing["value"], "hiddenReplies": [SPAM, REPLY2]},
        "swapRecord": existing["cid"],
    }
    # Already hidden: nothing written.
    responses.calls.reset()
    adapter.hide_comment(RemoteComment(SPAM, ROOT, "max", "x", "Werbung", None))
    assert [c.request.method for c in responses.calls] == ["GET"]


@responses.activate
def test_hide_comment_creates_threadgate(adapter: BlueskyAdapter) -> None:
    responses.get(
        f"{X}/com.atproto.repo.getRecord", status=400, json=fixture("error_record_not_found.json")
    )
    responses.post(f"{X}/com.atproto.repo.putRecord", json=fixture("put_record.json"))
    adapter.hide_comment(RemoteComment(REPLY2, ROOT, "Erika", OTHER, "Super", None))
    body = body_of(responses.calls[1])
    assert "swapRecord" not in body
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.threadgate"
    assert record["post"] == ROOT
    assert record["hiddenReplies"] == [REPLY2]
    assert "allow" not in record  # replies stay open to everyone


def test_delete_comment_not_supported(adapter: BlueskyAdapter) -> None:
    with pytest.raises(NotSupportedError):
        adapter.delete_comment(RemoteComment(REPLY2, ROOT, "Erika", OTHER, "Super", None))


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, "error_invalid_token.json", AuthenticationError),
        (403, "error_forbidden.json", AuthenticationError),
        (404, None, RemoteNotFoundError),
        (400, "error_invalid_request.json", ContentRejectedError),
        (400, "error_record_not_found.json", RemoteNotFoundError),
        (502, None, TransientError),
    ],
)
@responses.activate
def test_error_mapping(
    adapter: BlueskyAdapter, status: int, body: str | None, error: type[Exception]
) -> None:
    if body:
        responses.post(f"{X}/com.atproto.repo.deleteRecord", status=status, json=fixture(body))
    else:
        responses.post(
            f"{X}/com.atproto.repo.deleteRecord", status=status, body="<html>nope</html>"
        )
    with pytest.raises(error) as info:
        adapter.delete(ROOT)
    assert info.value.status == status
    # 401 InvalidToken is not "expired": no refresh is attempted.
    assert len(responses.calls) == 1


@responses.activate
def test_rate_limit_with_retry_after_or_ratelimit_reset(adapter: BlueskyAdapter) -> None:
    responses.post(
        f"{X}/com.atproto.repo.deleteRecord",
        status=429,
        json=fixture("error_rate_limit.json"),
        headers={"Retry-After": "30"},
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.delete(ROOT)
    assert info.value.retry_after == 30.0
    reset = int(datetime.now(UTC).timestamp()) + 600
    responses.replace(
        responses.POST,
        f"{X}/com.atproto.repo.deleteRecord",
        status=429,
        json=fixture("error_rate_limit.json"),
        headers={
            "RateLimit-Limit": "3000",
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(reset),
        },
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.delete(ROOT)
    assert 590 < (info.value.retry_after or 0) <= 600


@responses.activate
def test_rate_limited_create_is_not_mistaken_for_a_duplicate(
    adapter: BlueskyAdapter, content: Callable[..., PostContent]
) -> None:
    responses.post(
        f"{X}/com.atproto.repo.createRecord", status=429, json=fixture("error_rate_limit.json")
    )
    with pytest.raises(RateLimitedError):
        adapter.publish(content(), KEY)
    assert len(responses.calls) == 1


@responses.activate
def test_timeout_and_malformed(adapter: BlueskyAdapter) -> None:
    responses.get(f"{X}/app.bsky.actor.getProfile", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(TransientError):
        adapter.fetch_account_metrics()
    responses.replace(responses.GET, f"{X}/app.bsky.actor.getProfile", body="not json")
    with pytest.raises(MalformedResponseError):
        adapter.fetch_account_metrics()


@responses.activate
def test_no_credential_in_messages_or_logs(
    adapter: BlueskyAdapter, content: Callable[..., PostContent], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    responses.post(
        f"{X}/com.atproto.repo.createRecord",
        status=400,
        json={"error": "InvalidRequest", "message": f"bad {ACCESS} {REFRESH} {APP_PASSWORD}"},
    )
    responses.get(
        f"{X}/com.atproto.repo.getRecord", status=400, json=fixture("error_record_not_found.json")
    )
    responses.post(
        f"{X}/com.atproto.server.refreshSession", status=400, json=fixture("error_expired.json")
    )
    responses.post(
        f"{X}/com.atproto.server.createSession",
        status=401,
        json={"error": "AuthenticationRequired", "message": f"Invalid password {APP_PASSWORD}"},
    )
    messages = []
    for call in (lambda: adapter.publish(content(), KEY), adapter.refresh_credentials):
        with pytest.raises(Exception) as info:
            call()
        messages.append(str(info.value))
    responses.replace(responses.POST, f"{X}/com.atproto.repo.createRecord", json=created("x"))
    adapter.publish(content(), KEY)
    text = "\n".join(messages + [r.getMessage() for r in caplog.records])
    for secret in (ACCESS, REFRESH, APP_PASSWORD):
        assert secret not in text
    assert "/xrpc/" not in text


# --- mentions (inbox stream) ---------------------------------------------------------------


@responses.activate
def test_fetch_mentions_oldest_first_after_the_cursor(adapter: BlueskyAdapter) -> None:
    responses.get(
        f"{X}/app.bsky.notification.listNotifications",
        json=fixture("list_notifications.json"),
    )
    page = adapter.fetch_mentions(None)
    assert [m.text for m in page.items] == [
        "Weiß @stadt-musterstadt.bsky.social davon?",
        "@stadt-musterstadt.bsky.social Die Ampel am Markt ist schon wieder aus.",
    ]
    first = page.items[0]
    assert first.kind == "mention" and first.author_id == OTHER
    assert first.author_handle == "erika.example.org"
    assert first.author_url == "https://bsky.app/profile/erika.example.org"
    assert first.url == f"https://bsky.app/profile/{OTHER}/post/3ksmention1"
    assert first.raw["cid"].startswith("bafyrei")
    assert page.next_cursor == "2024-05-02T10:15:00.120000Z"
    assert "reasons=mention" in (responses.calls[0].request.url or "")
    later = adapter.fetch_mentions("2024-05-02T09:30:00.500Z")
    assert [m.remote_id.rsplit("/", 1)[1] for m in later.items] == ["3ksmention2"]


@responses.activate
def test_a_pds_without_appview_makes_the_stream_unavailable(adapter: BlueskyAdapter) -> None:
    responses.get(
        f"{X}/app.bsky.notification.listNotifications",
        status=501,
        json={"error": "MethodNotImplemented", "message": "Method Not Implemented"},
    )
    with pytest.raises(NotSupportedError, match="AppView"):
        adapter.fetch_mentions(None)


OWN_PDS = "https://pds.musterstadt.example"


def own_pds_adapter() -> BlueskyAdapter:
    return BlueskyAdapter(
        ChannelContext(platform="bluesky", account_id=DID, base_url=OWN_PDS),
        {"access_token": ACCESS, "refresh_token": REFRESH, "did": DID},
    )


@pytest.mark.parametrize(
    ("status", "body"),
    [
        # @atproto/pds with an AppView configured that cannot be reached (dev-env's setup)
        (502, {"error": "UpstreamFailure", "message": "Upstream service unreachable"}),
        # @atproto/pds with no AppView configured at all
        (
            400,
            {
                "error": "InvalidRequest",
                "message": "No service configured for app.bsky.actor.getProfile",
            },
        ),
        (501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"}),
    ],
)
@responses.activate
def test_appview_methods_on_a_pds_without_appview_are_not_available(
    status: int, body: dict[str, str]
) -> None:
    responses.get(f"{OWN_PDS}/xrpc/app.bsky.actor.getProfile", status=status, json=body)
    with pytest.raises(NotSupportedError, match="not available on this server") as info:
        own_pds_adapter().fetch_account_metrics()
    assert not isinstance(info.value, TransientError)


@responses.activate
def test_an_unreachable_appview_behind_bluesky_hosting_is_an_outage(
    adapter: BlueskyAdapter,
) -> None:
    """bsky.social has an AppView: unreachable there is tried again, not given up."""
    responses.get(
        f"{X}/app.bsky.feed.getAuthorFeed",
        status=502,
        json={"error": "UpstreamFailure", "message": "Upstream service unreachable"},
    )
    with pytest.raises(TransientError):
        adapter.fetch_comments(None)


@responses.activate
def test_upstream_failure_of_a_pds_method_stays_transient() -> None:
    responses.post(
        f"{OWN_PDS}/xrpc/com.atproto.repo.deleteRecord",
        status=502,
        json={"error": "UpstreamFailure", "message": "Upstream service unreachable"},
    )
    with pytest.raises(TransientError):
        own_pds_adapter().delete(ROOT)


def test_direct_messages_are_not_available(adapter: BlueskyAdapter) -> None:
    with pytest.raises(NotSupportedError):
        adapter.fetch_messages(None)
