"""Telegram adapter: a bot posts into a channel through the Bot API.

Written against the official Bot API documentation (as returned by the search tool):

- "Telegram Bot API" https://core.telegram.org/bots/api — "Making requests" (every call is
  ``https://api.telegram.org/bot<token>/METHOD``; answers are ``{"ok": true, "result": …}``
  or ``{"ok": false, "error_code": …, "description": …, "parameters":
  {"retry_after": …, "migrate_to_chat_id": …}}``), "Sending files" (multipart/form-data,
  at most 10 MB for photos and 50 MB for other files), sendMessage (1-4096 characters after
  entities parsing), sendPhoto / sendVideo (captions 0-1024 characters after entities
  parsing), sendMediaGroup (2-10 photos and videos, ``attach://<name>`` for uploads, an
  array of Messages back), deleteMessage / deleteMessages (a bot with can_post_messages may
  delete its own channel posts younger than 48 hours), getMe, getChat, getChatMember
  (ChatMemberAdministrator.can_post_messages), getChatMemberCount.

Connecting is a form: the bot token from @BotFather and the channel (``@username`` or the
numeric id). The bot must be an administrator of the channel allowed to post messages.

No comments: channel posts have no comment API. Comments exist only in a linked discussion
group, and bots see them only as incoming updates (getUpdates/webhook), which cannot be read
again later. Nor are there per-post metrics in the Bot API; the subscriber count is.

Private messages to the bot are read with getUpdates (``fetch_messages``): the stored offset
confirms an update only after its batch was stored. A bot that delivers its updates to a
webhook answers getUpdates with 409 "Conflict": the stream is then not available.

Security: the bot token is part of every URL. It never goes into an exception message, a log
line or an exception's context (the ``requests`` exception that names the URL is dropped),
and urllib3's debug log of request lines is filtered.

Idempotency: Telegram has no idempotency key and the Bot API cannot list a channel's history,
so ``find_published`` cannot look anything up (see there). Publishing marks every failure whose
outcome is unknown with ``code == OUTCOME_UNKNOWN`` so the caller asks a person instead of
sending again.
"""

from __future__ import annotations

import contextlib
import json as jsonlib
import logging
import os
import re
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from typing import Any
from typing import ClassVar

import requests
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.adapters.base import UPLOAD_TIMEOUT
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.base import Capabilities
from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import ConnectMethod
from channels_app.adapters.base import CredentialField
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import Problem
from channels_app.adapters.base import ProblemSeverity
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import RemoteKind
from channels_app.adapters.base import json_object
from channels_app.adapters.base import parse_retry_after
from channels_app.adapters.base import problem_text_too_long
from channels_app.adapters.base import problems_for_malformed_text
from channels_app.adapters.base import problems_for_media
from channels_app.adapters.base import problems_for_media_count
from channels_app.adapters.base import text_with_link
from channels_app.adapters.errors import NOT_SENT
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.text import utf16_length

API_BASE = "https://api.telegram.org"
TEXT_MAX = 4096
CAPTION_MAX = 1024
MAX_MEDIA = 10  # sendMediaGroup: 2-10 items
MAX_PHOTO_BYTES = 10 * 1000 * 1000  # "The photo must be at most 10 MB in size"
MAX_FILE_BYTES = 50 * 1000 * 1000  # "50 MB for other files" uploaded via multipart
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
VIDEO_TYPES = frozenset({"video/mp4"})  # "Telegram clients support MPEG4 videos"

#: ``PlatformError.code`` when a publish failed after the request may have reached Telegram.
OUTCOME_UNKNOWN = "outcome_unknown"
UPDATES_LIMIT = 100  # getUpdates: 1-100

TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,100}$")
_TOKEN_IN_TEXT = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{20,100}")
_USERNAME = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{3,31})$")
_CHAT_ID = re.compile(r"^-?\d{1,20}$")

# Descriptions that mean the bot lost its place or rights in the channel (Bot API answers
# these with 400 or 403 depending on the method).
_AUTH_DESCRIPTIONS = (
    "bot was kicked",
    "not enough rights",
    "need administrator rights",
    "have no rights",
    "chat_admin_required",
    "chat_write_forbidden",
    "bot is not a member",
    "chat not found",
)
_NOT_FOUND_DESCRIPTIONS = ("message to delete not found", "message not found", "message_id_invalid")


def redact(text: str) -> str:
    return _TOKEN_IN_TEXT.sub("<bot token>", text)


class _RedactBotTokens(logging.Filter):
    """urllib3 logs every request line (with the path, where the token is) at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN_IN_TEXT.search(message):
            record.msg = redact(message)
            record.args = None
        return True


def _install_log_filter() -> None:
    target = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _RedactBotTokens) for f in target.filters):
        target.addFilter(_RedactBotTokens())


_install_log_filter()


def normalise_channel(value: str) -> str:
    """``@name``, ``name``, ``https://t.me/name`` → ``@name``; numeric ids stay as they are."""
    value = value.strip()
    for prefix in ("https://t.me/", "http://t.me/", "t.me/"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :].strip("/")
    if _CHAT_ID.match(value):
        return value
    match = _USERNAME.match(value)
    return f"@{match.group(1)}" if match else ""


def message_url(chat: Mapping[str, Any], message_id: int) -> str:
    username = chat.get("username")
    if username:
        return f"https://t.me/{username}/{message_id}"
    # Private channels: t.me/c/<id without the -100 prefix>/<message> (members only).
    chat_id = str(chat.get("id", ""))
    internal = chat_id[4:] if chat_id.startswith("-100") else chat_id.lstrip("-")
    return f"https://t.me/c/{internal}/{message_id}" if internal else ""


class TelegramAdapter(PlatformAdapter):
    platform: ClassVar[str] = "telegram"
    capabilities: ClassVar[Capabilities] = Capabilities.all_but(
        "alt_text",
        "comments",
        "reply",
        "hide_comments",
        "delete_comments",
        "post_metrics",
        max_text_length=TEXT_MAX,
        max_images=MAX_MEDIA,
        can_find_published=False,
        text_counting=gettext_lazy(
            "Telegram counts UTF-16 code units of the plain text: 4,096 for a message, 1,024"
            " for the caption of photos and videos. Most emoji count as two."
        ),
        idempotency=gettext_lazy(
            "Telegram has no idempotency key and bots cannot read a channel's history: when"
            " it is unknown whether a post went out, Sprachrohr asks for a manual check"
            " instead of sending it again."
        ),
    )
    connect_method: ClassVar[ConnectMethod] = ConnectMethod.FORM
    credential_fields: ClassVar[tuple[CredentialField, ...]] = (
        CredentialField(
            name="bot_token",
            label=gettext_lazy("Bot token"),
            secret=True,
            help_text=gettext_lazy("The token @BotFather gave you when you created the bot."),
        ),
        CredentialField(
            name="channel",
            label=gettext_lazy("Channel"),
            help_text=gettext_lazy(
                "The public channel's @username, or the numeric id of a private channel"
                " (for example -1001234567890). Make the bot an administrator of the channel"
                " with the right to post messages first."
            ),
        ),
    )

    # -- HTTP --

    def _token(self) -> str:
        token = str(self.credentials.get("bot_token") or self.credentials.get("access_token") or "")
        if not TOKEN_PATTERN.match(token):
            # Also keeps anything but a token (a "/" or "?") out of the URL path.
            raise AuthenticationError(_("The Telegram bot token is missing or malformed."))
        return token

    def _chat_id(self) -> str:
        return self.context.account_id or self.context.handle

    def _call(
        self,
        method: str,
        *,
        payload: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
        publishing: bool = False,
    ) -> Any:
        """One Bot API method: JSON for plain calls, multipart when files are uploaded."""
        url = f"{API_BASE}/bot{self._token()}/{method}"
        kwargs: dict[str, Any] = {"data": data, "files": files} if files else {"json": payload}
        if files:
            kwargs["timeout"] = UPLOAD_TIMEOUT
        try:
            response = self.request("POST", url, **kwargs)
            body = self.json(response)
            if not isinstance(body, dict) or "ok" not in body:
                raise MalformedResponseError(
                    _("Telegram sent an answer in an unknown shape."), status=response.status_code
                )
        except TransientError as exc:
            if publishing and not isinstance(exc, RateLimitedError) and exc.code != NOT_SENT:
                # A timeout after sending, a 5xx or a garbled answer: the message may be out.
                exc.code = OUTCOME_UNKNOWN
            raise
        if not body["ok"]:
            raise self._map(response.status_code, body, response.headers)
        return body.get("result")

    def error_detail(self, response: requests.Response) -> tuple[str, str]:
        body = json_object(response)
        if body is None:
            return "", ""
        return str(body.get("error_code", "")), redact(str(body.get("description", "")))

    def map_error(self, response: requests.Response) -> PlatformError:
        body = json_object(response)
        if body is None:
            return super().map_error(response)
        return self._map(response.status_code, body, response.headers)

    def _map(self, status: int, body: dict[str, Any], headers: Mapping[str, str]) -> PlatformError:
        """Telegram's error object: ``error_code`` (normally the HTTP status), a
        ``description`` and optional ``parameters``."""
        code = body.get("error_code")
        status = code if isinstance(code, int) and status == 200 else status
        description = redact(str(body.get("description") or ""))[:500]
        raw_parameters = body.get("parameters")
        parameters: dict[str, Any] = raw_parameters if isinstance(raw_parameters, dict) else {}
        code_text = str(code or status)
        lowered = description.lower()
        if status == 429:
            retry_after = parameters.get("retry_after")
            return RateLimitedError(
                _("Telegram limits the number of messages; Sprachrohr tries again later."),
                status=status,
                code=code_text,
                retry_after=float(retry_after)
                if isinstance(retry_after, int | float)
                else parse_retry_after(headers.get("Retry-After")),
            )
        if status >= 500:
            return TransientError(
                _("Telegram has a problem (HTTP %(status)d).") % {"status": status},
                status=status,
                code=code_text,
            )
        if status in (401, 404):
            # 401 for a revoked token; the Bot API answers 404 when the token is malformed.
            return AuthenticationError(
                _("Telegram does not accept the bot token (any more): reconnect the channel."),
                status=status,
                code=code_text,
            )
        if parameters.get("migrate_to_chat_id"):
            return AuthenticationError(
                _("The chat has moved to a new id: reconnect the channel."),
                status=status,
                code=code_text,
            )
        if status == 403 or any(marker in lowered for marker in _AUTH_DESCRIPTIONS):
            return AuthenticationError(
                _(
                    "The bot may no longer post in the channel (%(reason)s): make it an"
                    " administrator with the right to post messages, then reconnect."
                )
                % {"reason": description or _("no reason given")},
                status=status,
                code=code_text,
            )
        if any(marker in lowered for marker in _NOT_FOUND_DESCRIPTIONS):
            return RemoteNotFoundError(
                _("Telegram does not know this message (any more)."),
                status=status,
                code=code_text,
            )
        return ContentRejectedError(
            _("Telegram rejected the content: %(reason)s")
            % {"reason": description or _("no reason given")},
            status=status,
            code=code_text,
        )

    # -- validation --

    def text_length(self, content: PostContent) -> int:
        # The same count as validate() below, for the editor's live counter.
        return utf16_length(text_with_link(content))

    def validate(self, content: PostContent) -> list[Problem]:
        problems: list[Problem] = problems_for_malformed_text(content)
        text = text_with_link(content)
        length = utf16_length(text)
        if not content.media:
            if not text:
                problems.append(
                    Problem("text_missing", "text", _("A Telegram message needs a text."))
                )
            elif length > TEXT_MAX:
                problems.append(problem_text_too_long(length, TEXT_MAX))
        elif length > CAPTION_MAX:
            problems.append(
                Problem(
                    "caption_too_long",
                    "text",
                    _(
                        "With photos or videos the text is a caption: it has %(length)d"
                        " characters as Telegram counts them; at most %(limit)d are allowed."
                    )
                    % {"length": length, "limit": CAPTION_MAX},
                )
            )
        problems += problems_for_media_count(
            content, MAX_MEDIA, _("At most %(n)d photos and videos are allowed.")
        )
        problems.extend(
            problems_for_media(
                content,
                max_images=MAX_MEDIA,
                max_videos=MAX_MEDIA,
                image_types=PHOTO_TYPES,
                video_types=VIDEO_TYPES,
                max_image_bytes=MAX_PHOTO_BYTES,
                max_video_bytes=MAX_FILE_BYTES,
                max_alt_text=None,
                mix_allowed=True,  # a media group may mix photos and videos
            )
        )
        for index, item in enumerate(content.media):
            if item.kind == MediaKind.IMAGE and item.width and item.height:
                ratio = max(item.width, item.height) / min(item.width, item.height)
                if item.width + item.height > 10_000 or ratio > 20:
                    problems.append(
                        Problem(
                            "image_dimensions",
                            f"media.{index}",
                            _(
                                "Telegram accepts photos whose width and height add up to at"
                                " most 10,000 pixels, with a ratio of at most 20."
                            ),
                        )
                    )
        if any(item.alt_text for item in content.media):
            problems.append(
                Problem(
                    "alt_text_unsupported",
                    "media",
                    _(
                        "Telegram has no alternative text for images: describe important"
                        " image content in the text."
                    ),
                    severity=ProblemSeverity.WARNING,
                )
            )
        return problems

    # -- connection --

    def _verify(self, channel: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """getMe, getChat, getChatMember: the token works, the chat is a channel and the bot
        is an administrator there that may post. Returns (bot, chat)."""
        bot = self._call("getMe")
        if not isinstance(bot, dict) or not bot.get("is_bot"):
            raise AuthenticationError(_("The token does not belong to a Telegram bot."))
        chat = self._call("getChat", payload={"chat_id": channel})
        if not isinstance(chat, dict):
            raise MalformedResponseError(_("Telegram sent an answer in an unknown shape."))
        if chat.get("type") != "channel":
            raise ContentRejectedError(
                _("“%(chat)s” is not a Telegram channel.") % {"chat": channel},
                code="not_a_channel",
            )
        member = self._call("getChatMember", payload={"chat_id": chat["id"], "user_id": bot["id"]})
        if not isinstance(member, dict) or not (
            member.get("status") == "creator"
            or (member.get("status") == "administrator" and member.get("can_post_messages"))
        ):
            raise AuthenticationError(
                _(
                    "The bot must be an administrator of the channel with the right to post"
                    " messages."
                ),
                code="not_admin",
            )
        return bot, chat

    def test_connection(self) -> AccountInfo:
        _bot, chat = self._verify(self._chat_id())
        return _account_info(chat)

    @classmethod
    def connect_with_form(
        cls, *, base_url: str, values: Mapping[str, str], session: requests.Session
    ) -> AccountChoice:
        token = (values.get("bot_token") or "").strip()
        channel = normalise_channel(values.get("channel") or "")
        if not TOKEN_PATTERN.match(token):
            raise AuthenticationError(
                _("This is not a Telegram bot token (it looks like 123456789:AAE…).")
            )
        if not channel:
            raise ContentRejectedError(
                _("Enter the channel as @username or as its numeric id."), code="channel"
            )
        adapter = cls(
            ChannelContext(platform=cls.platform, account_id=channel),
            {"bot_token": token},
            session=session,
        )
        bot, chat = adapter._verify(channel)
        info = _account_info(chat)
        return AccountChoice(
            account_id=info.account_id,
            name=info.display_name,
            credentials={
                "bot_token": token,
                "bot_id": bot["id"],
                "bot_username": bot.get("username", ""),
            },
            handle=info.handle,
            url=info.url,
        )

    # -- publishing --

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        """sendMessage, sendPhoto, sendVideo or sendMediaGroup (caption on the first item).
        ``idempotency_key`` cannot be passed to Telegram; failures that may have posted
        carry ``code == OUTCOME_UNKNOWN``."""
        self.refuse_invalid(content, joined_by=" ")
        text = text_with_link(content)
        chat_id = self._chat_id()
        if not content.media:
            result = self._call(
                "sendMessage", payload={"chat_id": chat_id, "text": text}, publishing=True
            )
            messages = [result]
        else:
            with contextlib.ExitStack() as stack:
                if len(content.media) == 1:
                    messages = [self._send_single(stack, chat_id, content.media[0], text)]
                else:
                    messages = self._send_group(stack, chat_id, content.media, text)
        if not messages or not all(isinstance(m, dict) and "message_id" in m for m in messages):
            raise MalformedResponseError(
                _("Telegram did not return the sent message."), code=OUTCOME_UNKNOWN
            )
        first = messages[0]
        return PublishResult(
            remote_id=",".join(str(m["message_id"]) for m in messages),
            url=message_url(first.get("chat") or {}, first["message_id"]),
            published_at=datetime.fromtimestamp(first["date"], tz=UTC)
            if isinstance(first.get("date"), int)
            else None,
        )

    @staticmethod
    def _file(stack: contextlib.ExitStack, item: MediaItem) -> tuple[str, Any, str]:
        handle = stack.enter_context(open(item.path, "rb"))  # noqa: SIM115 (closed by the stack)
        return os.path.basename(item.path), handle, item.mime_type

    @staticmethod
    def _video_fields(item: MediaItem) -> dict[str, Any]:
        fields: dict[str, Any] = {"supports_streaming": True}
        if item.width:
            fields["width"] = item.width
        if item.height:
            fields["height"] = item.height
        if item.duration_seconds:
            fields["duration"] = round(item.duration_seconds)
        return fields

    def _send_single(
        self, stack: contextlib.ExitStack, chat_id: str, item: MediaItem, text: str
    ) -> Any:
        data: dict[str, Any] = {"chat_id": chat_id}
        if text:
            data["caption"] = text
        if item.kind == MediaKind.IMAGE:
            return self._call(
                "sendPhoto", data=data, files={"photo": self._file(stack, item)}, publishing=True
            )
        fields = self._video_fields(item)
        data.update(
            {
                key: str(value).lower() if isinstance(value, bool) else str(value)
                for key, value in fields.items()
            }
        )
        return self._call(
            "sendVideo", data=data, files={"video": self._file(stack, item)}, publishing=True
        )

    def _send_group(
        self,
        stack: contextlib.ExitStack,
        chat_id: str,
        media: tuple[MediaItem, ...],
        text: str,
    ) -> list[Any]:
        described: list[dict[str, Any]] = []
        files: dict[str, Any] = {}
        for index, item in enumerate(media):
            name = f"file{index}"
            entry: dict[str, Any] = {
                "type": "photo" if item.kind == MediaKind.IMAGE else "video",
                "media": f"attach://{name}",
            }
            if item.kind == MediaKind.VIDEO:
                entry.update(self._video_fields(item))
            if index == 0 and text:
                # Clients show a lone caption under the whole album.
                entry["caption"] = text
            described.append(entry)
            files[name] = self._file(stack, item)
        result = self._call(
            "sendMediaGroup",
            data={"chat_id": chat_id, "media": jsonlib.dumps(described, ensure_ascii=False)},
            files=files,
            publishing=True,
        )
        return result if isinstance(result, list) else []

    def find_published(self, content: PostContent, idempotency_key: str) -> PublishResult | None:
        """Always None, and here None does NOT mean "not published".

        The Bot API cannot read a channel's history (bots receive channel posts only as live
        updates), and sendMessage has no idempotency key, so nothing can be looked up. A
        failed publish whose outcome is unknown (a read timeout, a 5xx, a garbled answer)
        raises with ``code == OUTCOME_UNKNOWN``: the caller must then mark the post as
        "needs manual check" and must not send it again. Failures with any other code are
        certain not to have posted and may be retried.
        """
        return None

    def delete(self, remote_id: str) -> None:
        """deleteMessage, or deleteMessages for an album (one id per photo/video). Telegram
        lets a bot delete its channel posts only within 48 hours."""
        ids = [int(part) for part in remote_id.split(",") if part.strip().lstrip("-").isdigit()]
        if not ids:
            raise RemoteNotFoundError(_("Telegram does not know this message (any more)."))
        if len(ids) == 1:
            self._call("deleteMessage", payload={"chat_id": self._chat_id(), "message_id": ids[0]})
        else:
            self._call("deleteMessages", payload={"chat_id": self._chat_id(), "message_ids": ids})

    # -- blocking authors --

    # banChatMember / unbanChatMember in the channel's chat (the bot must be an administrator
    # allowed to ban). ``only_if_banned`` keeps an unban from removing someone who is a
    # member. Both answer ``true``; banning twice or unbanning someone not banned succeeds.
    can_block_authors = True
    can_unblock_authors = True

    def _user_id(self, author_remote_id: str) -> int:
        if not author_remote_id.lstrip("-").isdigit():
            raise RemoteNotFoundError(_("Telegram does not know this user."))
        return int(author_remote_id)

    def block_author(self, author_remote_id: str, *, comment_remote_id: str = "") -> None:
        payload = {"chat_id": self._chat_id(), "user_id": self._user_id(author_remote_id)}
        if self._call("banChatMember", payload=payload) is not True:
            raise MalformedResponseError(_("Telegram sent an answer in an unknown shape."))

    def unblock_author(self, author_remote_id: str) -> None:
        payload = {
            "chat_id": self._chat_id(),
            "user_id": self._user_id(author_remote_id),
            "only_if_banned": True,
        }
        if self._call("unbanChatMember", payload=payload) is not True:
            raise MalformedResponseError(_("Telegram sent an answer in an unknown shape."))

    # -- metrics --

    # -- inbox streams: none, each with the reason staff see ("not available") --

    def fetch_comments(self, cursor: str | None) -> CommentPage:
        raise NotSupportedError(
            _(
                "Telegram channel posts have no comment API: comments live in a linked"
                " discussion group, which a bot sees only as one-time updates (getUpdates or"
                " a webhook) that cannot be read again. Not available for this channel."
            )
        )

    def fetch_mentions(self, cursor: str | None) -> CommentPage:
        raise NotSupportedError(
            _("The Telegram Bot API offers no way to find mentions of a channel.")
        )

    def fetch_messages(self, cursor: str | None) -> CommentPage:
        """Private messages citizens send to the bot (after they started it), from
        ``getUpdates``; ``cursor`` is the next ``offset``. Telegram keeps an update until a
        later call confirms it with a higher offset (and for 24 hours at most): the cursor
        is stored only after the batch, so nothing is confirmed before it is stored. Updates
        of groups and channels are passed over (they are not messages to the account)."""
        payload: dict[str, Any] = {
            "timeout": 0,
            "limit": UPDATES_LIMIT,
            "allowed_updates": ["message", "edited_message"],
        }
        if cursor and cursor.isdigit():
            payload["offset"] = int(cursor)
        try:
            updates = self._call("getUpdates", payload=payload)
        except PlatformError as error:
            if error.status != 409:
                raise
            raise NotSupportedError(
                _(
                    "The bot hands its updates to a webhook or to another program reading"
                    " them (Telegram answered “Conflict”): private messages are not"
                    " available for this channel."
                ),
                status=409,
                code=error.code,
            ) from error
        if not isinstance(updates, list):
            raise MalformedResponseError(_("Telegram sent an answer in an unknown shape."))
        items: list[RemoteComment] = []
        next_offset = int(cursor) if cursor and cursor.isdigit() else 0
        for update in updates:
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                continue
            next_offset = max(next_offset, update["update_id"] + 1)
            message = update.get("message") or update.get("edited_message")
            if not isinstance(message, dict) or (message.get("chat") or {}).get("type") != (
                "private"
            ):
                continue
            sender = message.get("from") or {}
            if sender.get("is_bot"):
                continue
            username = str(sender.get("username") or "")
            name = " ".join(
                str(part) for part in (sender.get("first_name"), sender.get("last_name")) if part
            )
            edited = message.get("edit_date")
            items.append(
                RemoteComment(
                    remote_id=f"{message['chat']['id']}:{message.get('message_id')}",
                    post_remote_id="",
                    author_name=name or username,
                    author_id=str(sender.get("id", "")),
                    text=str(message.get("text") or message.get("caption") or ""),
                    created_at=datetime.fromtimestamp(message["date"], tz=UTC)
                    if isinstance(message.get("date"), int)
                    else None,
                    author_handle=f"@{username}" if username else "",
                    author_url=f"https://t.me/{username}" if username else "",
                    kind=RemoteKind.MESSAGE,
                    raw=update,
                    edited_at=datetime.fromtimestamp(edited, tz=UTC)
                    if isinstance(edited, int)
                    else None,
                )
            )
        return CommentPage(
            items=items,
            next_cursor=str(next_offset) if next_offset else cursor,
            has_more=len(updates) >= UPDATES_LIMIT,
        )

    def fetch_account_metrics(self) -> AccountMetrics:
        count = self._call("getChatMemberCount", payload={"chat_id": self._chat_id()})
        if not isinstance(count, int):
            raise MalformedResponseError(_("Telegram sent an answer in an unknown shape."))
        return AccountMetrics(followers=count)


def _account_info(chat: Mapping[str, Any]) -> AccountInfo:
    username = chat.get("username") or ""
    return AccountInfo(
        account_id=str(chat.get("id", "")),
        handle=f"@{username}" if username else "",
        display_name=str(chat.get("title") or username),
        url=f"https://t.me/{username}" if username else "",
    )
