"""The one interface every platform adapter implements, and the data it speaks.

Adapters know nothing of the ORM: they receive a ``ChannelContext`` (where the account is)
and a credentials dict (decrypted just for this call), and they return plain dataclasses.
Credentials an adapter renews during a call (a Bluesky session, a refreshed OAuth token) are
handed back through ``on_credentials_changed`` so that the caller stores them encrypted.
"""

from __future__ import annotations

import email.utils
import logging
import time
from abc import ABC
from abc import abstractmethod
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from typing import Any
from typing import ClassVar
from typing import Self
from typing import TypeVar

import requests
import urllib3
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from channels_app.adapters import oauth2
from channels_app.adapters.errors import NOT_SENT
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.oauth2 import OAuth2Config
from channels_app.adapters.oauth2 import OAuthClient
from channels_app.adapters.text import grapheme_count
from channels_app.adapters.text import has_lone_surrogates
from channels_app.models import Platform

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
UPLOAD_READ_TIMEOUT = 120.0
# (connect, read) seconds for requests that carry a file.
UPLOAD_TIMEOUT = (CONNECT_TIMEOUT, UPLOAD_READ_TIMEOUT)


# --- What goes in -------------------------------------------------------------------------


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


@dataclass(frozen=True)
class MediaItem:
    """A file ready for upload. ``path`` is local; nothing is fetched from elsewhere."""

    path: str
    mime_type: str
    kind: MediaKind
    size: int
    alt_text: str = ""
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    captions_path: str | None = None  # WebVTT/SRT subtitles for videos
    public_url: str | None = None  # for platforms that fetch media by URL (Instagram)

    def read(self) -> bytes:
        with open(self.path, "rb") as handle:
            return handle.read()


@dataclass(frozen=True)
class PostContent:
    """``link`` (the same information on the authority's website) must reach the reader on
    every platform: as a link card where the platform has one, else appended to the text
    unless the text already contains it."""

    text: str
    media: tuple[MediaItem, ...] = ()
    link: str = ""  # the same information on the authority's own website
    title: str = ""  # YouTube needs a title; others ignore it
    # A content warning (Mastodon's ``spoiler_text``): Mastodon-API servers show it before
    # the text and count it towards the limit; other platforms have none and ignore it.
    spoiler_text: str = ""
    # When the publication is planned for; stable across retries (Bluesky's record key
    # carries it). None where nothing is planned (validation, previews).
    planned_at: datetime | None = None


@dataclass(frozen=True)
class ChannelContext:
    """Where the account lives: ``base_url`` is the Mastodon instance or Bluesky PDS,
    ``account_id`` the platform's id of the page/profile/channel/chat."""

    platform: str
    account_id: str = ""
    handle: str = ""
    base_url: str = ""
    settings: Mapping[str, Any] = field(default_factory=dict)


# --- What comes out ------------------------------------------------------------------------


class ProblemSeverity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """A validation problem the editor shows live: ``code`` is stable, ``message`` translated."""

    code: str
    field: str
    message: str
    severity: ProblemSeverity = ProblemSeverity.ERROR


@dataclass(frozen=True)
class PublishResult:
    remote_id: str
    url: str
    published_at: datetime | None = None
    # Published, but something secondary failed (a YouTube caption track): shown to staff.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostMetrics:
    remote_id: str
    impressions: int | None = None
    reach: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    clicks: int | None = None
    video_views: int | None = None


@dataclass(frozen=True)
class AccountMetrics:
    followers: int | None = None
    following: int | None = None
    posts: int | None = None
    impressions: int | None = None


class RemoteKind(StrEnum):
    """What a fetched item is to the account: a comment (or reply) under one of its posts,
    a mention of the account elsewhere, or a direct (private) message."""

    COMMENT = "comment"
    MENTION = "mention"
    MESSAGE = "message"


@dataclass(frozen=True)
class RemoteComment:
    """One item as the platform sent it. ``post_remote_id`` is the post of ours it hangs
    under (empty for mentions elsewhere and messages); ``raw`` is the platform's JSON object
    of the item, kept as evidence. ``deleted``/``is_hidden`` report a state the platform
    changed (a poller that sees an item again compares); ``by_account`` marks items the
    account wrote itself (our replies), which are nobody's work in the inbox."""

    remote_id: str
    post_remote_id: str
    author_name: str
    author_id: str
    text: str  # plain text as the platform sent it; always escaped when rendered
    created_at: datetime | None
    parent_remote_id: str = ""
    url: str = ""
    is_hidden: bool = False
    author_handle: str = ""
    author_url: str = ""
    kind: RemoteKind = RemoteKind.COMMENT
    raw: Mapping[str, Any] = field(default_factory=dict)
    edited_at: datetime | None = None
    deleted: bool = False
    by_account: bool = False


@dataclass(frozen=True)
class CommentPage:
    """``next_cursor`` is where the next poll starts (opaque, stored per channel), not a
    "more pages" flag: callers store it and deduplicate comments by ``remote_id``.
    ``has_more`` says that the platform already holds the next page, so a poller may ask
    again at once instead of waiting for its next turn."""

    items: list[RemoteComment]
    next_cursor: str | None
    has_more: bool = False
    # Items the platform reports deleted since the cursor (tombstones, ``deleted`` set),
    # where its API tells: kept apart so that ``items`` lists only what exists.
    removed: list[RemoteComment] = field(default_factory=list)


@dataclass(frozen=True)
class AccountInfo:
    account_id: str
    handle: str
    display_name: str
    url: str = ""


@dataclass(frozen=True)
class Capabilities:
    """What the platform's API lets Sprachrohr do; shown per channel in the UI."""

    publish_text: bool
    publish_images: bool
    publish_video: bool
    alt_text: bool
    delete: bool
    comments: bool
    reply: bool
    hide_comments: bool
    delete_comments: bool
    post_metrics: bool
    account_metrics: bool
    max_text_length: int | None
    max_images: int
    requires_media: bool = False
    # False where the platform offers no way to find a post after an unknown outcome
    # (Telegram): callers must then ask a person instead of publishing again.
    can_find_published: bool = True
    # A content warning before the text (``PostContent.spoiler_text``): Mastodon-API servers.
    content_warning: bool = False
    text_counting: str | Promise = ""  # a short translated note on how length is counted
    idempotency: str | Promise = ""  # how a retry can never create a second post

    @classmethod
    def all_but(
        cls,
        *missing: str,
        max_text_length: int | None,
        max_images: int,
        requires_media: bool = False,
        can_find_published: bool = True,
        content_warning: bool = False,
        text_counting: str | Promise = "",
        idempotency: str | Promise = "",
    ) -> Capabilities:
        """Every operation of ``OPERATIONS`` offered except the ``missing`` ones, so that a
        declaration names only what its platform lacks."""
        unknown = set(missing) - set(OPERATIONS)
        if unknown:
            raise ValueError(f"Unknown operations: {sorted(unknown)}")
        offered = {operation: operation not in missing for operation in OPERATIONS}
        return cls(
            **offered,
            max_text_length=max_text_length,
            max_images=max_images,
            requires_media=requires_media,
            can_find_published=can_find_published,
            content_warning=content_warning,
            text_counting=text_counting,
            idempotency=idempotency,
        )


# The operations a ``Capabilities`` says yes or no to, in the order of its fields.
OPERATIONS = (
    "publish_text",
    "publish_images",
    "publish_video",
    "alt_text",
    "delete",
    "comments",
    "reply",
    "hide_comments",
    "delete_comments",
    "post_metrics",
    "account_metrics",
)


# --- Connecting ---------------------------------------------------------------------------


class ConnectMethod(StrEnum):
    OAUTH = "oauth"  # redirect to the platform, authorization code (+ PKCE where supported)
    FORM = "form"  # credentials typed in: Bluesky handle + app password, Telegram bot token


@dataclass(frozen=True)
class CredentialField:
    """A field of the connect form for ``ConnectMethod.FORM``; ``secret`` fields are
    write-only (rendered as password inputs, never shown again)."""

    name: str
    label: StrOrPromise
    secret: bool = False
    help_text: StrOrPromise = ""


@dataclass(frozen=True)
class AccountChoice:
    """One account the connecting person may pick after OAuth (a Facebook page, a LinkedIn
    organisation), with the credentials and context that channel would use."""

    account_id: str
    name: str
    credentials: dict[str, Any]
    handle: str = ""
    url: str = ""


# --- The interface -------------------------------------------------------------------------


def default_timeout() -> tuple[float, float]:
    """(connect, read) seconds; ``PLATFORM_READ_TIMEOUT`` lets operators (and the fault
    tests) shorten how long a silent platform may keep a worker."""
    return CONNECT_TIMEOUT, float(getattr(settings, "PLATFORM_READ_TIMEOUT", READ_TIMEOUT))


def user_agent() -> str:
    return f"Sprachrohr/{getattr(settings, 'SPRACHROHR_VERSION', '0.1')} (+{settings.SITE_URL})"


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` is seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    parsed = email.utils.parsedate_to_datetime(value) if "," in value else None
    if parsed is None:
        return None
    return max(parsed.timestamp() - time.time(), 0.0)


def parse_iso_datetime(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as the platforms send it ("Z", "+00:00" or Meta's "+0000"); a
    time without offset is taken as UTC, anything else unreadable is None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def json_object(response: requests.Response) -> dict[str, Any] | None:
    """The answer's body where it is a JSON object, else None: an error answer is read
    leniently (a proxy's HTML page or a bare string says nothing that could be mapped)."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def oauth_error_detail(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """(code, reason) of an OAuth 2 endpoint's error answer, ``{"error": "invalid_grant",
    "error_description": …}`` (RFC 6749 §5.2); None for any other shape."""
    error = body.get("error")
    if not isinstance(error, str):
        return None
    return error, str(body.get("error_description") or error)


def item_gone(*, status: int | None = None, code: str = "") -> RemoteNotFoundError:
    """The error for a post or comment the platform does not know (any more), whatever told
    us so (an HTTP 404/410, a platform error code, an identifier that cannot be one)."""
    return RemoteNotFoundError(
        _("The platform does not know this item (any more)."), status=status, code=code
    )


# The errors every platform's mapping ends in, each with its one message; ``reason`` is the
# platform's own words (empty where it gave none).


def rate_limited(*, status: int, code: str, retry_after: float | None) -> RateLimitedError:
    return RateLimitedError(
        _("The platform limits the number of requests; Sprachrohr tries again later."),
        status=status,
        code=code,
        retry_after=retry_after,
    )


def access_ended(*, status: int, code: str) -> AuthenticationError:
    return AuthenticationError(
        _("The platform no longer accepts the access: reconnect the channel."),
        status=status,
        code=code,
    )


def access_refused(reason: str, *, status: int, code: str) -> AuthenticationError:
    return AuthenticationError(
        _("The platform refused the access (missing permission): %(reason)s")
        % {"reason": reason or _("no reason given")},
        status=status,
        code=code,
    )


def content_rejected(reason: str, *, status: int, code: str) -> ContentRejectedError:
    return ContentRejectedError(
        _("The platform rejected the content: %(reason)s")
        % {"reason": reason or _("no reason given")},
        status=status,
        code=code,
    )


def error_for_status(
    status: int, *, code: str, reason: str, retry_after: float | None
) -> PlatformError:
    """The error class an HTTP status stands for, where the platform's body says nothing more
    specific: 429 and 5xx are transient (``retry_after`` as the platform asked), 401/403 need a
    reconnect, 404/410 are gone, every other refusal is about the content."""
    if status == 429:
        return rate_limited(status=status, code=code, retry_after=retry_after)
    if status >= 500:
        return TransientError(
            _("The platform has a problem (HTTP %(status)d).") % {"status": status},
            status=status,
            code=code,
            retry_after=retry_after,
        )
    if status == 401:
        return access_ended(status=status, code=code)
    if status == 403:
        return access_refused(reason, status=status, code=code)
    if status in (404, 410):
        return item_gone(status=status, code=code)
    return content_rejected(reason, status=status, code=code)


class PlatformAdapter(ABC):
    """Base class: HTTP with timeouts, a product User-Agent and one error mapping.

    Subclasses implement the operations their platform offers and raise
    ``NotSupportedError`` (via ``unsupported``) for the rest, consistent with
    ``capabilities``. ``idempotency`` in the capabilities documents how a retried publish is
    kept from creating a second post, and ``find_published`` implements the recovery lookup.
    """

    platform: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    connect_method: ClassVar[ConnectMethod] = ConnectMethod.OAUTH
    credential_fields: ClassVar[tuple[CredentialField, ...]] = ()
    needs_base_url: ClassVar[bool] = False  # Mastodon: which instance; Bluesky: optional PDS
    oauth_scopes: ClassVar[tuple[str, ...]] = ()
    # Asked for instead when the server refuses ``oauth_scopes`` (Mastodon-API servers that
    # know only ``read write``); empty: no second try.
    oauth_fallback_scopes: ClassVar[tuple[str, ...]] = ()
    oauth_uses_pkce: ClassVar[bool] = False
    # The platform's OAuth 2 endpoints, run by the shared layer (``oauth2``); None where the
    # platform is not connected with OAuth 2.
    oauth_config: ClassVar[OAuth2Config | None] = None
    # A reply sent again with the same idempotency key is answered with the first one
    # (a platform Idempotency-Key, a deterministic record key): retrying is always safe.
    reply_deduplicates: ClassVar[bool] = False
    # ``find_reply`` can tell whether a reply whose answer was lost exists.
    can_find_reply: ClassVar[bool] = False

    def __init__(
        self,
        context: ChannelContext,
        credentials: Mapping[str, Any],
        *,
        session: requests.Session | None = None,
        on_credentials_changed: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.context = context
        self.credentials = dict(credentials)
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent()
        self._on_credentials_changed = on_credentials_changed

    @classmethod
    def without_channel(cls, session: requests.Session, base_url: str = "") -> Self:
        """An adapter without a channel yet (connecting), so that class-level calls share
        the timeouts, the User-Agent and the error mapping."""
        return cls(ChannelContext(platform=cls.platform, base_url=base_url), {}, session=session)

    # -- helpers for subclasses --

    def credentials_changed(self, new_credentials: Mapping[str, Any]) -> None:
        self.credentials = dict(new_credentials)
        if self._on_credentials_changed is not None:
            self._on_credentials_changed(dict(new_credentials))

    def unsupported(self, operation: str) -> NotSupportedError:
        return NotSupportedError(
            _("%(platform)s does not offer “%(operation)s” in its API.")
            % {"platform": _platform_label(self.platform), "operation": operation}
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        timeout: tuple[float, float] | None = None,
        expected: tuple[int, ...] = (200, 201, 202, 204),
        **kwargs: Any,
    ) -> requests.Response:
        """Send one request; map every failure into the taxonomy. Never logs the URL's
        query or any header, since both may carry credentials."""
        # The error is raised outside the except block so that the requests exception (its
        # message names the URL, which may hold a token) is not even chained as __context__.
        failure: PlatformError | None = None
        try:
            response = self.session.request(
                method, url, timeout=timeout or default_timeout(), **kwargs
            )
        except requests.ConnectTimeout:
            failure = TransientError(_("The platform could not be reached."), code=NOT_SENT)
        except requests.Timeout:
            failure = TransientError(_("The platform did not answer in time."))
        except requests.ConnectionError as error:
            reason = getattr(error.args[0], "reason", None) if error.args else None
            never_sent = isinstance(reason, urllib3.exceptions.NewConnectionError)
            failure = TransientError(
                _("The platform could not be reached."), code=NOT_SENT if never_sent else ""
            )
        except requests.RequestException:
            failure = TransientError(_("The request to the platform failed."))
        if failure is not None:
            raise failure
        if response.status_code in expected:
            return response
        raise self.map_error(response)

    def json(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise MalformedResponseError(
                _("The platform sent an answer that is not valid JSON."),
                status=response.status_code,
            ) from None

    def error_detail(self, response: requests.Response) -> tuple[str, str]:
        """(code, human-readable reason) from the platform's error body; subclasses parse
        their documented error shape. The default reads common JSON keys."""
        body = json_object(response)
        if body is None:
            return "", ""
        error = body.get("error")
        if isinstance(error, dict):
            return str(error.get("code", "")), str(error.get("message", ""))
        if isinstance(error, str):
            return error, str(body.get("error_description") or body.get("message") or error)
        return str(body.get("code", "")), str(body.get("message") or body.get("detail") or "")

    def map_error(self, response: requests.Response) -> PlatformError:
        code, reason = self.error_detail(response)
        return error_for_status(
            response.status_code,
            code=code,
            reason=reason[:500],
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )

    def refuse_invalid(self, content: PostContent, *, joined_by: str | None = None) -> None:
        """Refuse ``content`` before anything is sent if ``validate`` finds an error (the
        platform would refuse the same): with the first problem's message, or with all of
        them ``joined_by`` the given separator."""
        errors = [p for p in self.validate(content) if p.severity == ProblemSeverity.ERROR]
        if not errors:
            return
        message = (
            errors[0].message if joined_by is None else joined_by.join(p.message for p in errors)
        )
        raise ContentRejectedError(message, code=errors[0].code)

    # -- the operations --

    def text_length(self, content: PostContent) -> int:
        """The text's length as this platform counts it (the editor's live counter); the
        limit it is compared with is ``capabilities.max_text_length``."""
        return grapheme_count(text_with_link(content))

    def text_problems(
        self, content: PostContent, *, limit: int, empty_message: str
    ) -> list[Problem]:
        """The text longer than ``limit`` as ``text_length`` counts it, then a post with
        neither text nor media (``empty_message`` says what the platform needs)."""
        problems: list[Problem] = problems_for_malformed_text(content)
        length = self.text_length(content)
        if length > limit:
            problems.append(problem_text_too_long(length, limit))
        if not content.text.strip() and not content.media:
            problems.append(Problem("text_empty", "text", empty_message))
        return problems

    @abstractmethod
    def validate(self, content: PostContent) -> list[Problem]:
        """Every problem with ``content`` on this platform, counted as the platform counts."""

    @abstractmethod
    def test_connection(self) -> AccountInfo:
        """Check the credentials and return who they belong to."""

    @abstractmethod
    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        """Publish once. Retrying with the same key must never create a second post."""

    def find_published(self, content: PostContent, idempotency_key: str) -> PublishResult | None:
        """After a crash between "platform accepted" and "database updated": the post made
        with this key, if there is one. Default: the platform itself deduplicates by key."""
        return None

    def delete(self, remote_id: str) -> None:
        raise self.unsupported(_("delete posts"))

    def fetch_post_metrics(
        self, remote_ids: list[str], *, insights: bool = True
    ) -> list[PostMetrics]:
        """The figures of the account's own posts, one per id the platform still knows.

        A figure the platform does not give stays ``None`` ("not provided"), never 0.
        ``insights=False``: only what the platform gives without its Insights product
        (Facebook and Instagram, for a channel that switched Insights off for data
        protection); other platforms have no such distinction and ignore it."""
        raise self.unsupported(_("post metrics"))

    def fetch_account_metrics(self) -> AccountMetrics:
        raise self.unsupported(_("account metrics"))

    def fetch_comments(self, cursor: str | None) -> CommentPage:
        raise self.unsupported(_("read comments"))

    def fetch_mentions(self, cursor: str | None) -> CommentPage:
        """Posts of others that mention the account, oldest first after ``cursor``."""
        raise self.unsupported(_("read mentions"))

    def fetch_messages(self, cursor: str | None) -> CommentPage:
        """Direct messages to the account, oldest first after ``cursor``."""
        raise self.unsupported(_("read direct messages"))

    def reply(self, comment: RemoteComment, text: str, idempotency_key: str = "") -> PublishResult:
        """Answer ``comment`` publicly. Where ``reply_deduplicates`` is set, a retry with the
        same ``idempotency_key`` never creates a second reply; elsewhere the key is not seen
        by the platform, and a caller that lost the answer must look (``find_reply``) or ask
        a person instead of sending again."""
        raise self.unsupported(_("reply to comments"))

    def find_reply(
        self, comment: RemoteComment, text: str, idempotency_key: str
    ) -> PublishResult | None:
        """After an unknown outcome (the answer was lost): our reply to ``comment`` made with
        this key or text, if the platform lets us look. Only where ``can_find_reply``."""
        return None

    def hide_comment(self, comment: RemoteComment) -> None:
        raise self.unsupported(_("hide comments"))

    def delete_comment(self, comment: RemoteComment) -> None:
        raise self.unsupported(_("delete comments"))

    # Graduated moderation beyond hide and delete (the moderation actions): showing a hidden
    # comment again and switching the comments of one of our posts off. The ``can_*`` flags
    # say up front whether the API offers it, so that the action form says "not possible on
    # this platform" before anyone chooses it. Both calls are idempotent at the platform.
    can_unhide_comments: ClassVar[bool] = False
    can_disable_comments: ClassVar[bool] = False

    def unhide_comment(self, comment: RemoteComment) -> None:
        """Show a comment hidden before (by us or the platform) again."""
        raise self.unsupported(_("show hidden comments again"))

    def disable_comments(self, post_remote_id: str) -> None:
        """Stop new comments under one of the account's posts."""
        raise self.unsupported(_("switch comments off"))

    # Blocking an author from the account (the block register). ``can_block_authors`` and
    # ``can_unblock_authors`` say up front whether the API offers it, so that the register
    # shows staff a to-do "block by hand" instead of queueing a call that cannot work.
    can_block_authors: ClassVar[bool] = False
    can_unblock_authors: ClassVar[bool] = False

    def block_author(self, author_remote_id: str, *, comment_remote_id: str = "") -> None:
        """Block the author (their platform id) from the account. Idempotent: blocking an
        author already blocked succeeds. ``comment_remote_id`` is the comment that led to the
        block, for platforms that ban through a comment (YouTube)."""
        raise self.unsupported(_("block authors"))

    def unblock_author(self, author_remote_id: str) -> None:
        """Lift the block. Idempotent: unblocking an author not blocked succeeds."""
        raise self.unsupported(_("unblock authors"))

    def refresh_credentials(self) -> dict[str, Any] | None:
        """Renew short-lived access before it expires; None where nothing needs renewing.
        Must keep a still-valid refresh token if the platform returns no new one. Default:
        the OAuth 2 refresh grant, where ``oauth_config`` says the platform has one."""
        return oauth2.refresh(self)

    @classmethod
    def renews_access(cls, credentials: Mapping[str, Any]) -> bool:
        """Whether ``refresh_credentials`` keeps these credentials working without a person
        (until the refresh token ends, where the platform says when): then the end of the
        access token is no reason to warn anyone. Default: the OAuth 2 refresh grant."""
        config = cls.oauth_config
        return bool(config and config.refresh_grant and credentials.get("refresh_token"))

    def revoke(self) -> None:
        """Revoke the token at the platform on disconnect, where the API allows it."""
        return None

    # -- connecting (class-level: there is no channel yet) --

    # OAuth 2 is one shared layer configured by ``oauth_config``: see ``oauth2`` for what each
    # of these does. Mastodon (an app per instance) and Meta (one app for several platforms)
    # find their app registration themselves; the others name its settings in the config.
    oauth_client = classmethod(oauth2.registered_client)
    oauth_authorize_url = classmethod(oauth2.authorize_url)
    oauth_exchange_code = classmethod(oauth2.exchange_code)

    @classmethod
    def oauth_server(cls, base_url: str) -> str:
        """The server of the ``oauth_config`` endpoints given as paths (a Mastodon instance)."""
        return base_url

    def oauth_accounts(self, client: OAuthClient) -> list[AccountChoice]:
        """After the code exchange, with the new token in ``self.credentials``: the accounts
        it gives access to, each with the credentials to store. Default: the one account
        ``test_connection`` names."""
        info = self.test_connection()
        return [
            AccountChoice(
                account_id=info.account_id,
                name=info.display_name or info.handle,
                credentials=dict(self.credentials),
                handle=info.handle,
                url=info.url,
            )
        ]

    @classmethod
    def connect_with_form(
        cls, *, base_url: str, values: Mapping[str, str], session: requests.Session
    ) -> AccountChoice:
        """For ``ConnectMethod.FORM``: check the typed-in credentials against the platform
        and return the account with the credentials to store."""
        raise NotSupportedError(_("This platform is connected with OAuth."))


# --- Validation helpers shared by adapters -------------------------------------------------


def inline_link(content: PostContent) -> PostContent:
    """The content with its link moved into the text, for platforms without link cards."""
    return replace(content, text=text_with_link(content), link="")


def text_with_link(content: PostContent) -> str:
    """The text as posted where a platform has no link card: the link to the authority's own
    page is appended unless the text already contains it."""
    text = content.text.strip()
    if content.link and content.link not in text:
        text = f"{text}\n\n{content.link}" if text else content.link
    return text


def problem_text_too_long(length: int, limit: int) -> Problem:
    return Problem(
        code="text_too_long",
        field="text",
        message=_(
            "The text has %(length)d characters as the platform counts them; at most"
            " %(limit)d are allowed."
        )
        % {"length": length, "limit": limit},
    )


def problems_for_malformed_text(content: PostContent) -> list[Problem]:
    """Text that is not valid Unicode (a lone surrogate, e.g. from a JSON ``"\\ud800"``):
    every platform refuses it, so it is a validation message, never an exception."""
    fields = [("text", content.text), ("link", content.link), ("title", content.title)]
    fields.append(("spoiler_text", content.spoiler_text))
    fields += [(f"media.{i}", item.alt_text) for i, item in enumerate(content.media)]
    return [
        Problem(
            "text_malformed",
            field,
            _(
                "The text contains a broken character (half of a UTF-16 surrogate pair);"
                " remove it or type it again."
            ),
        )
        for field, value in fields
        if has_lone_surrogates(value)
    ]


def problems_for_media_count(content: PostContent, limit: int, message: str) -> list[Problem]:
    """More files than a post of the platform takes, images and videos together (Telegram's
    albums, Threads' carousels); ``message`` says so with ``%(n)d`` for ``limit``."""
    if len(content.media) <= limit:
        return []
    return [Problem("too_many_media", "media", message % {"n": limit})]


def problem_media_too_large(field_name: str, limit: int) -> Problem:
    """A file larger than ``limit`` bytes, said in megabytes."""
    return Problem(
        "media_too_large",
        field_name,
        _("The file is larger than %(mb).1f MB.") % {"mb": limit / 1_000_000},
    )


def problems_for_media_type(
    item: MediaItem, field_name: str, allowed: frozenset[str]
) -> list[Problem]:
    """A file whose format is not among the ``allowed`` MIME types."""
    if item.mime_type in allowed:
        return []
    return [
        Problem(
            "media_type",
            field_name,
            _("The format %(type)s is not accepted.") % {"type": item.mime_type},
        )
    ]


def problems_for_missing_alt_text(item: MediaItem, field_name: str) -> list[Problem]:
    """A warning for a file without alternative text where the platform takes one: people
    who cannot see it could not follow the post."""
    if item.alt_text.strip():
        return []
    return [
        Problem(
            "alt_text_missing",
            field_name,
            _("Add an alternative text so that everyone can follow the post."),
            ProblemSeverity.WARNING,
        )
    ]


def problems_for_ignored_alt_text(item: MediaItem, field_name: str, message: str) -> list[Problem]:
    """A warning for a file whose alternative text the platform does not take (``message``
    says what happens instead), so that nobody relies on it."""
    if not item.alt_text:
        return []
    return [Problem("alt_text_ignored", field_name, message, ProblemSeverity.WARNING)]


def problems_for_media(
    content: PostContent,
    *,
    max_images: int,
    max_videos: int,
    image_types: frozenset[str],
    video_types: frozenset[str],
    max_image_bytes: int,
    max_video_bytes: int,
    max_alt_text: int | None,
    mix_allowed: bool = False,
) -> list[Problem]:
    """The media checks every platform needs, parametrised by its documented limits."""
    problems: list[Problem] = []
    images = [m for m in content.media if m.kind == MediaKind.IMAGE]
    videos = [m for m in content.media if m.kind == MediaKind.VIDEO]
    if len(images) > max_images:
        problems.append(
            Problem(
                "too_many_images",
                "media",
                _("At most %(n)d images are allowed.") % {"n": max_images},
            )
        )
    if len(videos) > max_videos:
        problems.append(
            Problem(
                "too_many_videos",
                "media",
                _("At most %(n)d videos are allowed.") % {"n": max_videos}
                if max_videos
                else _("This platform does not accept videos here."),
            )
        )
    if images and videos and not mix_allowed:
        problems.append(
            Problem("media_mixed", "media", _("Images and videos cannot be combined in one post."))
        )
    for index, item in enumerate(content.media):
        allowed = image_types if item.kind == MediaKind.IMAGE else video_types
        limit = max_image_bytes if item.kind == MediaKind.IMAGE else max_video_bytes
        field_name = f"media.{index}"
        problems += problems_for_media_type(item, field_name, allowed)
        if item.size > limit:
            problems.append(problem_media_too_large(field_name, limit))
        if max_alt_text is not None and len(item.alt_text) > max_alt_text:
            problems.append(
                Problem(
                    "alt_text_too_long",
                    field_name,
                    _("The alternative text is longer than %(n)d characters.")
                    % {"n": max_alt_text},
                )
            )
    return problems


def _platform_label(platform: str) -> str:
    """The platform's name as people read it ("Facebook page", not "facebook")."""
    try:
        return str(Platform(platform).label)
    except ValueError:
        return platform


_Sent = TypeVar("_Sent")


class FindsPostsByText(PlatformAdapter):
    """A platform without an idempotency key (LinkedIn, X): before a retry Sprachrohr looks
    for a recent post of the account with the same text, and a refusal as a duplicate is
    answered with the post the earlier attempt made."""

    # How far back the lookup before a retry searches when nothing else says a post exists.
    find_lookback: ClassVar[timedelta] = timedelta(hours=24)

    @abstractmethod
    def find_by_text(
        self, content: PostContent, *, lookback: timedelta | None
    ) -> PublishResult | None:
        """The account's newest post with ``content``'s text, within ``lookback`` (None: as
        far back as the platform lists)."""

    @abstractmethod
    def is_duplicate(self, error: ContentRejectedError) -> bool:
        """Whether the platform refused the post because it has the same text already."""

    def find_published(self, content: PostContent, idempotency_key: str) -> PublishResult | None:
        return self.find_by_text(inline_link(content), lookback=self.find_lookback)

    def publish_or_find(
        self, content: PostContent, idempotency_key: str, send: Callable[[], _Sent]
    ) -> _Sent | PublishResult:
        """What ``send()`` returns; where its answer got lost or the platform refused the text
        as a duplicate, the post an earlier attempt made instead."""
        try:
            return send()
        except TransientError:
            # The post may exist although the answer got lost.
            found = self.find_published(content, idempotency_key)
            if found is not None:
                return found
            raise
        except ContentRejectedError as exc:
            if not self.is_duplicate(exc):
                raise
            # The same text refused: the earlier attempt got through.
            found = self.find_by_text(content, lookback=None)
            if found is not None:
                logger.info(
                    "%s: publish %s matched an existing post", self.platform, idempotency_key
                )
                return found
            raise
