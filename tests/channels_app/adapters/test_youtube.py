"""YouTube adapter against the YouTube Data API v3, faked at the HTTP boundary."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests
import responses

from channels_app.adapters import youtube
from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import ProblemSeverity
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.registry import adapter_class
from channels_app.adapters.youtube import YouTubeAdapter
from tests.channels_app.adapters.conftest import load_fixture

CHANNEL_ID = "UCq3Xb0Vt1Yw9MmStadtMstr"
UPLOADS = "UUq3Xb0Vt1Yw9MmStadtMstr"
ACCESS = "ya29.a0-secret-access-token-value-1234"
REFRESH = "1//0g-secret-refresh-token-value-5678"
CLIENT_ID = "1234-abc.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-secret-client-value-9012"
SECRETS = (ACCESS, REFRESH, CLIENT_SECRET)

API = "https://www.googleapis.com/youtube/v3"
UPLOAD = "https://www.googleapis.com/upload/youtube/v3"
SESSION_URI = f"{UPLOAD}/videos?uploadType=resumable&part=snippet%2Cstatus&upload_id=xa298sd_f"
KEY = "post-42-channel-7"
TITLE = "Baustelle Marktplatz: Stand der Arbeiten"


def fixture(name: str) -> Any:
    return load_fixture("youtube", name)


def query(call: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}


def base_url(call: Any) -> str:
    parts = urlsplit(call.request.url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(youtube, "_sleep", waits.append)
    return waits


@pytest.fixture(autouse=True)
def _google_app(settings: Any) -> None:
    settings.GOOGLE_CLIENT_ID = CLIENT_ID
    settings.GOOGLE_CLIENT_SECRET = CLIENT_SECRET


def make_adapter(**credentials: Any) -> YouTubeAdapter:
    values = {
        "access_token": ACCESS,
        "refresh_token": REFRESH,
        "expires_at": (datetime.now(tz=UTC) + timedelta(hours=1)).isoformat(),
        "uploads_playlist_id": UPLOADS,
        **credentials,
    }
    return YouTubeAdapter(
        ChannelContext(platform="youtube", account_id=CHANNEL_ID, handle="@stadtmusterstadt"),
        values,
    )


@pytest.fixture
def adapter() -> YouTubeAdapter:
    return make_adapter()


@pytest.fixture
def post(video_file: MediaItem) -> PostContent:
    return PostContent(
        text="Seit Montag wird der Marktplatz erneuert.",
        media=(video_file,),
        link="https://www.musterstadt.example/marktplatz",
        title=TITLE,
    )


def codes(problems: list[Any]) -> set[str]:
    return {p.code for p in problems if p.severity == ProblemSeverity.ERROR}


def test_registered() -> None:
    assert adapter_class("youtube") is YouTubeAdapter
    caps = YouTubeAdapter.capabilities
    assert caps.publish_video and not caps.publish_images and caps.requires_media
    assert caps.hide_comments and caps.delete_comments and caps.reply
    assert "youtube.upload" in " ".join(YouTubeAdapter.oauth_scopes)


# --- validation -------------------------------------------------------------------------


def test_valid_post_has_no_problems(adapter: YouTubeAdapter, post: PostContent) -> None:
    assert adapter.validate(post) == []


def test_title_is_required_and_limited(adapter: YouTubeAdapter, post: PostContent) -> None:
    assert "title_missing" in codes(adapter.validate(replace(post, title="  ")))
    assert "title_too_long" in codes(adapter.validate(replace(post, title="ä" * 101)))
    assert adapter.validate(replace(post, title="ä" * 100)) == []
    assert "title_invalid_characters" in codes(adapter.validate(replace(post, title="a <b>")))


def test_exactly_one_video_and_no_images(
    adapter: YouTubeAdapter, post: PostContent, image_file: MediaItem, video_file: MediaItem
) -> None:
    assert "video_required" in codes(adapter.validate(replace(post, media=())))
    assert "images_not_supported" in codes(
        adapter.validate(replace(post, media=(video_file, image_file)))
    )
    assert "too_many_videos" in codes(
        adapter.validate(replace(post, media=(video_file, video_file)))
    )
    avi = replace(video_file, mime_type="image/gif")
    assert "media_type" in codes(adapter.validate(replace(post, media=(avi,))))
    missing = replace(video_file, captions_path="/nonexistent/untertitel.vtt")
    assert "captions_missing" in codes(adapter.validate(replace(post, media=(missing,))))


OVERHEAD = len(b"\n\nRef. sr-0123456789ab")  # the reference marker after the text


@pytest.mark.parametrize(
    ("unit", "size"),
    [
        ("a", 1),
        ("ä", 2),  # umlauts are two bytes in UTF-8
        ("漢", 3),  # CJK: three bytes
        ("e\u0301", 3),  # e + combining acute: 1 + 2 bytes
        ("🇩🇪", 8),  # a flag: two regional indicators of four bytes each
        ("👩\u200d👩\u200d👧\u200d👦", 25),  # family ZWJ sequence: 4 emoji + 3 joiners
    ],
)
def test_description_counts_utf8_bytes(
    adapter: YouTubeAdapter, post: PostContent, unit: str, size: int
) -> None:
    room = youtube.DESCRIPTION_MAX_BYTES - OVERHEAD
    fits = unit * (room // size)
    assert "text_too_long" not in codes(adapter.validate(replace(post, text=fits, link="")))
    too_long = unit * (room // size + 1)
    assert "text_too_long" in codes(adapter.validate(replace(post, text=too_long, link="")))


def test_urls_and_mentions_count_in_full(adapter: YouTubeAdapter, post: PostContent) -> None:
    url = "https://www.musterstadt.example/" + "a" * 100
    room = youtube.DESCRIPTION_MAX_BYTES - OVERHEAD
    text = "x" * (room - len(url) - len(" @stadtmusterstadt")) + url + " @stadtmusterstadt"
    assert adapter.validate(replace(post, text=text, link="")) == []
    assert "text_too_long" in codes(adapter.validate(replace(post, text=text + "!", link="")))
    # The link is appended to the description and counted, unless the text contains it.
    assert adapter.validate(replace(post, text=text, link=url)) == []
    other = "https://www.musterstadt.example/x"
    assert "text_too_long" in codes(adapter.validate(replace(post, text=text, link=other)))


def test_angle_brackets_in_description(adapter: YouTubeAdapter, post: PostContent) -> None:
    assert "text_invalid_characters" in codes(adapter.validate(replace(post, text="a < b")))


# --- publishing ---------------------------------------------------------------------------


def add_upload(status: int = 200, captions_status: int = 200) -> None:
    responses.add(responses.GET, f"{API}/playlistItems", json=fixture("playlist_items_empty.json"))
    responses.add(responses.POST, f"{UPLOAD}/videos", status=200, headers={"Location": SESSION_URI})
    responses.add(responses.PUT, SESSION_URI, json=fixture("video_inserted.json"), status=status)
    responses.add(
        responses.POST,
        f"{UPLOAD}/captions",
        json=fixture("caption_inserted.json")
        if captions_status == 200
        else fixture("error_400_invalid_title.json"),
        status=captions_status,
    )


@responses.activate
def test_publish_uploads_video_and_captions(
    adapter: YouTubeAdapter, post: PostContent, video_file: MediaItem
) -> None:
    add_upload()
    result = adapter.publish(post, KEY)

    assert result.remote_id == "Zk3vYwR8bQc"
    assert result.url == "https://www.youtube.com/watch?v=Zk3vYwR8bQc"
    assert result.published_at == datetime(2026, 3, 2, 9, 30, 5, tzinfo=UTC)
    lookup, start, put, captions = responses.calls
    # 1. The no-double-post lookup in the uploads playlist.
    assert lookup.request.method == "GET"
    assert base_url(lookup) == f"{API}/playlistItems"
    assert query(lookup) == {"part": "snippet", "playlistId": UPLOADS, "maxResults": "50"}
    assert lookup.request.headers["Authorization"] == f"Bearer {ACCESS}"
    # 2. Start the resumable session with the metadata.
    assert start.request.method == "POST"
    assert base_url(start) == f"{UPLOAD}/videos"
    assert query(start) == {"uploadType": "resumable", "part": "snippet,status"}
    headers = start.request.headers
    assert headers["Authorization"] == f"Bearer {ACCESS}"
    assert headers["Content-Type"] == "application/json; charset=UTF-8"
    assert headers["X-Upload-Content-Length"] == str(video_file.size)
    assert headers["X-Upload-Content-Type"] == "video/mp4"
    metadata = json.loads(start.request.body)
    marker = youtube._marker(KEY)
    assert metadata == {
        "snippet": {
            "title": TITLE,
            "description": "Seit Montag wird der Marktplatz erneuert.\n\n"
            f"https://www.musterstadt.example/marktplatz\n\n{marker}",
            "categoryId": "25",
        },
        "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
    }
    assert KEY not in marker  # the key itself is not published
    # 3. PUT the bytes to the session URI from the Location header.
    assert put.request.method == "PUT"
    assert put.request.url == SESSION_URI
    assert put.request.headers["Content-Type"] == "video/mp4"
    assert (
        put.request.headers["Content-Range"] == f"bytes 0-{video_file.size - 1}/{video_file.size}"
    )
    assert put.request.headers["Authorization"] == f"Bearer {ACCESS}"
    assert put.request.body == video_file.read()
    # 4. captions.insert as multipart/related: metadata, then the subtitle file.
    assert captions.request.method == "POST"
    assert base_url(captions) == f"{UPLOAD}/captions"
    assert query(captions) == {"uploadType": "multipart", "part": "snippet"}
    content_type = captions.request.headers["Content-Type"]
    assert content_type.startswith("multipart/related; boundary=")
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + captions.request.body
    )
    meta_part, file_part = message.iter_parts()
    assert meta_part.get_content_type() == "application/json"
    assert json.loads(meta_part.get_payload(decode=True)) == {
        "snippet": {"videoId": "Zk3vYwR8bQc", "language": "de", "name": "Deutsch", "isDraft": False}
    }
    with open(video_file.captions_path or "", "rb") as handle:
        assert file_part.get_payload(decode=True) == handle.read()


@responses.activate
def test_publish_resumes_after_a_failed_chunk(
    adapter: YouTubeAdapter,
    post: PostContent,
    video_file: MediaItem,
    monkeypatch: pytest.MonkeyPatch,
    _no_backoff: list[float],
) -> None:
    monkeypatch.setattr(youtube, "CHUNK_SIZE", 1024)
    size = video_file.size
    assert size > 2048
    responses.add(responses.GET, f"{API}/playlistItems", json=fixture("playlist_items_empty.json"))
    responses.add(responses.POST, f"{UPLOAD}/videos", headers={"Location": SESSION_URI})
    responses.add(responses.PUT, SESSION_URI, status=308, headers={"Range": "bytes=0-1023"})
    responses.add(responses.PUT, SESSION_URI, status=503, body="Service Unavailable")
    responses.add(responses.PUT, SESSION_URI, status=308, headers={"Range": "bytes=0-2047"})
    responses.add(responses.PUT, SESSION_URI, json=fixture("video_inserted.json"), status=201)
    responses.add(responses.POST, f"{UPLOAD}/captions", json=fixture("caption_inserted.json"))

    assert adapter.publish(post, KEY).remote_id == "Zk3vYwR8bQc"
    assert _no_backoff == [2]

    puts = [c.request for c in responses.calls if c.request.method == "PUT"]
    data = video_file.read()
    assert [p.headers["Content-Range"] for p in puts] == [
        f"bytes 0-1023/{size}",
        f"bytes 1024-2047/{size}",
        f"bytes */{size}",  # "how much did you get?" after the 503
        f"bytes 2048-{size - 1}/{size}",
    ]
    assert puts[0].body == data[:1024]
    assert puts[1].body == data[1024:2048]
    assert not puts[2].body
    assert puts[3].body == data[2048:]


@responses.activate
def test_failed_captions_do_not_fail_the_published_video(
    adapter: YouTubeAdapter, post: PostContent, caplog: pytest.LogCaptureFixture
) -> None:
    add_upload(captions_status=400)
    with caplog.at_level(logging.WARNING):
        result = adapter.publish(post, KEY)
    assert result.remote_id == "Zk3vYwR8bQc"
    assert "subtitles for video Zk3vYwR8bQc were not uploaded" in caplog.text


@responses.activate
def test_publish_refuses_invalid_content_without_requests(
    adapter: YouTubeAdapter, post: PostContent
) -> None:
    with pytest.raises(ContentRejectedError) as info:
        adapter.publish(replace(post, title=""), KEY)
    assert info.value.code == "title_missing"
    assert len(responses.calls) == 0


@responses.activate
def test_missing_location_header_is_malformed(adapter: YouTubeAdapter, post: PostContent) -> None:
    responses.add(responses.GET, f"{API}/playlistItems", json=fixture("playlist_items_empty.json"))
    responses.add(responses.POST, f"{UPLOAD}/videos", status=200)
    with pytest.raises(MalformedResponseError):
        adapter.publish(post, KEY)


# --- no double post -----------------------------------------------------------------------


def playlist_with_marker(key: str) -> dict[str, Any]:
    body = fixture("playlist_items.json")
    for item in body["items"]:
        item["snippet"]["description"] = item["snippet"]["description"].replace(
            "{MARKER}", youtube._marker(key)
        )
    return body


@responses.activate
def test_find_published_matches_title_and_marker(
    adapter: YouTubeAdapter, post: PostContent
) -> None:
    responses.add(responses.GET, f"{API}/playlistItems", json=playlist_with_marker(KEY))
    found = adapter.find_published(post, KEY)
    assert found is not None
    assert found.remote_id == "Zk3vYwR8bQc"
    assert found.url == "https://www.youtube.com/watch?v=Zk3vYwR8bQc"
    # Same title, other key: last year's video with the same title is not mistaken for it.
    assert adapter.find_published(post, "another-key") is None
    assert adapter.find_published(replace(post, title="Anderer Titel"), KEY) is None


@responses.activate
def test_retry_after_lost_answer_does_not_upload_twice(
    adapter: YouTubeAdapter, post: PostContent, video_file: MediaItem
) -> None:
    # First attempt: the upload went through, but the answer was lost (read timeout).
    responses.add(responses.GET, f"{API}/playlistItems", json=fixture("playlist_items_empty.json"))
    responses.add(responses.POST, f"{UPLOAD}/videos", headers={"Location": SESSION_URI})
    for _ in range(youtube.MAX_UPLOAD_RESUMES + 1):
        responses.add(responses.PUT, SESSION_URI, body=requests.exceptions.ReadTimeout())
    with pytest.raises(TransientError):
        adapter.publish(post, KEY)
    ranges = [
        c.request.headers["Content-Range"] for c in responses.calls if c.request.method == "PUT"
    ]
    assert ranges[1:] == [f"bytes */{video_file.size}"] * youtube.MAX_UPLOAD_RESUMES
    uploads_before = sum(1 for c in responses.calls if c.request.method == "POST")

    # The retry with the same key finds the video in the uploads playlist and stops there.
    responses.replace(responses.GET, f"{API}/playlistItems", json=playlist_with_marker(KEY))
    result = make_adapter().publish(post, KEY)
    assert result.remote_id == "Zk3vYwR8bQc"
    assert sum(1 for c in responses.calls if c.request.method == "POST") == uploads_before
    assert responses.calls[-1].request.method == "GET"


@responses.activate
def test_uploads_playlist_is_looked_up_when_unknown(post: PostContent) -> None:
    adapter = make_adapter(uploads_playlist_id="")
    responses.add(responses.GET, f"{API}/channels", json=fixture("channels_mine.json"))
    responses.add(responses.GET, f"{API}/playlistItems", json=fixture("playlist_items_empty.json"))
    assert adapter.find_published(post, KEY) is None
    assert query(responses.calls[0]) == {"part": "contentDetails", "id": CHANNEL_ID}
    assert query(responses.calls[1])["playlistId"] == UPLOADS


# --- delete, metrics ----------------------------------------------------------------------


@responses.activate
def test_delete_video(adapter: YouTubeAdapter) -> None:
    responses.add(responses.DELETE, f"{API}/videos", status=204)
    adapter.delete("Zk3vYwR8bQc")
    (call,) = responses.calls
    assert call.request.method == "DELETE"
    assert base_url(call) == f"{API}/videos"
    assert query(call) == {"id": "Zk3vYwR8bQc"}
    assert call.request.headers["Authorization"] == f"Bearer {ACCESS}"


@responses.activate
def test_delete_unknown_video(adapter: YouTubeAdapter) -> None:
    responses.add(responses.DELETE, f"{API}/videos", status=404, json=fixture("error_404.json"))
    with pytest.raises(RemoteNotFoundError):
        adapter.delete("Zk3vYwR8bQc")


@responses.activate
def test_post_metrics(adapter: YouTubeAdapter) -> None:
    responses.add(responses.GET, f"{API}/videos", json=fixture("videos_statistics.json"))
    metrics = adapter.fetch_post_metrics(["Zk3vYwR8bQc", "Rt5Yh7Jk1Ls"])
    assert query(responses.calls[0]) == {"part": "statistics", "id": "Zk3vYwR8bQc,Rt5Yh7Jk1Ls"}
    first, second = metrics
    assert (first.remote_id, first.video_views, first.likes, first.comments) == (
        "Zk3vYwR8bQc",
        5230,
        187,
        23,
    )
    assert second.likes is None  # hidden like count is omitted by the API
    assert second.impressions is None


@responses.activate
def test_post_metrics_are_batched_by_50(adapter: YouTubeAdapter) -> None:
    responses.add(responses.GET, f"{API}/videos", json={"items": []})
    adapter.fetch_post_metrics([f"v{i}" for i in range(120)])
    assert [len(query(c)["id"].split(",")) for c in responses.calls] == [50, 50, 20]


@responses.activate
def test_account_metrics(adapter: YouTubeAdapter) -> None:
    responses.add(responses.GET, f"{API}/channels", json=fixture("channels_statistics.json"))
    metrics = adapter.fetch_account_metrics()
    assert query(responses.calls[0]) == {"part": "statistics", "id": CHANNEL_ID}
    assert metrics.followers == 12400
    assert metrics.posts == 318


@responses.activate
def test_hidden_subscriber_count(adapter: YouTubeAdapter) -> None:
    body = fixture("channels_statistics.json")
    body["items"][0]["statistics"]["hiddenSubscriberCount"] = True
    responses.add(responses.GET, f"{API}/channels", json=body)
    assert adapter.fetch_account_metrics().followers is None


# --- comments -----------------------------------------------------------------------------


@responses.activate
def test_fetch_comments_pages_with_cursor(adapter: YouTubeAdapter) -> None:
    responses.add(
        responses.GET, f"{API}/commentThreads", json=fixture("comment_threads_page1.json")
    )
    responses.add(
        responses.GET, f"{API}/commentThreads", json=fixture("comment_threads_page2.json")
    )

    page = adapter.fetch_comments(None)
    assert query(responses.calls[0]) == {
        "part": "snippet,replies",
        "allThreadsRelatedToChannelId": CHANNEL_ID,
        "maxResults": "100",
        "order": "time",
        "textFormat": "plainText",
    }
    assert responses.calls[0].request.headers["Authorization"] == f"Bearer {ACCESS}"
    assert page.next_cursor == "QURTSl9pMlpVZmZ3X3BnOTM3R0dOZ0VCMjRIR3pQ"
    assert [c.remote_id for c in page.items] == [
        "UgxKREWxIgDrw8w2e_Z4AaABAg",
        "UgxKREWxIgDrw8w2e_Z4AaABAg.9mXyZ1a2b3C9mXyZ4d5e6F",
        "UgzQ8n2JrJ9aZb4vC6x4AaABAg",
    ]
    top, reply, _other = page.items
    assert top.post_remote_id == "Zk3vYwR8bQc"
    assert top.author_name == "Erika Mustermann"
    assert top.author_id == "UCerikaMustermann00000001"
    assert top.text == "Wie lange bleibt die Zufahrt zur Kirchstraße gesperrt?"
    assert top.created_at == datetime(2026, 3, 2, 11, 15, tzinfo=UTC)
    assert top.url == "https://www.youtube.com/watch?v=Zk3vYwR8bQc&lc=UgxKREWxIgDrw8w2e_Z4AaABAg"
    assert reply.parent_remote_id == top.remote_id
    assert not top.is_hidden

    page2 = adapter.fetch_comments(page.next_cursor)
    assert query(responses.calls[1])["pageToken"] == page.next_cursor
    assert page2.next_cursor is None
    assert page2.items[0].post_remote_id == "Rt5Yh7Jk1Ls"


def comment(**kwargs: Any) -> RemoteComment:
    values: dict[str, Any] = {
        "remote_id": "UgxKREWxIgDrw8w2e_Z4AaABAg",
        "post_remote_id": "Zk3vYwR8bQc",
        "author_name": "Erika Mustermann",
        "author_id": "UCerikaMustermann00000001",
        "text": "Wie lange bleibt die Zufahrt gesperrt?",
        "created_at": None,
    }
    values.update(kwargs)
    return RemoteComment(**values)


@responses.activate
def test_reply(adapter: YouTubeAdapter) -> None:
    responses.add(responses.POST, f"{API}/comments", json=fixture("comment_inserted.json"))
    result = adapter.reply(comment(), "Danke für den Hinweis, wir prüfen das.")
    (call,) = responses.calls
    assert call.request.method == "POST"
    assert base_url(call) == f"{API}/comments"
    assert query(call) == {"part": "snippet"}
    assert call.request.headers["Authorization"] == f"Bearer {ACCESS}"
    assert json.loads(call.request.body) == {
        "snippet": {
            "parentId": "UgxKREWxIgDrw8w2e_Z4AaABAg",
            "textOriginal": "Danke für den Hinweis, wir prüfen das.",
        }
    }
    assert result.remote_id == "UgxKREWxIgDrw8w2e_Z4AaABAg.9mXzA7b8c9D9mXzA0e1f2G"
    assert result.url.endswith("&lc=UgxKREWxIgDrw8w2e_Z4AaABAg.9mXzA7b8c9D9mXzA0e1f2G")


@responses.activate
def test_reply_to_a_reply_goes_to_the_thread(adapter: YouTubeAdapter) -> None:
    responses.add(responses.POST, f"{API}/comments", json=fixture("comment_inserted.json"))
    adapter.reply(
        comment(remote_id="Ugx.reply", parent_remote_id="UgxKREWxIgDrw8w2e_Z4AaABAg"), "Danke!"
    )
    assert json.loads(responses.calls[0].request.body)["snippet"]["parentId"] == (
        "UgxKREWxIgDrw8w2e_Z4AaABAg"
    )


@responses.activate
def test_find_reply_finds_our_channels_reply(adapter: YouTubeAdapter) -> None:
    responses.add(responses.GET, f"{API}/comments", json=fixture("comments_list_replies.json"))
    found = adapter.find_reply(comment(), "Danke für den Hinweis, wir prüfen das.", "reply-1")
    assert found is not None
    assert found.remote_id == "UgxKREWxIgDrw8w2e_Z4AaABAg.9mXzA7b8c9D9mXzA0e1f2G"
    assert query(responses.calls[0]) == {
        "part": "snippet",
        "parentId": "UgxKREWxIgDrw8w2e_Z4AaABAg",
        "maxResults": "100",
    }


@responses.activate
def test_find_reply_finds_nothing_for_another_text(adapter: YouTubeAdapter) -> None:
    responses.add(responses.GET, f"{API}/comments", json=fixture("comments_list_replies.json"))
    assert adapter.find_reply(comment(), "Etwas anderes.", "reply-1") is None


def test_reply_must_not_be_empty(adapter: YouTubeAdapter) -> None:
    with pytest.raises(ContentRejectedError):
        adapter.reply(comment(), "  ")


@responses.activate
def test_hide_comment_holds_it_for_review(adapter: YouTubeAdapter) -> None:
    responses.add(responses.POST, f"{API}/comments/setModerationStatus", status=204)
    adapter.hide_comment(comment())
    (call,) = responses.calls
    assert call.request.method == "POST"
    assert base_url(call) == f"{API}/comments/setModerationStatus"
    assert query(call) == {"id": "UgxKREWxIgDrw8w2e_Z4AaABAg", "moderationStatus": "heldForReview"}
    assert not call.request.body
    assert call.request.headers["Authorization"] == f"Bearer {ACCESS}"


@responses.activate
def test_delete_comment_of_others_rejects_it(adapter: YouTubeAdapter) -> None:
    responses.add(responses.POST, f"{API}/comments/setModerationStatus", status=204)
    adapter.delete_comment(comment())
    assert query(responses.calls[0]) == {
        "id": "UgxKREWxIgDrw8w2e_Z4AaABAg",
        "moderationStatus": "rejected",
    }


@responses.activate
def test_delete_own_comment(adapter: YouTubeAdapter) -> None:
    responses.add(responses.DELETE, f"{API}/comments", status=204)
    adapter.delete_comment(comment(remote_id="Ugx.own", author_id=CHANNEL_ID))
    (call,) = responses.calls
    assert call.request.method == "DELETE"
    assert query(call) == {"id": "Ugx.own"}


# --- error mapping ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "code"),
    [
        (401, "error_401.json", {}, AuthenticationError, "authError"),
        (403, "error_403_forbidden.json", {}, AuthenticationError, "insufficientPermissions"),
        (403, "error_403_quota.json", {}, RateLimitedError, "quotaExceeded"),
        (403, "error_403_rate.json", {}, RateLimitedError, "rateLimitExceeded"),
        (404, "error_404.json", {}, RemoteNotFoundError, "videoNotFound"),
        (400, "error_400_invalid_title.json", {}, ContentRejectedError, "invalidTitle"),
        (429, None, {"Retry-After": "120"}, RateLimitedError, ""),
        (500, "error_500.json", {}, TransientError, "backendError"),
        (503, None, {"Retry-After": "30"}, TransientError, ""),
    ],
)
@responses.activate
def test_error_mapping(
    adapter: YouTubeAdapter,
    status: int,
    body: str | None,
    headers: dict[str, str],
    error: type[PlatformError],
    code: str,
) -> None:
    kwargs: dict[str, Any] = {"json": fixture(body)} if body else {"body": "<html>Error</html>"}
    responses.add(responses.DELETE, f"{API}/videos", status=status, headers=headers, **kwargs)
    with pytest.raises(error) as info:
        adapter.delete("Zk3vYwR8bQc")
    assert type(info.value) is error
    assert info.value.status == status
    assert info.value.code == code
    assert "<a" not in info.value.message  # HTML in Google's messages is stripped


@responses.activate
def test_quota_waits_until_the_pacific_midnight_reset(adapter: YouTubeAdapter) -> None:
    responses.add(
        responses.DELETE, f"{API}/videos", status=403, json=fixture("error_403_quota.json")
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.delete("Zk3vYwR8bQc")
    assert 60 <= (info.value.retry_after or 0) <= 25 * 3600
    # 07:00 UTC is 23:00 in Los Angeles in winter: one hour to go.
    assert youtube.seconds_until_quota_reset(datetime(2026, 1, 15, 7, 0, tzinfo=UTC)) == 3600


@responses.activate
def test_retry_after_is_honoured(adapter: YouTubeAdapter) -> None:
    responses.add(responses.DELETE, f"{API}/videos", status=429, headers={"Retry-After": "120"})
    with pytest.raises(RateLimitedError) as info:
        adapter.delete("Zk3vYwR8bQc")
    assert info.value.retry_after == 120


@responses.activate
def test_timeout_is_transient(adapter: YouTubeAdapter) -> None:
    responses.add(responses.GET, f"{API}/channels", body=requests.exceptions.ConnectTimeout())
    with pytest.raises(TransientError):
        adapter.fetch_account_metrics()


@responses.activate
def test_malformed_body(adapter: YouTubeAdapter) -> None:
    responses.add(responses.GET, f"{API}/channels", body="<html>not json</html>", status=200)
    with pytest.raises(MalformedResponseError):
        adapter.fetch_account_metrics()


# --- credentials --------------------------------------------------------------------------

TOKEN_URL = "https://oauth2.googleapis.com/token"


@responses.activate
def test_refresh_keeps_the_refresh_token() -> None:
    changed: list[dict[str, Any]] = []
    adapter = YouTubeAdapter(
        ChannelContext(platform="youtube", account_id=CHANNEL_ID),
        {"access_token": ACCESS, "refresh_token": REFRESH, "uploads_playlist_id": UPLOADS},
        on_credentials_changed=changed.append,
    )
    responses.add(responses.POST, TOKEN_URL, json=fixture("token_refreshed.json"))
    new = adapter.refresh_credentials()
    assert new is not None
    assert new["access_token"] == "ya29.a0AfH6SMC-example-renewed"
    assert new["refresh_token"] == REFRESH
    assert new["uploads_playlist_id"] == UPLOADS
    expires = datetime.fromisoformat(new["expires_at"])
    assert timedelta(minutes=55) < expires - datetime.now(tz=UTC) <= timedelta(hours=1)
    assert changed == [new]
    assert parse_qs(responses.calls[0].request.body) == {
        "grant_type": ["refresh_token"],
        "refresh_token": [REFRESH],
        "client_id": [CLIENT_ID],
        "client_secret": [CLIENT_SECRET],
    }


@responses.activate
def test_refresh_takes_a_new_refresh_token_when_given() -> None:
    adapter = make_adapter()
    responses.add(
        responses.POST,
        TOKEN_URL,
        json={**fixture("token_refreshed.json"), "refresh_token": "1//new-refresh"},
    )
    assert (adapter.refresh_credentials() or {})["refresh_token"] == "1//new-refresh"


@responses.activate
def test_revoked_refresh_token_needs_reconnection(adapter: YouTubeAdapter) -> None:
    responses.add(responses.POST, TOKEN_URL, status=400, json=fixture("token_invalid_grant.json"))
    with pytest.raises(AuthenticationError) as info:
        adapter.refresh_credentials()
    assert info.value.code == "invalid_grant"


@responses.activate
def test_expired_access_token_is_refreshed_before_the_call() -> None:
    adapter = make_adapter(expires_at=(datetime.now(tz=UTC) - timedelta(minutes=1)).isoformat())
    responses.add(responses.POST, TOKEN_URL, json=fixture("token_refreshed.json"))
    responses.add(responses.DELETE, f"{API}/videos", status=204)
    adapter.delete("Zk3vYwR8bQc")
    assert responses.calls[1].request.headers["Authorization"] == (
        "Bearer ya29.a0AfH6SMC-example-renewed"
    )


def test_missing_google_settings(settings: Any) -> None:
    settings.GOOGLE_CLIENT_ID = ""
    with pytest.raises(PlatformError) as info:
        YouTubeAdapter.oauth_client(base_url="", redirect_uri="", session=requests.Session())
    assert "GOOGLE_CLIENT_ID" in info.value.message
    assert "GOOGLE_CLIENT_SECRET" in info.value.message


@responses.activate
def test_revoke(adapter: YouTubeAdapter) -> None:
    responses.add(responses.POST, "https://oauth2.googleapis.com/revoke", status=200)
    adapter.revoke()
    (call,) = responses.calls
    assert call.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(call.request.body) == {"token": [REFRESH]}


@responses.activate
def test_revoke_of_an_already_invalid_token_is_fine(adapter: YouTubeAdapter) -> None:
    responses.add(
        responses.POST,
        "https://oauth2.googleapis.com/revoke",
        status=400,
        json={"error": "invalid_token", "error_description": "Token expired or revoked"},
    )
    adapter.revoke()


@pytest.mark.parametrize(
    "fail",
    [
        lambda: responses.add(
            responses.DELETE, f"{API}/videos", status=401, json=fixture("error_401.json")
        ),
        lambda: responses.add(
            responses.DELETE,
            f"{API}/videos",
            body=requests.exceptions.ConnectionError(
                f"HTTPSConnectionPool: Max retries exceeded (Authorization: Bearer {ACCESS})"
            ),
        ),
        lambda: responses.add(responses.DELETE, f"{API}/videos", status=500, body="oops"),
    ],
)
@responses.activate
def test_no_credentials_in_errors_or_logs(
    fail: Callable[[], None], caplog: pytest.LogCaptureFixture
) -> None:
    adapter = make_adapter(expires_at=(datetime.now(tz=UTC) - timedelta(minutes=1)).isoformat())
    responses.add(responses.POST, TOKEN_URL, status=400, json=fixture("token_invalid_grant.json"))
    with caplog.at_level(logging.DEBUG), pytest.raises(PlatformError) as refresh_error:
        adapter.delete("Zk3vYwR8bQc")
    responses.reset()
    fail()
    with caplog.at_level(logging.DEBUG), pytest.raises(PlatformError) as info:
        make_adapter().delete("Zk3vYwR8bQc")
    for exc in (refresh_error.value, info.value):
        for secret in SECRETS:
            assert secret not in str(exc)
            assert secret not in repr(exc)
    for secret in SECRETS:
        assert secret not in caplog.text


# --- connecting ---------------------------------------------------------------------------


def test_authorize_url() -> None:
    url = YouTubeAdapter.oauth_authorize_url(
        client=OAuthClient(CLIENT_ID, CLIENT_SECRET),
        base_url="",
        redirect_uri="https://sprachrohr.musterstadt.example/channels/oauth/callback",
        state="st4te",
        code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    )
    assert url.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert params == {
        "client_id": CLIENT_ID,
        "redirect_uri": "https://sprachrohr.musterstadt.example/channels/oauth/callback",
        "response_type": "code",
        "scope": "https://www.googleapis.com/auth/youtube.upload"
        " https://www.googleapis.com/auth/youtube.force-ssl"
        " https://www.googleapis.com/auth/youtube.readonly",
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
        "state": "st4te",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
    }
    assert CLIENT_SECRET not in url


@responses.activate
def test_exchange_code() -> None:
    responses.add(responses.POST, TOKEN_URL, json=fixture("token.json"))
    responses.add(responses.GET, f"{API}/channels", json=fixture("channels_mine.json"))
    (choice,) = YouTubeAdapter.oauth_exchange_code(
        client=OAuthClient(CLIENT_ID, CLIENT_SECRET),
        base_url="",
        redirect_uri="https://sprachrohr.musterstadt.example/channels/oauth/callback",
        code="4/0AX4XfWh-code",
        code_verifier="verifier-123",
        session=requests.Session(),
    )
    token_call, channels_call = responses.calls
    assert parse_qs(token_call.request.body) == {
        "grant_type": ["authorization_code"],
        "code": ["4/0AX4XfWh-code"],
        "client_id": [CLIENT_ID],
        "client_secret": [CLIENT_SECRET],
        "redirect_uri": ["https://sprachrohr.musterstadt.example/channels/oauth/callback"],
        "code_verifier": ["verifier-123"],
    }
    assert query(channels_call) == {"part": "snippet,contentDetails", "mine": "true"}
    assert channels_call.request.headers["Authorization"] == "Bearer ya29.a0AfH6SMBx-example-access"
    assert "Sprachrohr/" in channels_call.request.headers["User-Agent"]
    assert choice.account_id == CHANNEL_ID
    assert choice.name == "Stadt Musterstadt"
    assert choice.handle == "@stadtmusterstadt"
    assert choice.credentials["refresh_token"] == "1//04dX-example-refresh"
    assert choice.credentials["uploads_playlist_id"] == UPLOADS
    assert datetime.fromisoformat(choice.credentials["expires_at"]) > datetime.now(tz=UTC)


@responses.activate
def test_test_connection(adapter: YouTubeAdapter) -> None:
    responses.add(responses.GET, f"{API}/channels", json=fixture("channels_mine.json"))
    info = adapter.test_connection()
    assert query(responses.calls[0]) == {"part": "snippet", "mine": "true"}
    assert (info.account_id, info.handle, info.display_name) == (
        CHANNEL_ID,
        "@stadtmusterstadt",
        "Stadt Musterstadt",
    )


@responses.activate
def test_comments_carry_handle_channel_address_raw_and_edits(adapter: YouTubeAdapter) -> None:
    body = fixture("comment_threads_page1.json")
    top = body["items"][0]["snippet"]["topLevelComment"]
    top["snippet"]["updatedAt"] = "2026-03-02T12:00:00Z"  # edited after publishing
    responses.add(responses.GET, f"{API}/commentThreads", json=body)
    comment = adapter.fetch_comments(None).items[0]
    assert comment.author_url == "http://www.youtube.com/erikamustermann"
    assert comment.author_handle == top["snippet"]["authorDisplayName"]
    assert comment.raw["id"] == top["id"]
    assert comment.edited_at is not None and comment.edited_at.hour == 12


@responses.activate
def test_the_channels_own_answers_are_marked(adapter: YouTubeAdapter) -> None:
    responses.add(
        responses.GET, f"{API}/commentThreads", json=fixture("comment_threads_page1.json")
    )
    items = adapter.fetch_comments(None).items
    own = [c for c in items if c.by_account]
    assert own and all(c.author_id == CHANNEL_ID for c in own)
    assert not any(c.by_account for c in items if c.author_id != CHANNEL_ID)
