"""Mastodon: any instance (an authority's own, social.bund.de, …) through its REST API.

Documentation this adapter is based on (titles/URLs as the search tool returned them; the
text was read from the official documentation repository ``mastodon/documentation``):

- "apps API methods" (docs.joinmastodon.org/methods/apps, content/en/methods/apps.md):
  ``POST /api/v1/apps`` registers Sprachrohr dynamically on each instance.
- "oauth API methods" (docs.joinmastodon.org/methods/oauth, content/en/methods/oauth.md) and
  "OAuth" (docs.joinmastodon.org/spec/oauth): ``GET /oauth/authorize``, ``POST /oauth/token``,
  ``POST /oauth/revoke``; ``scope`` must be a subset of the registered ``scopes``.
- "statuses API methods" (content/en/methods/statuses.md): ``POST /api/v1/statuses`` with the
  ``Idempotency-Key`` header ("Idempotency keys are stored for up to 1 hour"),
  ``GET``/``DELETE /api/v1/statuses/:id``, the 401/404/422 error bodies ``{"error": "…"}``.
- "media API methods" (docs.joinmastodon.org/methods/media, content/en/methods/media.md):
  ``POST /api/v2/media`` with ``description`` (alt text) answering 200 or 202, then
  ``GET /api/v1/media/:id`` answering 206 while processing.
- "instance API methods" (content/en/methods/instance.md): ``GET /api/v2/instance`` with
  ``configuration.statuses.max_characters``/``characters_reserved_per_url`` and
  ``configuration.media_attachments`` limits.
- "notifications API methods" (content/en/methods/notifications.md): ``types[]=mention``,
  ``min_id`` ("sets a cursor at this ID and paginates forward"), limit max 80.
- "accounts API methods" (content/en/methods/accounts.md): ``verify_credentials``,
  ``GET /api/v1/accounts/:id/statuses``.
- "Posting to your profile" (content/en/user/posting.md): links count as 23 characters, only
  the username part of a mention counts; 4 images or 1 video per post.
- "Rate limits" (content/en/api/rate-limits.md): ``X-RateLimit-Reset`` timestamp; Mastodon
  sends no ``Retry-After``.

Comments: Mastodon has no "comments of my post" endpoint. We use **notifications of type
``mention``** (a reply to one of our statuses mentions us by default) filtered to statuses
whose ``in_reply_to_account_id`` is our account. Unlike walking ``/context`` of every recent
status, this is one request per poll whatever the number of posts, covers old posts too, and
gives a real forward cursor (``min_id``). Trade-off: a reply that deliberately removes the
mention of the authority is not seen; documented in docs/platforms/mastodon.md.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import regex
import requests
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.adapters import oauth2
from channels_app.adapters.base import UPLOAD_TIMEOUT
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.base import Capabilities
from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import PostMetrics
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import RemoteKind
from channels_app.adapters.base import json_object
from channels_app.adapters.base import parse_iso_datetime
from channels_app.adapters.base import problem_text_too_long
from channels_app.adapters.base import problems_for_malformed_text
from channels_app.adapters.base import problems_for_media
from channels_app.adapters.base import problems_for_missing_alt_text
from channels_app.adapters.base import text_with_link
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import ScopeRefusedError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.oauth2 import OAuth2Config
from channels_app.adapters.text import mastodon_length

logger = logging.getLogger(__name__)

CLIENT_NAME = "Sprachrohr"
DEFAULT_MAX_CHARACTERS = 500
DEFAULT_URL_LENGTH = 23
DEFAULT_MAX_MEDIA = 4
# From the GET /api/v2/instance example; the instance's own values win once fetched.
DEFAULT_IMAGE_BYTES = 10_485_760
DEFAULT_VIDEO_BYTES = 41_943_040
DEFAULT_DESCRIPTION_LIMIT = 1500
DEFAULT_IMAGE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "image/avif"}
)
DEFAULT_VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm"})
NOTIFICATIONS_LIMIT = 80  # documented maximum
FIND_LIMIT = 40  # GET /api/v1/accounts/:id/statuses maximum
VISIBILITIES = ("direct", "private", "unlisted", "public")  # narrowest first

_WHITESPACE = regex.compile(r"\s+")
_REMOTE_MENTION = regex.compile(r"(?<![\w/])@([\w.-]*\w)@[\w.-]+\.[a-z]{2,}", regex.IGNORECASE)
_OAUTH_CODE = regex.compile(r"^[a-z_]+$")


class _HTMLToText(HTMLParser):
    """Mastodon returns ``content`` as HTML; staff see plain text (escaped when rendered)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HTMLToText()
    parser.feed(html or "")
    parser.close()
    return unescape("".join(parser.parts)).strip()


def _comparable(text: str) -> str:
    """Text as it can be compared with a status' HTML content: remote mentions reduced to
    the local part (Mastodon renders ``@user@host`` as ``@user``), whitespace collapsed."""
    text = _REMOTE_MENTION.sub(lambda m: "@" + m.group(1), text)
    return _WHITESPACE.sub(" ", text).strip()


def instance_url(base_url: str) -> str:
    """``social.bund.de`` or ``https://social.bund.de/`` → ``https://social.bund.de``."""
    value = (base_url or "").strip().rstrip("/")
    if not value:
        raise PlatformError(_("Enter the address of the Mastodon instance."))
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise PlatformError(_("The address of the Mastodon instance is not valid."))
    return f"{parts.scheme}://{parts.netloc}"


class MastodonAdapter(PlatformAdapter):
    platform = "mastodon"
    reply_deduplicates = True  # see reply()
    capabilities = Capabilities.all_but(
        "hide_comments",  # the API cannot hide other people's replies
        "delete_comments",  # nor delete them
        max_text_length=DEFAULT_MAX_CHARACTERS,  # the instance's own limit applies per channel
        max_images=DEFAULT_MAX_MEDIA,
        content_warning=True,
        text_counting=gettext_lazy(
            "Characters (graphemes) up to the instance's own limit (often 500); every link "
            "counts as 23 characters and a mention only by its user name; a content warning "
            "counts too."
        ),
        idempotency=gettext_lazy(
            "Each post is sent with an Idempotency-Key header, so the instance answers a "
            "retry within an hour with the same post; later, recent posts are compared first."
        ),
    )
    needs_base_url = True
    oauth_scopes = (
        "read:accounts",
        "read:statuses",
        "read:notifications",
        "write:statuses",
        "write:media",
        # Blocking authors from the block register (``POST /api/v1/accounts/:id/block``).
        "write:blocks",
    )
    # Servers that refuse the granular scopes (Takahē answers ``verify_credentials`` with 403
    # ``out_of_scope_for_token``; older or other servers refuse them at registration or
    # authorization) are asked once more for the broad ones (``channels_app.services``).
    oauth_fallback_scopes = ("read", "write")
    # Mastodon 4.3+ implements PKCE (S256); older instances ignore the extra parameters and
    # rely on the confidential client secret, which is always sent as well.
    oauth_uses_pkce = True
    # On the instance (``oauth_server``). Access tokens do not expire and come without a
    # refresh token: nothing to refresh.
    oauth_config = OAuth2Config(
        authorize_url="/oauth/authorize",
        token_url="/oauth/token",  # noqa: S106 (an endpoint, not a secret)
        revoke_url="/oauth/revoke",
        scope_in_code_exchange=True,  # must be a subset of the registered scopes
        no_token_message=gettext_lazy("The platform sent an unexpected answer."),
    )

    #: Seconds between polls of a media attachment that is still processing (tests set 0).
    media_poll_interval: float = 1.0
    media_poll_attempts: int = 60

    def __init__(self, context: ChannelContext, credentials: Mapping[str, Any], **kwargs: Any):
        super().__init__(context, credentials, **kwargs)
        self._account: dict[str, Any] | None = None

    # -- plumbing -------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return instance_url(self.context.base_url)

    def _auth_headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.credentials.get('access_token', '')}"}
        headers.update(extra or {})
        return headers

    def _api(
        self, method: str, path: str, *, headers: Mapping[str, str] | None = None, **kwargs: Any
    ) -> requests.Response:
        return self.request(method, self.base + path, headers=self._auth_headers(headers), **kwargs)

    def _secrets(self) -> list[str]:
        return [
            str(v)
            for k, v in self.credentials.items()
            if k in ("access_token", "refresh_token", "client_secret") and v and len(str(v)) >= 6
        ]

    def error_detail(self, response: requests.Response) -> tuple[str, str]:
        """Mastodon errors are ``{"error": "<sentence>"}``; OAuth endpoints add
        ``error_description`` and use a snake_case code in ``error``."""
        body = json_object(response) or {}
        error = str(body.get("error") or "")
        description = str(body.get("error_description") or "")
        if _OAUTH_CODE.match(error):
            code, reason = error, description or error
        else:
            code, reason = "", error
        for secret in self._secrets():  # never echo a credential into a message
            reason = reason.replace(secret, "…")
        return code, reason

    def map_error(self, response: requests.Response) -> PlatformError:
        if _is_refused_scope(response):
            message = _(
                "The server does not allow this with the access granted: reconnect the channel."
            )
            # The server's own words say which scope it missed: keep them for the admin.
            reason = self.error_detail(response)[1]
            return ScopeRefusedError(
                f"{message} ({reason})" if reason else message,
                status=response.status_code,
                code="insufficient_scope",
            )
        if _is_refused_token(response):
            code = self.error_detail(response)[0]
            return AuthenticationError(
                _("The server no longer accepts the access: reconnect the channel."),
                status=response.status_code,
                code=code or "invalid_token",
            )
        error = super().map_error(response)
        if (
            isinstance(error, RateLimitedError)
            and error.retry_after is None
            and response.headers.get("X-RateLimit-Reset")
        ):
            # Mastodon sends no Retry-After, only the reset time as an ISO 8601 timestamp.
            reset = parse_iso_datetime(response.headers["X-RateLimit-Reset"])
            if reset is not None:
                error.retry_after = max((reset - datetime.now(UTC)).total_seconds(), 0.0)
        return error

    def _account_data(self) -> dict[str, Any]:
        if self._account is None:
            data = self.json(self._api("GET", "/api/v1/accounts/verify_credentials"))
            if not isinstance(data, dict) or "id" not in data:
                raise MalformedResponseError(_("The platform sent an unexpected answer."))
            self._account = data
        return self._account

    def _own_account_id(self) -> str:
        return self.context.account_id or str(self._account_data()["id"])

    def _handle(self, account: Mapping[str, Any]) -> str:
        acct = str(account.get("acct") or account.get("username") or "")
        if "@" not in acct:
            acct = f"{acct}@{urlsplit(self.base).netloc}"
        return "@" + acct

    # -- instance limits ----------------------------------------------------------------

    def fetch_instance_limits(self) -> dict[str, Any]:
        """The instance's configured limits, for the caller to store in
        ``ChannelContext.settings`` (refresh them daily or at connect time)."""
        try:
            data = self.json(self.request("GET", self.base + "/api/v2/instance"))
        except RemoteNotFoundError:
            # Instances older than 4.0 only have v1, with the same ``configuration``.
            data = self.json(self.request("GET", self.base + "/api/v1/instance"))
        if not isinstance(data, dict):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        config = data.get("configuration") or {}
        statuses = config.get("statuses") or {}
        media = config.get("media_attachments") or {}
        limits: dict[str, Any] = {
            "max_characters": int(
                statuses.get("max_characters")
                or data.get("max_toot_chars")  # some forks (Pleroma/glitch) use this
                or DEFAULT_MAX_CHARACTERS
            ),
            "characters_reserved_per_url": int(
                statuses.get("characters_reserved_per_url") or DEFAULT_URL_LENGTH
            ),
            "max_media_attachments": int(
                statuses.get("max_media_attachments") or DEFAULT_MAX_MEDIA
            ),
            "description_limit": int(media.get("description_limit") or DEFAULT_DESCRIPTION_LIMIT),
            "image_size_limit": int(media.get("image_size_limit") or DEFAULT_IMAGE_BYTES),
            "video_size_limit": _size_limit(media.get("video_size_limit"), DEFAULT_VIDEO_BYTES),
        }
        if media.get("supported_mime_types"):
            limits["supported_mime_types"] = [str(t) for t in media["supported_mime_types"]]
        return limits

    # -- validation -----------------------------------------------------------------------

    def text_length(self, content: PostContent) -> int:
        # The same count as validate() below, for the editor's live counter.
        url_length = int(
            self.context.settings.get("characters_reserved_per_url", DEFAULT_URL_LENGTH)
        )
        return self._length(content, url_length)

    @staticmethod
    def _length(content: PostContent, url_length: int) -> int:
        return mastodon_length(
            text_with_link(content), url_length=url_length, spoiler_text=content.spoiler_text
        )

    def validate(self, content: PostContent) -> list[Problem]:
        s = self.context.settings
        limit = int(s.get("max_characters", DEFAULT_MAX_CHARACTERS))
        url_length = int(s.get("characters_reserved_per_url", DEFAULT_URL_LENGTH))
        problems: list[Problem] = problems_for_malformed_text(content)
        if not content.text.strip() and not content.media:
            problems.append(Problem("text_empty", "text", _("The post needs a text or media.")))
        length = self._length(content, url_length)
        if length > limit:
            problems.append(problem_text_too_long(length, limit))
        supported = s.get("supported_mime_types")
        image_types = (
            frozenset(t for t in supported if t.startswith("image/"))
            if supported
            else DEFAULT_IMAGE_TYPES
        )
        video_types = (
            frozenset(t for t in supported if t.startswith("video/"))
            if supported
            else DEFAULT_VIDEO_TYPES
        )
        problems += problems_for_media(
            content,
            max_images=int(s.get("max_media_attachments", DEFAULT_MAX_MEDIA)),
            # "Only one video can be attached, per post."; a limit of 0 means the server
            # takes none (GoToSocial and Akkoma configured without video).
            max_videos=1 if int(s.get("video_size_limit", DEFAULT_VIDEO_BYTES)) else 0,
            image_types=image_types,
            video_types=video_types,
            max_image_bytes=int(s.get("image_size_limit", DEFAULT_IMAGE_BYTES)),
            max_video_bytes=int(s.get("video_size_limit", DEFAULT_VIDEO_BYTES)),
            max_alt_text=int(s.get("description_limit", DEFAULT_DESCRIPTION_LIMIT)),
        )
        for index, item in enumerate(content.media):
            problems += problems_for_missing_alt_text(item, f"media.{index}")
        return problems

    # -- account ----------------------------------------------------------------------------

    def test_connection(self) -> AccountInfo:
        self._account = None
        account = self._account_data()
        return AccountInfo(
            account_id=str(account["id"]),
            handle=self._handle(account),
            display_name=str(account.get("display_name") or account.get("username") or ""),
            url=str(account.get("url") or ""),
        )

    def fetch_account_metrics(self) -> AccountMetrics:
        self._account = None
        account = self._account_data()
        return AccountMetrics(
            followers=account.get("followers_count"),
            following=account.get("following_count"),
            posts=account.get("statuses_count"),
        )

    # -- publishing -------------------------------------------------------------------------

    def _upload_media(self, item: MediaItem) -> str:
        form = {"description": item.alt_text} if item.alt_text else {}
        files = {"file": (os.path.basename(item.path), item.read(), item.mime_type)}
        response = self._api(
            "POST",
            "/api/v2/media",
            data=form,
            files=files,
            timeout=UPLOAD_TIMEOUT,
            expected=(200, 202),
        )
        media = self.json(response)
        if not isinstance(media, dict) or not media.get("id"):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        media_id = str(media["id"])
        if response.status_code == 202:
            # Large files are processed asynchronously: the status may only reference the
            # attachment once GET /api/v1/media/:id answers 200 instead of 206.
            self._wait_for_media(media_id)
        return media_id

    def _wait_for_media(self, media_id: str) -> None:
        for _attempt in range(self.media_poll_attempts):
            response = self._api("GET", f"/api/v1/media/{media_id}", expected=(200, 206))
            if response.status_code == 200:
                return
            time.sleep(self.media_poll_interval)
        raise TransientError(_("The platform is still processing the media file."))

    def _status_result(self, status: Any) -> PublishResult:
        if not isinstance(status, dict) or not status.get("id"):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        return PublishResult(
            remote_id=str(status["id"]),
            url=str(status.get("url") or status.get("uri") or ""),
            published_at=parse_iso_datetime(status.get("created_at")),
        )

    def _post_status(self, fields: list[tuple[str, str]], idempotency_key: str) -> PublishResult:
        response = self._api(
            "POST",
            "/api/v1/statuses",
            data=fields,
            headers={"Idempotency-Key": idempotency_key},
        )
        result = self._status_result(self.json(response))
        logger.info("Mastodon status %s published", result.remote_id)
        return result

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        media_ids = [self._upload_media(item) for item in content.media]
        fields: list[tuple[str, str]] = []
        text = text_with_link(content)
        if text:
            fields.append(("status", text))
        if content.spoiler_text.strip():
            fields.append(("spoiler_text", content.spoiler_text))
        fields += [("media_ids[]", media_id) for media_id in media_ids]
        fields.append(("visibility", str(self.context.settings.get("visibility", "public"))))
        language = self.context.settings.get("language", "de")
        if language:
            fields.append(("language", str(language)))
        return self._post_status(fields, idempotency_key)

    def find_published(self, content: PostContent, idempotency_key: str) -> PublishResult | None:
        """The Idempotency-Key only lives for an hour on the instance; after that, look for
        the post among the account's most recent own statuses made by Sprachrohr."""
        account_id = self._own_account_id()
        statuses = self.json(
            self._api(
                "GET",
                f"/api/v1/accounts/{account_id}/statuses",
                params={"limit": FIND_LIMIT, "exclude_replies": "true", "exclude_reblogs": "true"},
            )
        )
        if not isinstance(statuses, list):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        wanted = _comparable(text_with_link(content))
        wanted_alts = [m.alt_text for m in content.media]
        wanted_warning = _comparable(content.spoiler_text)
        for status in statuses:
            if not isinstance(status, dict):
                continue
            application = status.get("application") or {}
            if application and application.get("name") not in (None, CLIENT_NAME):
                continue  # posted by hand or by another app: not ours
            if _comparable(html_to_text(str(status.get("content") or ""))) != wanted:
                continue
            if _comparable(str(status.get("spoiler_text") or "")) != wanted_warning:
                continue  # the same text under another content warning is another post
            attachments = status.get("media_attachments") or []
            if len(attachments) != len(content.media):
                continue
            if not wanted and [a.get("description") or "" for a in attachments] != wanted_alts:
                continue
            return self._status_result(status)
        return None

    def delete(self, remote_id: str) -> None:
        self._api("DELETE", f"/api/v1/statuses/{remote_id}")

    # -- metrics ----------------------------------------------------------------------------

    def fetch_post_metrics(
        self, remote_ids: list[str], *, insights: bool = True
    ) -> list[PostMetrics]:
        metrics: list[PostMetrics] = []
        for remote_id in remote_ids:
            try:
                status = self.json(self._api("GET", f"/api/v1/statuses/{remote_id}"))
            except RemoteNotFoundError:
                continue  # deleted on the platform; the caller keeps the last numbers
            if not isinstance(status, dict):
                raise MalformedResponseError(_("The platform sent an unexpected answer."))
            metrics.append(
                PostMetrics(
                    remote_id=str(status.get("id") or remote_id),
                    likes=status.get("favourites_count"),
                    shares=status.get("reblogs_count"),
                    comments=status.get("replies_count"),
                )
            )
        return metrics

    # -- comments ---------------------------------------------------------------------------

    def fetch_comments(self, cursor: str | None) -> CommentPage:
        """Replies to our statuses, from mention notifications newer than ``cursor`` (a
        notification id). Without a cursor: the newest page only (no backfill)."""
        return self._mentions(cursor, RemoteKind.COMMENT)

    def fetch_mentions(self, cursor: str | None) -> CommentPage:
        """Statuses that mention the account without answering one of its statuses (a
        citizen's own post naming the authority), public or for followers."""
        return self._mentions(cursor, RemoteKind.MENTION)

    def fetch_messages(self, cursor: str | None) -> CommentPage:
        """Direct messages: Mastodon has no separate message API; a status with
        ``visibility: direct`` that mentions the account is one (it arrives as a mention
        notification, and ``/api/v1/conversations`` groups the same statuses)."""
        return self._mentions(cursor, RemoteKind.MESSAGE)

    def _kind_of(self, status: Mapping[str, Any], own_id: str) -> RemoteKind:
        if status.get("visibility") == "direct":
            return RemoteKind.MESSAGE
        if status.get("in_reply_to_id") and str(status.get("in_reply_to_account_id")) == own_id:
            return RemoteKind.COMMENT
        return RemoteKind.MENTION

    def _mentions(self, cursor: str | None, kind: RemoteKind) -> CommentPage:
        """One page of mention notifications after ``cursor`` (``min_id``: the page right
        after it, oldest first), the statuses of ``kind`` among them. A direct reply to one
        of our statuses is a comment, so it is never lost, and a message too."""
        own_id = self._own_account_id()
        params: list[tuple[str, str]] = [
            ("types[]", "mention"),
            ("limit", str(NOTIFICATIONS_LIMIT)),
        ]
        if cursor:
            params.append(("min_id", cursor))
        notifications = self.json(self._api("GET", "/api/v1/notifications", params=params))
        if not isinstance(notifications, list):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        items: list[RemoteComment] = []
        newest = cursor
        for notification in notifications:
            if not isinstance(notification, dict) or not notification.get("id"):
                continue
            notification_id = str(notification["id"])
            if newest is None or _id_greater(notification_id, newest):
                newest = notification_id
            status = notification.get("status") or {}
            if notification.get("type") != "mention" or not status.get("id"):
                continue
            status_kind = self._kind_of(status, own_id)
            if kind == RemoteKind.COMMENT:
                # A direct reply to one of our statuses is a comment as well as a message.
                if not status.get("in_reply_to_id"):
                    continue
                if str(status.get("in_reply_to_account_id")) != own_id:
                    continue  # a mention elsewhere, not a reply to the authority
            elif status_kind != kind:
                continue
            account = status.get("account") or notification.get("account") or {}
            reply_to = str(status.get("in_reply_to_id") or "")
            items.append(
                RemoteComment(
                    remote_id=str(status["id"]),
                    post_remote_id=reply_to if kind == RemoteKind.COMMENT else "",
                    author_name=str(account.get("display_name") or account.get("acct") or ""),
                    author_id=str(account.get("id") or ""),
                    text=html_to_text(str(status.get("content") or "")),
                    created_at=parse_iso_datetime(status.get("created_at")),
                    parent_remote_id=reply_to,
                    url=str(status.get("url") or status.get("uri") or ""),
                    author_handle=self._handle(account) if account.get("acct") else "",
                    author_url=str(account.get("url") or ""),
                    kind=kind,
                    raw=status,
                    edited_at=parse_iso_datetime(status.get("edited_at")),
                    by_account=str(account.get("id") or "") == own_id,
                )
            )
        items.sort(key=lambda c: (len(c.remote_id), c.remote_id))
        return CommentPage(
            items=items,
            next_cursor=newest,
            # min_id returns the page right after the cursor: a full page may have more.
            has_more=len(notifications) >= NOTIFICATIONS_LIMIT,
        )

    def reply(self, comment: RemoteComment, text: str, idempotency_key: str = "") -> PublishResult:
        parent = self.json(self._api("GET", f"/api/v1/statuses/{comment.remote_id}"))
        if not isinstance(parent, dict):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        acct = str((parent.get("account") or {}).get("acct") or "")
        body = text
        # Mastodon does not add the mention itself; without it the person is not notified.
        if acct and not text.lstrip().startswith(f"@{acct}"):
            body = f"@{acct} {text}"
        # Never reply more publicly than the person wrote (a private mention stays private).
        visibility = str(parent.get("visibility") or "public")
        if visibility not in VISIBILITIES:
            visibility = "public"
        fields = [
            ("status", body),
            ("in_reply_to_id", comment.remote_id),
            ("visibility", visibility),
        ]
        language = self.context.settings.get("language", "de")
        if language:
            fields.append(("language", str(language)))
        # The caller's key where given: two replies of the same text stay two replies.
        key = (
            idempotency_key
            or hashlib.sha256(f"reply:{comment.remote_id}:{text}".encode()).hexdigest()
        )
        return self._post_status(fields, key)

    # -- blocking authors -------------------------------------------------------------------

    # POST /api/v1/accounts/:id/block and /unblock answer with the Relationship; both are
    # idempotent at the instance. They need the ``write:blocks`` scope: a channel connected
    # without it gets a 403 (reconnect), shown on the register entry.
    can_block_authors = True
    can_unblock_authors = True

    def _relationship(self, author_remote_id: str, action: str) -> dict[str, Any]:
        account_id = requests.utils.quote(author_remote_id, safe="")
        body = self.json(self._api("POST", f"/api/v1/accounts/{account_id}/{action}"))
        if not isinstance(body, dict):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        return body

    def block_author(self, author_remote_id: str, *, comment_remote_id: str = "") -> None:
        if self._relationship(author_remote_id, "block").get("blocking") is not True:
            raise MalformedResponseError(_("The instance did not confirm the block."))

    def unblock_author(self, author_remote_id: str) -> None:
        if self._relationship(author_remote_id, "unblock").get("blocking") is not False:
            raise MalformedResponseError(_("The instance did not confirm the unblock."))

    # -- credentials ------------------------------------------------------------------------

    def revoke(self) -> None:
        client_id = self.credentials.get("client_id")
        client_secret = self.credentials.get("client_secret")
        token = self.credentials.get("access_token")
        if not (client_id and client_secret and token):
            return
        oauth2.revoke_token(self, token, client=OAuthClient(client_id, client_secret))

    # -- connecting -------------------------------------------------------------------------

    @classmethod
    def oauth_client(
        cls,
        *,
        base_url: str,
        redirect_uri: str,
        session: requests.Session,
        scopes: tuple[str, ...] = (),
    ) -> OAuthClient:
        """Register Sprachrohr on the instance (``POST /api/v1/apps``) with ``scopes`` (empty:
        the granular ``oauth_scopes``); a server that refuses those scopes is asked for the
        broad ``oauth_fallback_scopes``. The client returned names the scopes registered.

        Call this only when no registration is stored for the instance yet: the caller
        persists the returned client (encrypted, it is a password) per instance and passes it
        to ``oauth_authorize_url``/``oauth_exchange_code`` from then on. Registering anew on
        every connect would litter the instance with apps."""
        adapter = cls.without_channel(session, base_url)
        wanted = scopes or cls.oauth_scopes
        try:
            return adapter._register(redirect_uri, wanted)
        except ContentRejectedError as error:
            if wanted == cls.oauth_fallback_scopes or not _about_scopes(error):
                raise
            logger.info("%s refused the granular scopes: registering with read write", base_url)
            return adapter._register(redirect_uri, cls.oauth_fallback_scopes)

    def _register(self, redirect_uri: str, scopes: tuple[str, ...]) -> OAuthClient:
        response = self.request(
            "POST",
            self.base + "/api/v1/apps",
            data={
                "client_name": CLIENT_NAME,
                "redirect_uris": redirect_uri,
                "scopes": " ".join(scopes),
                "website": settings.SITE_URL,
            },
        )
        app = self.json(response)
        if not isinstance(app, dict) or not app.get("client_id") or not app.get("client_secret"):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        return OAuthClient(
            client_id=str(app["client_id"]), client_secret=str(app["client_secret"]), scopes=scopes
        )

    @classmethod
    def oauth_server(cls, base_url: str) -> str:
        return instance_url(base_url)

    def oauth_accounts(self, client: OAuthClient) -> list[AccountChoice]:
        # Kept with the token because revoking it needs the app registration.
        self.credentials.update(client_id=client.client_id, client_secret=client.client_secret)
        return super().oauth_accounts(client)


def _size_limit(value: Any, default: int) -> int:
    """An instance's byte limit: missing means Mastodon's default, but 0 is a real answer
    ("none accepted"), not a missing value."""
    if value is None or value == "":
        return default
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return default


# What Mastodon-API servers answer for a bearer token they no longer accept, besides 401:
# RFC 6750's code (in the body or the WWW-Authenticate header) and Doorkeeper's wording.
# Not invalid_grant: at the token endpoint that is about the authorisation code.
_TOKEN_ERRORS = frozenset({"invalid_token"})
_TOKEN_REASON = regex.compile(
    r"access token (?:is )?(?:invalid|was revoked|expired)|invalid[_ ]token|token.{0,20}revoked",
    regex.IGNORECASE,
)


# A token without the scope a call needs: Takahē's code, Mastodon's (Doorkeeper's) sentence,
# RFC 6750's code in the body or the WWW-Authenticate header.
_SCOPE_ERRORS = frozenset({"out_of_scope_for_token", "insufficient_scope"})
_SCOPE_REASON = regex.compile(r"outside the authori[sz]ed scopes", regex.IGNORECASE)


def _is_refused_scope(response: requests.Response) -> bool:
    if response.status_code not in (401, 403):
        return False
    if 'error="insufficient_scope"' in response.headers.get("WWW-Authenticate", ""):
        return True
    body = json_object(response)
    if body is None:
        return False
    error = str(body.get("error") or "")
    return error in _SCOPE_ERRORS or bool(_SCOPE_REASON.search(error))


def _about_scopes(error: PlatformError) -> bool:
    """A registration or authorization refused because of the scopes asked for (Doorkeeper:
    "Scopes doesn't match configured on the server.", OAuth's ``invalid_scope``)."""
    return error.code == "invalid_scope" or "scope" in error.message.casefold()


def _is_refused_token(response: requests.Response) -> bool:
    """An authentication failure recognised by its meaning, not only by 401: Takahē answers
    a revoked token with 400 and an HTML page, other servers with 403 and ``invalid_token``.
    A 400/403 without a JSON body comes from the server's authentication layer, not from
    status validation (that answers 422 with JSON)."""
    if response.status_code not in (400, 403):
        return False
    challenge = response.headers.get("WWW-Authenticate", "")
    if any(f'error="{code}"' in challenge for code in _TOKEN_ERRORS):
        return True
    try:
        body = response.json()
    except ValueError:
        return True
    if not isinstance(body, dict):
        return False
    error = str(body.get("error") or "")
    description = str(body.get("error_description") or "")
    return error in _TOKEN_ERRORS or bool(_TOKEN_REASON.search(f"{error} {description}"))


def _id_greater(a: str, b: str) -> bool:
    """Mastodon ids are numeric strings (snowflakes); compare numerically when possible."""
    if a.isdigit() and b.isdigit():
        return int(a) > int(b)
    return (len(a), a) > (len(b), b)
