"""Telegram adapter against the Bot API, faked at the HTTP boundary."""

from __future__ import annotations

import json
import logging
import traceback
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import pytest
import requests
import responses

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import MediaItem
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
from channels_app.adapters.registry import adapter_class
from channels_app.adapters.telegram import OUTCOME_UNKNOWN
from channels_app.adapters.telegram import TelegramAdapter
from tests.channels_app.adapters.conftest import load_fixture

TOKEN = "7012345678:AAH-secret_example_token_value_0123456"
BOT = f"https://api.telegram.org/bot{TOKEN}"
CHAT_ID = "-1001234567890"
KEY = "post-42-channel-9"


def fixture(name: str) -> Any:
    return load_fixture("telegram", name)


def make_adapter() -> TelegramAdapter:
    return TelegramAdapter(
        ChannelContext(platform="telegram", account_id=CHAT_ID, handle="@stadt_musterstadt"),
        {"bot_token": TOKEN, "bot_id": 7012345678},
    )


@pytest.fixture
def adapter() -> TelegramAdapter:
    return make_adapter()


def form_parts(request: Any) -> dict[str, tuple[str | None, bytes]]:
    """multipart/form-data body → {name: (filename, content)}."""
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode() + request.body
    )
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[name] = (part.get_filename(), part.get_payload(decode=True))
    return parts


def errors(problems: list[Any]) -> set[str]:
    return {p.code for p in problems if p.severity == ProblemSeverity.ERROR}


def test_registered() -> None:
    assert adapter_class("telegram") is TelegramAdapter
    caps = TelegramAdapter.capabilities
    assert caps.publish_text and caps.publish_images and caps.publish_video
    assert not (caps.comments or caps.reply or caps.hide_comments or caps.post_metrics)
    assert caps.account_metrics and caps.delete
    assert caps.max_text_length == 4096
    assert [f.name for f in TelegramAdapter.credential_fields] == ["bot_token", "channel"]
    assert TelegramAdapter.credential_fields[0].secret


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "units"),
    [
        ("a", 1),
        ("ä", 1),
        ("漢", 1),  # CJK in the BMP: one UTF-16 unit
        ("e\u0301", 2),  # e + combining accent: two code points, two units
        ("🇩🇪", 4),  # two regional indicators outside the BMP
        ("👩\u200d👩\u200d👧\u200d👦", 11),  # 4 emoji (2 units each) + 3 joiners
        ("😀", 2),
    ],
)
def test_text_length_in_utf16_units(adapter: TelegramAdapter, unit: str, units: int) -> None:
    fits = unit * (4096 // units)
    assert adapter.validate(PostContent(text=fits)) == []
    too_long = unit * (4096 // units + 1)
    problems = adapter.validate(PostContent(text=too_long))
    assert errors(problems) == {"text_too_long"}


def test_urls_and_mentions_count_as_typed(adapter: TelegramAdapter) -> None:
    tail = " https://www.musterstadt.example/buergerbuero @stadt_musterstadt"
    text = "x" * (4096 - len(tail)) + tail
    assert adapter.validate(PostContent(text=text)) == []
    assert errors(adapter.validate(PostContent(text=text + "!"))) == {"text_too_long"}
    # An appended link counts too.
    assert errors(
        adapter.validate(PostContent(text=text, link="https://www.musterstadt.example/a"))
    ) == {"text_too_long"}


def test_caption_limit_with_media(adapter: TelegramAdapter, image_file: MediaItem) -> None:
    image = replace(image_file, alt_text="")
    assert adapter.validate(PostContent(text="😀" * 512, media=(image,))) == []
    assert errors(adapter.validate(PostContent(text="😀" * 513, media=(image,)))) == {
        "caption_too_long"
    }
    # A photo needs no caption.
    assert adapter.validate(PostContent(text="", media=(image,))) == []


def test_text_needed_without_media(adapter: TelegramAdapter) -> None:
    assert errors(adapter.validate(PostContent(text="  "))) == {"text_missing"}


def test_media_rules(
    adapter: TelegramAdapter, image_file: MediaItem, video_file: MediaItem
) -> None:
    assert errors(adapter.validate(PostContent(text="x", media=(image_file,) * 11))) == {
        "too_many_media",
        "too_many_images",
    }
    # Photos and videos may share an album.
    assert errors(adapter.validate(PostContent(text="x", media=(image_file, video_file)))) == set()
    gif = replace(image_file, mime_type="image/gif")
    assert "media_type" in errors(adapter.validate(PostContent(text="x", media=(gif,))))
    big = replace(image_file, size=10 * 1000 * 1000 + 1)
    assert "media_too_large" in errors(adapter.validate(PostContent(text="x", media=(big,))))
    huge = replace(video_file, size=50 * 1000 * 1000 + 1)
    assert "media_too_large" in errors(adapter.validate(PostContent(text="x", media=(huge,))))
    panorama = replace(image_file, width=8400, height=400)
    assert "image_dimensions" in errors(adapter.validate(PostContent(text="x", media=(panorama,))))


def test_alt_text_is_a_warning(adapter: TelegramAdapter, image_file: MediaItem) -> None:
    (problem,) = adapter.validate(PostContent(text="Rathaus", media=(image_file,)))
    assert problem.code == "alt_text_unsupported"
    assert problem.severity == ProblemSeverity.WARNING


# --- publishing ---------------------------------------------------------------------------


@responses.activate
def test_publish_text(adapter: TelegramAdapter) -> None:
    responses.add(responses.POST, f"{BOT}/sendMessage", json=fixture("send_message.json"))
    result = adapter.publish(
        PostContent(
            text="Heute ist das Bürgerbüro bis 18 Uhr geöffnet.",
            link="https://www.musterstadt.example/buergerbuero",
        ),
        KEY,
    )
    (call,) = responses.calls
    assert call.request.method == "POST"
    assert call.request.url == f"{BOT}/sendMessage"
    assert call.request.headers["Content-Type"] == "application/json"
    assert "Sprachrohr/" in call.request.headers["User-Agent"]
    assert json.loads(call.request.body) == {
        "chat_id": CHAT_ID,
        "text": "Heute ist das Bürgerbüro bis 18 Uhr geöffnet.\n\n"
        "https://www.musterstadt.example/buergerbuero",
    }
    assert result.remote_id == "1234"
    assert result.url == "https://t.me/stadt_musterstadt/1234"
    assert result.published_at == datetime.fromtimestamp(1772443805, tz=UTC)


@responses.activate
def test_publish_photo_uploads_the_file(adapter: TelegramAdapter, image_file: MediaItem) -> None:
    responses.add(responses.POST, f"{BOT}/sendPhoto", json=fixture("send_photo.json"))
    result = adapter.publish(
        PostContent(text="Das Rathaus im Sonnenschein.", media=(image_file,)), KEY
    )
    (call,) = responses.calls
    assert call.request.url == f"{BOT}/sendPhoto"
    assert call.request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    parts = form_parts(call.request)
    assert parts == {
        "chat_id": (None, CHAT_ID.encode()),
        "caption": (None, b"Das Rathaus im Sonnenschein."),
        "photo": ("rathaus.jpg", image_file.read()),
    }
    # No alt text at Telegram: it is not sent anywhere.
    assert image_file.alt_text.encode() not in call.request.body
    assert result.remote_id == "1235"


@responses.activate
def test_publish_video(adapter: TelegramAdapter, video_file: MediaItem) -> None:
    responses.add(responses.POST, f"{BOT}/sendVideo", json=fixture("send_video.json"))
    result = adapter.publish(
        PostContent(text="Bagger auf der Baustelle am Marktplatz.", media=(video_file,)), KEY
    )
    parts = form_parts(responses.calls[0].request)
    assert parts == {
        "chat_id": (None, CHAT_ID.encode()),
        "caption": (None, b"Bagger auf der Baustelle am Marktplatz."),
        "supports_streaming": (None, b"true"),
        "width": (None, b"1280"),
        "height": (None, b"720"),
        "duration": (None, b"12"),
        "video": ("baustelle.mp4", video_file.read()),
    }
    assert result.remote_id == "1236"


@responses.activate
def test_publish_album_with_caption_on_the_first_item(
    adapter: TelegramAdapter, image_file: MediaItem, video_file: MediaItem
) -> None:
    responses.add(responses.POST, f"{BOT}/sendMediaGroup", json=fixture("send_media_group.json"))
    result = adapter.publish(
        PostContent(text="Eindrücke vom Stadtfest.", media=(image_file, video_file)), KEY
    )
    (call,) = responses.calls
    assert call.request.url == f"{BOT}/sendMediaGroup"
    parts = form_parts(call.request)
    assert set(parts) == {"chat_id", "media", "file0", "file1"}
    assert parts["chat_id"] == (None, CHAT_ID.encode())
    assert json.loads(parts["media"][1]) == [
        {"type": "photo", "media": "attach://file0", "caption": "Eindrücke vom Stadtfest."},
        {
            "type": "video",
            "media": "attach://file1",
            "supports_streaming": True,
            "width": 1280,
            "height": 720,
            "duration": 12,
        },
    ]
    assert parts["file0"] == ("rathaus.jpg", image_file.read())
    assert parts["file1"] == ("baustelle.mp4", video_file.read())
    assert result.remote_id == "1237,1238"
    assert result.url == "https://t.me/stadt_musterstadt/1237"


@responses.activate
def test_private_channel_url(adapter: TelegramAdapter) -> None:
    body = fixture("send_message.json")
    del body["result"]["chat"]["username"]
    responses.add(responses.POST, f"{BOT}/sendMessage", json=body)
    assert adapter.publish(PostContent(text="Hallo"), KEY).url == "https://t.me/c/1234567890/1234"


@responses.activate
def test_invalid_content_is_not_sent(adapter: TelegramAdapter) -> None:
    with pytest.raises(ContentRejectedError) as info:
        adapter.publish(PostContent(text="x" * 4097), KEY)
    assert info.value.code == "text_too_long"
    assert len(responses.calls) == 0


# --- no double post -----------------------------------------------------------------------


@responses.activate
def test_lost_answer_is_marked_unknown_and_not_found(adapter: TelegramAdapter) -> None:
    """Telegram cannot deduplicate and cannot be asked: a read timeout after sending is an
    unknown outcome, and find_published has nothing to offer, so the caller must not
    re-send."""
    responses.add(responses.POST, f"{BOT}/sendMessage", body=requests.exceptions.ReadTimeout())
    content = PostContent(text="Hallo")
    with pytest.raises(TransientError) as info:
        adapter.publish(content, KEY)
    assert info.value.code == OUTCOME_UNKNOWN
    assert adapter.find_published(content, KEY) is None
    assert len(responses.calls) == 1  # nothing else was sent, no lookup possible


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 502, "body": "<html><head><title>502 Bad Gateway</title></head></html>"},
        {"status": 200, "body": "<html>garbled</html>"},
        {"status": 200, "json": {"ok": True, "result": {"unexpected": 1}}},
    ],
)
@responses.activate
def test_other_unknown_outcomes(adapter: TelegramAdapter, answer: dict[str, Any]) -> None:
    responses.add(responses.POST, f"{BOT}/sendMessage", **answer)
    with pytest.raises(TransientError) as info:
        adapter.publish(PostContent(text="Hallo"), KEY)
    assert info.value.code == OUTCOME_UNKNOWN


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (requests.exceptions.ConnectTimeout(), "not_sent"),
        (None, "429"),
    ],
)
@responses.activate
def test_certain_failures_may_be_retried(
    adapter: TelegramAdapter, body: Exception | None, code: str
) -> None:
    if body is None:
        responses.add(
            responses.POST, f"{BOT}/sendMessage", status=429, json=fixture("error_429.json")
        )
    else:
        responses.add(responses.POST, f"{BOT}/sendMessage", body=body)
    with pytest.raises(TransientError) as info:
        adapter.publish(PostContent(text="Hallo"), KEY)
    assert info.value.code == code != OUTCOME_UNKNOWN


# --- delete, metrics, unsupported ---------------------------------------------------------


@responses.activate
def test_delete_message(adapter: TelegramAdapter) -> None:
    responses.add(responses.POST, f"{BOT}/deleteMessage", json=fixture("true.json"))
    adapter.delete("1234")
    (call,) = responses.calls
    assert call.request.method == "POST"
    assert call.request.url == f"{BOT}/deleteMessage"
    assert json.loads(call.request.body) == {"chat_id": CHAT_ID, "message_id": 1234}


@responses.activate
def test_delete_album(adapter: TelegramAdapter) -> None:
    responses.add(responses.POST, f"{BOT}/deleteMessages", json=fixture("true.json"))
    adapter.delete("1237,1238")
    assert json.loads(responses.calls[0].request.body) == {
        "chat_id": CHAT_ID,
        "message_ids": [1237, 1238],
    }


@responses.activate
def test_delete_unknown_message(adapter: TelegramAdapter) -> None:
    responses.add(
        responses.POST,
        f"{BOT}/deleteMessage",
        status=400,
        json=fixture("error_400_delete_not_found.json"),
    )
    with pytest.raises(RemoteNotFoundError):
        adapter.delete("1234")


@responses.activate
def test_account_metrics(adapter: TelegramAdapter) -> None:
    responses.add(responses.POST, f"{BOT}/getChatMemberCount", json=fixture("member_count.json"))
    assert adapter.fetch_account_metrics().followers == 4821
    assert json.loads(responses.calls[0].request.body) == {"chat_id": CHAT_ID}


def test_unsupported_operations(adapter: TelegramAdapter) -> None:
    comment = RemoteComment("1", "1234", "Erika", "42", "Hallo", None)
    for call in (
        lambda: adapter.fetch_post_metrics(["1234"]),
        lambda: adapter.fetch_comments(None),
        lambda: adapter.reply(comment, "Danke"),
        lambda: adapter.hide_comment(comment),
        lambda: adapter.delete_comment(comment),
    ):
        with pytest.raises(NotSupportedError):
            call()


# --- connecting ---------------------------------------------------------------------------


def add_connect(member: str = "get_chat_member_admin.json") -> None:
    responses.add(responses.POST, f"{BOT}/getMe", json=fixture("get_me.json"))
    responses.add(responses.POST, f"{BOT}/getChat", json=fixture("get_chat.json"))
    responses.add(responses.POST, f"{BOT}/getChatMember", json=fixture(member))


@responses.activate
def test_connect_with_form() -> None:
    add_connect()
    choice = TelegramAdapter.connect_with_form(
        base_url="",
        values={"bot_token": f" {TOKEN} ", "channel": "https://t.me/stadt_musterstadt"},
        session=requests.Session(),
    )
    get_me, get_chat, get_member = responses.calls
    assert get_me.request.url == f"{BOT}/getMe"
    assert json.loads(get_chat.request.body) == {"chat_id": "@stadt_musterstadt"}
    assert json.loads(get_member.request.body) == {
        "chat_id": -1001234567890,
        "user_id": 7012345678,
    }
    assert choice.account_id == CHAT_ID
    assert choice.name == "Stadt Musterstadt"
    assert choice.handle == "@stadt_musterstadt"
    assert choice.url == "https://t.me/stadt_musterstadt"
    assert choice.credentials == {
        "bot_token": TOKEN,
        "bot_id": 7012345678,
        "bot_username": "musterstadt_presse_bot",
    }


@responses.activate
def test_bot_must_be_allowed_to_post() -> None:
    add_connect("get_chat_member_no_post.json")
    with pytest.raises(AuthenticationError) as info:
        TelegramAdapter.connect_with_form(
            base_url="",
            values={"bot_token": TOKEN, "channel": "@stadt_musterstadt"},
            session=requests.Session(),
        )
    assert info.value.code == "not_admin"


@responses.activate
def test_only_channels() -> None:
    responses.add(responses.POST, f"{BOT}/getMe", json=fixture("get_me.json"))
    body = fixture("get_chat.json")
    body["result"]["type"] = "supergroup"
    responses.add(responses.POST, f"{BOT}/getChat", json=body)
    with pytest.raises(ContentRejectedError):
        TelegramAdapter.connect_with_form(
            base_url="",
            values={"bot_token": TOKEN, "channel": "-1001234567890"},
            session=requests.Session(),
        )


@pytest.mark.parametrize(
    "values",
    [
        {"bot_token": "not-a-token", "channel": "@stadt_musterstadt"},
        {"bot_token": "123:abc/../getUpdates?x=" + "a" * 30, "channel": "@stadt_musterstadt"},
        {"bot_token": TOKEN, "channel": "Stadt Musterstadt!"},
    ],
)
@responses.activate
def test_malformed_form_values_are_refused_without_requests(values: dict[str, str]) -> None:
    with pytest.raises(PlatformError):
        TelegramAdapter.connect_with_form(base_url="", values=values, session=requests.Session())
    assert len(responses.calls) == 0


@responses.activate
def test_test_connection(adapter: TelegramAdapter) -> None:
    add_connect()
    info = adapter.test_connection()
    assert json.loads(responses.calls[1].request.body) == {"chat_id": CHAT_ID}
    assert (info.account_id, info.handle) == (CHAT_ID, "@stadt_musterstadt")


# --- error mapping ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, "error_401.json", AuthenticationError),
        (403, "error_403_kicked.json", AuthenticationError),
        (400, "error_400_not_enough_rights.json", AuthenticationError),
        (404, "error_404.json", AuthenticationError),  # the Bot API's answer to a bad token
        (400, "error_400_too_long.json", ContentRejectedError),
        (429, "error_429.json", RateLimitedError),
        (500, "error_500.json", TransientError),
    ],
)
@responses.activate
def test_error_mapping(
    adapter: TelegramAdapter, status: int, body: str, error: type[PlatformError]
) -> None:
    responses.add(responses.POST, f"{BOT}/getChatMemberCount", status=status, json=fixture(body))
    with pytest.raises(error) as info:
        adapter.fetch_account_metrics()
    assert type(info.value) is error
    assert info.value.status == status
    assert info.value.code == str(status)
    description = fixture(body)["description"]
    if status in (400, 403):
        assert description in info.value.message


@responses.activate
def test_retry_after_from_parameters(adapter: TelegramAdapter) -> None:
    responses.add(
        responses.POST, f"{BOT}/getChatMemberCount", status=429, json=fixture("error_429.json")
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.fetch_account_metrics()
    assert info.value.retry_after == 35


@responses.activate
def test_retry_after_header_when_parameters_are_missing(adapter: TelegramAdapter) -> None:
    responses.add(
        responses.POST,
        f"{BOT}/getChatMemberCount",
        status=429,
        json={"ok": False, "error_code": 429, "description": "Too Many Requests"},
        headers={"Retry-After": "7"},
    )
    with pytest.raises(RateLimitedError) as info:
        adapter.fetch_account_metrics()
    assert info.value.retry_after == 7


@responses.activate
def test_ok_false_with_http_200(adapter: TelegramAdapter) -> None:
    responses.add(
        responses.POST,
        f"{BOT}/getChatMemberCount",
        status=200,
        json={"ok": False, "error_code": 403, "description": "Forbidden: bot was kicked"},
    )
    with pytest.raises(AuthenticationError):
        adapter.fetch_account_metrics()


@responses.activate
def test_migrated_chat(adapter: TelegramAdapter) -> None:
    responses.add(
        responses.POST,
        f"{BOT}/getChatMemberCount",
        status=400,
        json={
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: group chat was upgraded to a supergroup chat",
            "parameters": {"migrate_to_chat_id": -1009876543210},
        },
    )
    with pytest.raises(AuthenticationError):
        adapter.fetch_account_metrics()


@responses.activate
def test_timeout(adapter: TelegramAdapter) -> None:
    responses.add(
        responses.POST, f"{BOT}/getChatMemberCount", body=requests.exceptions.ConnectTimeout()
    )
    with pytest.raises(TransientError):
        adapter.fetch_account_metrics()


@responses.activate
def test_malformed_body(adapter: TelegramAdapter) -> None:
    responses.add(responses.POST, f"{BOT}/getChatMemberCount", body="<html>nope</html>")
    with pytest.raises(MalformedResponseError):
        adapter.fetch_account_metrics()


@responses.activate
def test_malformed_error_body(adapter: TelegramAdapter) -> None:
    responses.add(responses.POST, f"{BOT}/getChatMemberCount", status=502, body="Bad Gateway")
    with pytest.raises(TransientError):
        adapter.fetch_account_metrics()


# --- the token stays secret ---------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        requests.exceptions.ConnectionError(
            f"HTTPSConnectionPool(host='api.telegram.org', port=443): Max retries exceeded"
            f" with url: /bot{TOKEN}/sendMessage"
        ),
        requests.exceptions.ReadTimeout(
            f"HTTPSConnectionPool(host='api.telegram.org', port=443): Read timed out."
            f" url: /bot{TOKEN}/sendMessage"
        ),
        requests.exceptions.ConnectTimeout(),
    ],
)
@responses.activate
def test_token_not_in_exceptions(adapter: TelegramAdapter, failure: Exception) -> None:
    responses.add(responses.POST, f"{BOT}/sendMessage", body=failure)
    with pytest.raises(PlatformError) as info:
        adapter.publish(PostContent(text="Hallo"), KEY)
    exc = info.value
    rendered = "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)
    assert TOKEN not in rendered
    assert exc.__context__ is None and exc.__cause__ is None


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (401, "error_401.json"),
        (403, "error_403_kicked.json"),
        (400, "error_400_too_long.json"),
        (429, "error_429.json"),
        (500, "error_500.json"),
    ],
)
@responses.activate
def test_token_not_in_messages_or_logs(
    adapter: TelegramAdapter, status: int, body: str, caplog: pytest.LogCaptureFixture
) -> None:
    payload = fixture(body)
    # Even if Telegram echoed the token in a description, it would be redacted.
    payload["description"] += f" (bot{TOKEN})"
    responses.add(responses.POST, f"{BOT}/sendMessage", status=status, json=payload)
    with caplog.at_level(logging.DEBUG), pytest.raises(PlatformError) as info:
        adapter.publish(PostContent(text="Hallo"), KEY)
    assert TOKEN not in str(info.value)
    assert TOKEN not in repr(info.value)
    assert TOKEN not in caplog.text


def test_urllib3_request_lines_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    # What urllib3.connectionpool logs for every request at DEBUG level.
    with caplog.at_level(logging.DEBUG, logger="urllib3.connectionpool"):
        logging.getLogger("urllib3.connectionpool").debug(
            '%s://%s:%s "%s %s %s" %s %s',
            "https",
            "api.telegram.org",
            443,
            "POST",
            f"/bot{TOKEN}/sendMessage",
            "HTTP/1.1",
            200,
            512,
        )
    assert TOKEN not in caplog.text
    assert "/bot<bot token>/sendMessage" in caplog.text


def test_malformed_stored_token_is_not_put_into_a_url() -> None:
    adapter = TelegramAdapter(
        ChannelContext(platform="telegram", account_id=CHAT_ID), {"bot_token": "x/../y"}
    )
    with pytest.raises(AuthenticationError) as info:
        adapter.fetch_account_metrics()
    assert "x/../y" not in str(info.value)


def test_capabilities_tell_callers_that_a_lost_answer_cannot_be_looked_up() -> None:
    from channels_app.adapters.telegram import TelegramAdapter

    assert TelegramAdapter.capabilities.can_find_published is False


def test_comments_and_mentions_are_not_available_with_a_reason(
    adapter: TelegramAdapter,
) -> None:
    with pytest.raises(NotSupportedError, match="discussion group"):
        adapter.fetch_comments(None)
    with pytest.raises(NotSupportedError, match="mentions"):
        adapter.fetch_mentions(None)


@responses.activate
def test_private_messages_from_get_updates_with_the_offset_cursor(
    adapter: TelegramAdapter,
) -> None:
    responses.add(responses.POST, f"{BOT}/getUpdates", json=fixture("updates.json"))
    page = adapter.fetch_messages("870000100")
    sent = json.loads(responses.calls[0].request.body)
    assert sent == {
        "timeout": 0,
        "limit": 100,
        "allowed_updates": ["message", "edited_message"],
        "offset": 870000100,
    }
    # The group message and the other bot's message are passed over, not lost: their
    # updates are confirmed like the others by the next offset.
    assert [m.text for m in page.items] == [
        "Guten Tag, wann hat das Bürgeramt am Samstag geöffnet?",
        "Guten Tag, wann hat das Bürgerbüro am Samstag geöffnet?",
    ]
    first, edited = page.items
    assert first.kind == "message" and first.remote_id == "111222333:17"
    assert (first.author_name, first.author_handle) == ("Erika Mustermann", "@erika_m")
    assert first.author_url == "https://t.me/erika_m"
    assert first.created_at is not None and first.raw["update_id"] == 870000101
    assert edited.remote_id == first.remote_id and edited.edited_at is not None
    assert page.next_cursor == "870000105" and page.has_more is False


@responses.activate
def test_nothing_new_keeps_the_offset(adapter: TelegramAdapter) -> None:
    responses.add(responses.POST, f"{BOT}/getUpdates", json={"ok": True, "result": []})
    page = adapter.fetch_messages("870000105")
    assert page.items == [] and page.next_cursor == "870000105"


@responses.activate
def test_a_bot_with_a_webhook_makes_messages_unavailable(adapter: TelegramAdapter) -> None:
    responses.add(
        responses.POST,
        f"{BOT}/getUpdates",
        status=409,
        json={
            "ok": False,
            "error_code": 409,
            "description": "Conflict: can't use getUpdates method while webhook is active;"
            " use deleteWebhook to delete the webhook first",
        },
    )
    with pytest.raises(NotSupportedError, match="webhook"):
        adapter.fetch_messages(None)
