"""The shared parts every adapter relies on: HTTP error mapping and length counting."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from email.utils import format_datetime

import pytest
import requests
import responses

from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import parse_retry_after
from channels_app.adapters.errors import NOT_SENT
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.registry import ADAPTER_PATHS
from channels_app.adapters.registry import adapter_class
from channels_app.adapters.telegram import TelegramAdapter
from channels_app.adapters.text import grapheme_count
from channels_app.adapters.text import mastodon_length
from channels_app.adapters.text import utf16_length
from channels_app.adapters.text import x_weighted_length

URL = "https://api.example.org/v1/thing?access_token=SECRET-TOKEN"


class _BaseBehaviour(PlatformAdapter):
    """The base class as it is: only the abstract operations filled in."""

    platform = "plain"
    capabilities = TelegramAdapter.capabilities

    def validate(self, content: PostContent) -> list[Problem]:
        return []

    def test_connection(self) -> AccountInfo:
        raise NotImplementedError

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        raise NotImplementedError


def _adapter() -> PlatformAdapter:
    return _BaseBehaviour(ChannelContext(platform="plain"), {})


@responses.activate
@pytest.mark.parametrize(
    ("exception", "code"),
    [(requests.ConnectTimeout(), NOT_SENT), (requests.ReadTimeout(), "")],
)
def test_network_failures_are_transient_and_carry_no_url(exception, code) -> None:  # type: ignore[no-untyped-def]
    responses.get(URL, body=exception)
    with pytest.raises(TransientError) as info:
        _adapter().request("GET", URL)
    assert info.value.code == code
    assert info.value.__context__ is None and info.value.__cause__ is None
    assert "SECRET-TOKEN" not in str(info.value)


@responses.activate
@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AuthenticationError),
        (403, AuthenticationError),
        (404, RemoteNotFoundError),
        (410, RemoteNotFoundError),
        (422, ContentRejectedError),
        (429, RateLimitedError),
        (500, TransientError),
        (503, TransientError),
    ],
)
def test_status_codes_map_into_the_taxonomy(status: int, error: type[Exception]) -> None:
    responses.get(
        URL,
        status=status,
        json={"error": {"code": "x", "message": "Grund"}},
        headers={"Retry-After": "7"},
    )
    with pytest.raises(error) as info:
        _adapter().request("GET", URL)
    if status == 429:
        assert info.value.retry_after == 7.0  # type: ignore[attr-defined]


@responses.activate
def test_malformed_json_is_a_transient_malformed_response() -> None:
    responses.get(URL, body="<html>Bad Gateway</html>", status=200)
    adapter = _adapter()
    with pytest.raises(MalformedResponseError):
        adapter.json(adapter.request("GET", URL))


def test_retry_after_as_seconds_or_http_date() -> None:
    assert parse_retry_after("120") == 120.0
    future = datetime.now(UTC) + timedelta(seconds=90)
    assert 80 <= (parse_retry_after(format_datetime(future, usegmt=True)) or 0) <= 91
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None


def test_every_registered_platform_has_an_adapter() -> None:
    for platform in ADAPTER_PATHS:
        adapter = adapter_class(platform)
        assert adapter.platform == platform
        assert adapter.capabilities.idempotency, platform


@pytest.mark.parametrize(
    ("text", "graphemes"),
    [
        ("👩‍👩‍👧‍👦", 1),  # a ZWJ family is one grapheme
        ("🇩🇪", 1),  # a flag is two regional indicators, one grapheme
        ("e\u0301", 1),  # e + combining acute accent
        ("Straße", 6),
        ("東京都庁", 4),
        ("👍🏽", 1),  # emoji with skin-tone modifier
    ],
)
def test_grapheme_count(text: str, graphemes: int) -> None:
    assert grapheme_count(text) == graphemes


def test_mastodon_counts_urls_as_23_and_remote_mentions_by_local_part() -> None:
    url = "https://www.musterstadt.de/aktuelles/baustellen/marktplatz-2026"
    assert mastodon_length(url) == 23
    assert mastodon_length("@presse@social.bund.de") == len("@presse")
    assert mastodon_length(f"Info: {url}") == len("Info: ") + 23


def test_x_weighted_length() -> None:
    assert x_weighted_length("a" * 280) == 280
    assert x_weighted_length("東" * 140) == 280  # CJK weighs two
    assert x_weighted_length("👩‍👩‍👧‍👦") == 2  # any emoji sequence weighs two
    assert x_weighted_length("e\u0301") == 1  # NFC composes to é
    assert x_weighted_length("Mehr: https://www.musterstadt.de/" + "x" * 80) == 6 + 23


def test_utf16_length() -> None:
    assert utf16_length("😀") == 2
    assert utf16_length("Straße") == 6


@pytest.mark.parametrize("platform", sorted(ADAPTER_PATHS))
def test_live_counter_agrees_with_validation(platform: str) -> None:
    """The editor's counter and the length check count the same way: exactly at the limit
    is fine, one more is reported."""
    adapter_type = adapter_class(platform)
    limit = adapter_type.capabilities.max_text_length
    if limit is None or platform == "youtube":  # YouTube limits the description in bytes
        return
    adapter = adapter_type(ChannelContext(platform=platform, base_url="https://x.example"), {})
    text = "a" * limit
    content = PostContent(text=text)
    assert adapter.text_length(content) == limit
    codes = {p.code for p in adapter.validate(PostContent(text=text + "a"))}
    assert "text_too_long" in codes
    assert "text_too_long" not in {p.code for p in adapter.validate(content)}
