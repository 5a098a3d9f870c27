"""The helpers the adapters share: capability declarations, ISO times, status mapping,
refusing invalid content, the text check and the Meta comment window and paging."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
import requests
import responses

from channels_app.adapters import _meta
from channels_app.adapters.base import OPERATIONS
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import Capabilities
from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import Problem
from channels_app.adapters.base import ProblemSeverity
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import access_ended
from channels_app.adapters.base import access_refused
from channels_app.adapters.base import content_rejected
from channels_app.adapters.base import error_for_status
from channels_app.adapters.base import item_gone
from channels_app.adapters.base import parse_iso_datetime
from channels_app.adapters.base import problem_media_too_large
from channels_app.adapters.base import problems_for_ignored_alt_text
from channels_app.adapters.base import problems_for_missing_alt_text
from channels_app.adapters.base import rate_limited
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.text import grapheme_count


def test_all_but_offers_every_operation_except_the_missing_ones() -> None:
    caps = Capabilities.all_but("hide_comments", "post_metrics", max_text_length=10, max_images=2)
    for operation in OPERATIONS:
        assert getattr(caps, operation) is (operation not in ("hide_comments", "post_metrics"))
    assert (caps.max_text_length, caps.max_images) == (10, 2)
    assert caps.can_find_published is True and caps.requires_media is False


def test_all_but_refuses_an_unknown_operation() -> None:
    with pytest.raises(ValueError, match="hide_comment"):
        Capabilities.all_but("hide_comment", max_text_length=None, max_images=0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2023-10-17T05:42:03+0000", datetime(2023, 10, 17, 5, 42, 3, tzinfo=UTC)),
        ("2024-05-01T12:00:00+02:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01T10:00:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),  # no offset: UTC
        ("yesterday", None),
        ("", None),
        (None, None),
        (1714557600, None),
    ],
)
def test_parse_iso_datetime(value: Any, expected: datetime | None) -> None:
    assert parse_iso_datetime(value) == expected


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (429, RateLimitedError),
        (503, TransientError),
        (401, AuthenticationError),
        (403, AuthenticationError),
        (404, RemoteNotFoundError),
        (410, RemoteNotFoundError),
        (400, ContentRejectedError),
        (422, ContentRejectedError),
    ],
)
def test_error_for_status(status: int, error_class: type[Exception]) -> None:
    error = error_for_status(status, code="c", reason="", retry_after=7.0)
    assert type(error) is error_class
    assert (error.status, error.code) == (status, "c")
    if isinstance(error, TransientError):
        assert error.retry_after == 7.0
    if status in (400, 403):
        assert "no reason given" in error.message


def test_the_shared_error_constructors_carry_status_code_and_reason() -> None:
    limited = rate_limited(status=400, code="4", retry_after=60.0)
    assert type(limited) is RateLimitedError
    assert (limited.status, limited.code, limited.retry_after) == (400, "4", 60.0)
    ended = access_ended(status=400, code="190")
    assert type(ended) is AuthenticationError and "reconnect" in ended.message
    refused = access_refused("", status=400, code="200")
    assert type(refused) is AuthenticationError and "no reason given" in refused.message
    rejected = content_rejected("too big", status=413, code="")
    assert type(rejected) is ContentRejectedError and rejected.message.endswith("too big")
    assert (rejected.status, rejected.code) == (413, "")


def test_item_gone_is_the_not_found_error_with_status_and_code_where_known() -> None:
    error = item_gone(status=400, code="100/33")
    assert type(error) is RemoteNotFoundError
    assert (error.status, error.code) == (400, "100/33")
    assert "does not know this item" in error.message
    assert (item_gone().status, item_gone().code) == (None, "")


class _Counting(PlatformAdapter):
    platform = "counting"
    capabilities = Capabilities.all_but(max_text_length=5, max_images=1)

    def validate(self, content: PostContent) -> list[Problem]:
        return self.text_problems(content, limit=5, empty_message="needs text")

    def test_connection(self) -> AccountInfo:
        raise NotImplementedError

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        raise NotImplementedError


def _adapter() -> _Counting:
    return _Counting(ChannelContext(platform="counting"), {})


def test_text_problems_count_as_text_length_does() -> None:
    adapter = _adapter()
    assert adapter.validate(PostContent(text="👩‍👩‍👧 ok")) == []  # 4 graphemes
    assert grapheme_count("abc 👩‍👩‍👧 d") == 7
    codes = [p.code for p in adapter.validate(PostContent(text="abc 👩‍👩‍👧 d"))]
    assert codes == ["text_too_long"]
    assert [p.message for p in adapter.validate(PostContent(text="  "))] == ["needs text"]


def test_refuse_invalid_with_the_first_or_all_messages() -> None:
    adapter = _adapter()
    adapter.refuse_invalid(PostContent(text="fine"))  # nothing to refuse
    content = PostContent(text="far too long")
    with pytest.raises(ContentRejectedError) as first:
        adapter.refuse_invalid(content)
    assert first.value.code == "text_too_long"
    assert first.value.message.startswith("The text has 12 characters")
    with pytest.raises(ContentRejectedError) as joined:
        adapter.refuse_invalid(PostContent(text=" "), joined_by="; ")
    assert joined.value.message == "needs text"


def test_comment_window_keeps_the_newest_time_seen() -> None:
    since = datetime(2024, 5, 1, 10, tzinfo=UTC)
    window = _meta.CommentWindow(_meta.encode_comment_cursor(since))
    assert window.is_old(since - timedelta(seconds=1))
    assert not window.is_old(since) and not window.is_old(None)
    window.saw(since + timedelta(minutes=5))
    window.saw(since + timedelta(minutes=1))
    window.saw(None)
    page = window.page([])
    assert _meta.decode_comment_cursor(page.next_cursor) == since + timedelta(minutes=5)


class _Graph(_meta.MetaGraphMixin):
    platform = "graph"
    api_base = "https://graph.example"
    use_appsecret_proof = False
    capabilities = Capabilities.all_but(max_text_length=None, max_images=0)

    def validate(self, content: PostContent) -> list[Problem]:
        return []

    def test_connection(self) -> AccountInfo:
        raise NotImplementedError

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        raise NotImplementedError


@responses.activate
def test_graph_pages_follow_the_after_cursor_and_stop_when_left() -> None:
    url = "https://graph.example/1/comments"
    pages = [
        {"data": [1], "paging": {"cursors": {"after": "A"}, "next": "x"}},
        {"data": [2], "paging": {"cursors": {"after": "B"}, "next": "x"}},
        {"data": [3], "paging": {"cursors": {"after": "C"}}},
    ]
    for page in pages:
        responses.add(responses.GET, url, json=page)
    adapter = _Graph(
        ChannelContext(platform="graph"), {"access_token": "t"}, session=requests.Session()
    )
    bodies = list(adapter.graph_pages("1/comments", {"limit": 2}, pages=5))
    assert [b["data"] for b in bodies] == [[1], [2], [3]]
    assert "after=B" in (responses.calls[2].request.url or "")
    # A caller that has read enough leaves the loop: no further page is asked for.
    for _body in adapter.graph_pages("1/comments", {}, pages=5):
        break
    assert len(responses.calls) == 4


@responses.activate
def test_graph_pages_stop_at_the_page_limit_and_without_next() -> None:
    url = "https://graph.example/1/conversation"
    page = {"data": [], "paging": {"cursors": {"after": "A"}}}  # no paging.next
    responses.add(responses.GET, url, json=page)
    adapter = _Graph(
        ChannelContext(platform="graph"), {"access_token": "t"}, session=requests.Session()
    )
    assert len(list(adapter.graph_pages("1/conversation", {}, pages=5))) == 1
    assert len(list(adapter.graph_pages("1/conversation", {}, pages=3, needs_next=False))) == 3


def test_insight_values_and_profile_info() -> None:
    body = {
        "data": [
            {"name": "reach", "values": [{"value": 4}]},
            {"name": "views", "values": [{"value": "n/a"}]},
            {"name": "likes", "values": []},
        ]
    }
    assert _meta.insight_values(body) == {"reach": 4}
    info = _meta.profile_info({"id": "9", "username": "amt"}, "https://example.org/@{username}")
    assert info == AccountInfo("9", "amt", "amt", "https://example.org/@amt")
    assert _meta.profile_info({"id": "9"}, "https://example.org/@{username}").url == ""


def _graph_adapter() -> _Graph:
    return _Graph(
        ChannelContext(platform="graph"), {"access_token": "t"}, session=requests.Session()
    )


@responses.activate
def test_read_profile_asks_for_the_profile_fields() -> None:
    responses.add(
        responses.GET,
        "https://graph.example/me",
        json={"id": "9", "username": "amt", "name": "Amt"},
        match=[responses.matchers.query_param_matcher({"fields": "id,username,name"})],
    )
    info = _graph_adapter().read_profile("me", "https://example.org/@{username}")
    assert info == AccountInfo("9", "amt", "Amt", "https://example.org/@amt")


@responses.activate
def test_recent_ids_lists_the_ids_at_the_edge() -> None:
    responses.add(
        responses.GET,
        "https://graph.example/9/posts",
        json={"data": [{"id": 1}, {"id": "2", "timestamp": "x"}]},
        match=[responses.matchers.query_param_matcher({"fields": "id,timestamp", "limit": "5"})],
    )
    assert _graph_adapter().recent_ids("9/posts", limit=5, fields="id,timestamp") == ["1", "2"]


@responses.activate
def test_find_recent_text_asks_for_the_find_window_and_compares_normalised_text() -> None:
    data = [{"id": "1", "message": "other"}, {"id": "2", "message": "Hallo \r\nWelt "}]
    responses.add(responses.GET, "https://graph.example/9/posts", json={"data": data})
    adapter = _graph_adapter()
    before = datetime.now(UTC) - _meta.FIND_WINDOW
    found = adapter.find_recent_text(
        "9/posts", fields="id,message", text_key="message", text="Hallo\nWelt"
    )
    assert found == {"id": "2", "message": "Hallo \r\nWelt "}
    params = responses.calls[0].request.params
    assert (params["fields"], params["limit"]) == ("id,message", "25")
    assert abs(int(params["since"]) - before.timestamp()) < 5
    assert adapter.find_recent_text("9/posts", fields="id", text_key="message", text="nope") is None


class _Comments(_meta.GraphCommentModeration, _Graph):
    comment_hide_field = "is_hidden"


@responses.activate
def test_reply_at_posts_the_message_and_returns_the_new_id() -> None:
    responses.add(
        responses.POST,
        "https://graph.example/c1/comments",
        json={"id": "r1"},
        match=[responses.matchers.urlencoded_params_matcher({"message": "Danke"})],
    )
    adapter = _Comments(
        ChannelContext(platform="graph"), {"access_token": "t"}, session=requests.Session()
    )
    assert adapter.reply_at("c1/comments", "Danke") == PublishResult(remote_id="r1", url="")


def test_photo_problems_refuse_videos_and_ignore_alt_text() -> None:
    photo = MediaItem("p.jpg", "image/jpeg", MediaKind.IMAGE, 10, alt_text="x" * 5000)
    video = MediaItem("v.mp4", "video/mp4", MediaKind.VIDEO, 10)
    limits: dict[str, Any] = {
        "max_images": 1,
        "image_types": frozenset({"image/jpeg"}),
        "max_image_bytes": 100,
    }
    assert _meta.photo_problems(PostContent("t", media=(photo,)), **limits) == []
    codes = [p.code for p in _meta.photo_problems(PostContent("t", media=(photo, video)), **limits)]
    assert codes == ["too_many_videos", "media_mixed", "media_type", "media_too_large"]


def test_alt_text_warnings_for_a_missing_or_an_ignored_description() -> None:
    described = MediaItem("p.jpg", "image/jpeg", MediaKind.IMAGE, 10, alt_text="A town hall")
    blank = MediaItem("p.jpg", "image/jpeg", MediaKind.IMAGE, 10, alt_text="  ")
    assert problems_for_missing_alt_text(described, "media.0") == []
    [missing] = problems_for_missing_alt_text(blank, "media.1")
    assert (missing.code, missing.field, missing.severity) == (
        "alt_text_missing",
        "media.1",
        ProblemSeverity.WARNING,
    )
    assert (
        problems_for_ignored_alt_text(
            MediaItem("v.mp4", "video/mp4", MediaKind.VIDEO, 1), "media.0", "m"
        )
        == []
    )
    [ignored] = problems_for_ignored_alt_text(described, "media.0", "not sent")
    assert ignored == Problem("alt_text_ignored", "media.0", "not sent", ProblemSeverity.WARNING)


def test_problem_media_too_large_names_the_limit_in_megabytes() -> None:
    problem = problem_media_too_large("media.2", 15 * 1024 * 1024)
    assert (problem.code, problem.field) == ("media_too_large", "media.2")
    assert "15.7 MB" in problem.message
