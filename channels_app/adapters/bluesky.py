"""Bluesky (AT Protocol) through the account's PDS with an app password session.

Documentation this adapter is based on (titles/URLs as the search tool returned them; the
Lexicon schemas were read in the official repository ``bluesky-social/atproto``):

- "Posts" (docs.bsky.app/docs/advanced-guides/posts) and "Creating a post"
  (docs.bsky.app/docs/tutorials/creating-a-post): the post record, facets with UTF-8 byte
  offsets (``byteStart``/``byteEnd``), mention resolution via
  ``com.atproto.identity.resolveHandle``, reply refs ``root``/``parent``, image embeds with
  ``alt`` and ``aspectRatio``, images limited to 1,000,000 bytes, up to four.
- "Uploading Video" (docs.bsky.app/docs/tutorials/video): the documented simple method
  (``uploadBlob`` + ``app.bsky.embed.video``).
- Lexicons ``com.atproto.server.createSession`` / ``refreshSession`` / ``getSession`` /
  ``deleteSession``, ``com.atproto.repo.createRecord`` (``rkey`` of ``record-key`` format) /
  ``getRecord`` / ``putRecord`` / ``deleteRecord`` / ``uploadBlob``,
  ``app.bsky.feed.post`` (``maxGraphemes`` 300, ``maxLength`` 3000, ``key: tid``),
  ``app.bsky.embed.images`` / ``video``, ``app.bsky.feed.getPostThread`` / ``getPosts`` /
  ``getAuthorFeed`` / ``defs`` (``threadgate`` view), ``app.bsky.feed.threadgate``
  (``hiddenReplies``, at most 300, rkey equal to the root post's rkey),
  ``app.bsky.actor.getProfile``.
- "Record Key" (atproto.com/specs/record-key) and "Timestamp Identifiers (TIDs)"
  (atproto.com/specs/tid): the key syntax our deterministic keys satisfy.
- "HTTP API (XRPC)" (atproto.com/specs/xrpc): the error body ``{"error", "message"}``, status
  codes, app passwords (``xxxx-xxxx-xxxx-xxxx``), short-lived access JWTs renewed with the
  refresh JWT.
- "Rate Limits" (docs.bsky.app/docs/advanced-guides/rate-limits): 429 with rate limit headers
  (draft-polli ``RateLimit-Reset``), createSession 30 per 5 minutes.

No double post: the record key of a post is a TID derived deterministically from the
idempotency key (see ``deterministic_tid``). ``createRecord`` of an existing key fails, and
the adapter then fetches the record under that key with ``getRecord``: the earlier attempt is
returned instead of a second post. ``app.bsky.feed.post`` declares ``key: tid``, and posts
under non-TID keys are reportedly not shown by the Bluesky AppView, hence a TID and not
e.g. a hash string.

Comments: the replies in the threads (``getPostThread``) of the account's recent own posts
(``getAuthorFeed``, ``posts_no_replies``). The cursor is the newest ``indexedAt`` seen (ISO
8601): ``indexedAt`` is set by the AppView when it indexes a reply, so a late reply to an old
post still gets a new ``indexedAt`` and is not skipped, unlike with the author-controlled
``createdAt``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from typing import Any
from typing import TypeVar
from typing import cast
from urllib.parse import urlsplit

import regex
import requests
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.adapters.base import UPLOAD_TIMEOUT
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.base import Capabilities
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import ConnectMethod
from channels_app.adapters.base import CredentialField
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import PostMetrics
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import RemoteKind
from channels_app.adapters.base import access_ended
from channels_app.adapters.base import content_rejected
from channels_app.adapters.base import item_gone
from channels_app.adapters.base import json_object
from channels_app.adapters.base import parse_iso_datetime
from channels_app.adapters.base import parse_retry_after
from channels_app.adapters.base import problem_text_too_long
from channels_app.adapters.base import problems_for_malformed_text
from channels_app.adapters.base import problems_for_media
from channels_app.adapters.base import problems_for_missing_alt_text
from channels_app.adapters.bluesky_tlds import RICHTEXT_TLDS
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.text import grapheme_count
from channels_app.adapters.text import utf8_length

logger = logging.getLogger(__name__)

_Found = TypeVar("_Found")

DEFAULT_PDS = "https://bsky.social"
POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"
PROFILE = "app.bsky.actor.profile"
BLOCK = "app.bsky.graph.block"
MAX_GRAPHEMES = 300
MAX_TEXT_BYTES = 3000
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 1_000_000  # app.bsky.embed.images#image maxSize
MAX_VIDEO_BYTES = 50_000_000  # app.bsky.embed.video maxSize
MAX_VIDEO_ALT_GRAPHEMES = 1000
MAX_CAPTION_BYTES = 20_000
MAX_HIDDEN_REPLIES = 300
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
VIDEO_TYPES = frozenset({"video/mp4"})
GET_POSTS_BATCH = 25  # app.bsky.feed.getPosts uris maxLength
COMMENT_POSTS_WINDOW = 30  # own recent posts whose threads are read per poll
THREAD_DEPTH = 10

# XRPC error names that mean the session (not the content) is the problem.
_AUTH_ERRORS = frozenset(
    {
        "ExpiredToken",
        "InvalidToken",
        "AuthenticationRequired",
        "AuthMissing",
        "AccountTakedown",
        "AccountDeactivated",
        "AuthFactorTokenRequired",
    }
)
_NOT_FOUND_ERRORS = frozenset({"RecordNotFound", "NotFound", "RepoNotFound", "BlobNotFound"})
NOTIFICATIONS_LIMIT = 50
NOTIFICATION_PAGES = 5  # per poll; a longer backlog is worked off in the next polls


def _profile_url(author: Mapping[str, Any]) -> str:
    handle = author.get("handle") or author.get("did")
    return f"https://bsky.app/profile/{handle}" if handle else ""


# The mention regex from "Posts" (docs.bsky.app), on UTF-8 bytes so that offsets are byte
# offsets.
_MENTION = regex.compile(
    rb"(?:^|\W)(@([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"
)
# Hashtags as in the Bluesky app: "#" or the full-width sign, not only digits, no trailing
# punctuation (stripped below).
_TAG_EXCLUDED = "\\s\u00ad\u2060\u200a-\u200d\u20e2"
_TAG = regex.compile(
    rf"(?:^|\s)([#\uff03]((?!\ufe0f)[^{_TAG_EXCLUDED}]*[^\d\p{{P}}{_TAG_EXCLUDED}]+[^{_TAG_EXCLUDED}]*))"
)
_TAG_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
# Links exactly as the Bluesky app finds them: ``URL_REGEX`` of ``@atproto/api``'s RichText
# (``detectFacets``, flags ``gim``), JavaScript's ``\s`` spelled out. A link without
# ``https://`` (``musterstadt.de/termine``, ``www.musterstadt.de``) counts when its domain
# ends in a known top-level domain (``RICHTEXT_TLDS``); a domain with a hyphen never does.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_LINK = regex.compile(
    rf"(^|[{_JS_SPACE}]|\()((https?://[^{_JS_SPACE}]+)"
    rf"|((?P<domain>[a-z][a-z0-9]*(\.[a-z0-9]+)+)[^{_JS_SPACE}]*))",
    regex.IGNORECASE | regex.MULTILINE,
)
_APP_PASSWORD = regex.compile(r"^[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}$")

# TID: 64-bit integer, base32-sortable, 53 bits of microseconds + 10 bits clock id.
_B32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
TID_PATTERN = regex.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
# Without a planned time (replies, blocks, posts keyed before planned times were used) a key
# carries a synthetic timestamp in a fixed past window (2023-01-01 + up to 2^44 µs ≈ 203
# days): never in the future, and with 54 bits of the key's hash in total.
_TID_BASE_US = 1_672_531_200 * 1_000_000
_TID_SPAN_US = 1 << 44
_US_PER_SECOND = 1_000_000


def deterministic_tid(
    idempotency_key: str, purpose: str = "post", planned_at: datetime | None = None
) -> str:
    """A valid TID (record key) that is always the same for the same key, so a retried
    createRecord addresses the record the first attempt made.

    With ``planned_at`` the key's timestamp is that second (record keys sort and read as
    the planned time); the microseconds within it and the clock id come from the key's hash
    (30 bits), so publications planned for the same second still get different keys."""
    digest = hashlib.sha256(f"sprachrohr:{purpose}:{idempotency_key}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    if planned_at is None:
        timestamp = _TID_BASE_US + (number >> 10) % _TID_SPAN_US
    else:
        second = int(planned_at.timestamp())
        timestamp = second * _US_PER_SECOND + (number >> 10) % _US_PER_SECOND
    value = (timestamp << 10) | (number & 0x3FF)
    chars = []
    for _index in range(13):
        chars.append(_B32_SORTABLE[value & 0x1F])
        value >>= 5
    return "".join(reversed(chars))


def parse_at_uri(uri: str) -> tuple[str, str, str]:
    """``at://did:plc:…/app.bsky.feed.post/3k…`` → (repo, collection, rkey)."""
    if not uri.startswith("at://"):
        raise item_gone()
    parts = uri[len("at://") :].split("/")
    if len(parts) != 3 or not all(parts):
        raise item_gone()
    return parts[0], parts[1], parts[2]


def _now_iso() -> str:
    # "Using a trailing "Z" is preferred over the "+00:00" format" (docs.bsky.app, Posts).
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _hosted_by_bluesky(base: str) -> bool:
    host = (urlsplit(base).hostname or "").lower()
    return host in ("bsky.social", "bsky.network") or host.endswith(
        (".bsky.social", ".bsky.network")
    )


def _method(response: requests.Response) -> str:
    """The NSID an XRPC answer is for (``…/xrpc/app.bsky.actor.getProfile?…``)."""
    return urlsplit(response.url or "").path.rsplit("/", 1)[-1]


def pds_url(base_url: str) -> str:
    value = (base_url or "").strip().rstrip("/") or DEFAULT_PDS
    if "://" not in value:
        value = "https://" + value
    return value


class BlueskyAdapter(PlatformAdapter):
    platform = "bluesky"
    reply_deduplicates = True  # see reply()
    capabilities = Capabilities.all_but(
        "delete_comments",  # other people's records live in their repositories
        # hide_comments: threadgate hiddenReplies on our own threads
        max_text_length=MAX_GRAPHEMES,
        max_images=MAX_IMAGES,
        text_counting=gettext_lazy(
            "At most 300 user-perceived characters (graphemes): an emoji sequence or a letter "
            "with accents counts once; links count in full."
        ),
        idempotency=gettext_lazy(
            "The post's record key is derived from the publication, so a retry addresses the "
            "same record and finds the earlier post instead of creating a second one."
        ),
    )
    connect_method = ConnectMethod.FORM
    # cast: CredentialField is typed ``str``; a lazy string keeps the form translatable.
    credential_fields = (
        CredentialField(
            name="handle",
            label=cast(str, gettext_lazy("Handle")),
            help_text=cast(str, gettext_lazy("For example stadt-musterstadt.bsky.social")),
        ),
        CredentialField(
            name="app_password",
            label=cast(str, gettext_lazy("App password")),
            secret=True,
            help_text=cast(
                str,
                gettext_lazy(
                    "Create one in Bluesky under Settings → Privacy and security → App passwords. "
                    "Never enter the account's main password."
                ),
            ),
        ),
    )
    needs_base_url = False  # optional: another PDS than bsky.social

    # -- plumbing ---------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return pds_url(self.context.base_url)

    @property
    def did(self) -> str:
        did = str(self.credentials.get("did") or self.context.account_id or "")
        if not did:
            raise AuthenticationError(_("The channel has no Bluesky session: reconnect it."))
        return did

    def _secrets(self) -> list[str]:
        keys = ("access_token", "refresh_token", "app_password")
        return [
            str(self.credentials[k]) for k in keys if len(str(self.credentials.get(k) or "")) >= 6
        ]

    def error_detail(self, response: requests.Response) -> tuple[str, str]:
        """XRPC errors: ``{"error": "<Name>", "message": "<text>"}``."""
        body = json_object(response) or {}
        code = str(body.get("error") or "")
        reason = str(body.get("message") or code)
        for secret in self._secrets():
            reason = reason.replace(secret, "…")
        return code, reason

    def map_error(self, response: requests.Response) -> PlatformError:
        code, reason = self.error_detail(response)
        status = response.status_code
        if code in _AUTH_ERRORS and status < 500:
            # The PDS answers an expired access token with 400 ExpiredToken, not 401.
            if code == "AuthFactorTokenRequired":
                message = _(
                    "Bluesky asks for a sign-in code sent by e-mail: use an app password instead."
                )
                return AuthenticationError(message, status=status, code=code)
            return access_ended(status=status, code=code)
        if self._without_appview(response, code, reason):
            # Profiles, feeds, threads and notifications are the AppView's (app.bsky.*,
            # proxied by the PDS). A PDS without one cannot serve them, now or later: not
            # available (reported once by the callers), not failing (retried forever).
            return NotSupportedError(
                _(
                    "This Bluesky server (PDS) has no AppView, which profiles, threads and"
                    " notifications come from: not available on this server."
                ),
                status=status,
                code=code,
            )
        if code in _NOT_FOUND_ERRORS and status < 500:
            return item_gone(status=status, code=code)
        if status == 413:
            return content_rejected(reason or _("the file is too large"), status=status, code=code)
        error = super().map_error(response)
        if isinstance(error, TransientError) and error.retry_after is None:
            error.retry_after = _rate_limit_reset(response.headers.get("RateLimit-Reset"))
        return error

    def _without_appview(self, response: requests.Response, code: str, reason: str) -> bool:
        """How a PDS answers an AppView method it cannot serve: 501 ``MethodNotImplemented``
        (none routed), 400 ``No service configured for …`` (no AppView configured), or 502
        ``UpstreamFailure`` "Upstream service unreachable" (an AppView configured that cannot
        be connected to, as in ``@atproto/dev-env``). The last one is taken as permanent
        only on a PDS not hosted by Bluesky: there it is an outage, tried again later."""
        status = response.status_code
        if status == 501 or code == "MethodNotImplemented":
            return True
        if not _method(response).startswith("app.bsky."):
            return False
        if status == 400 and reason.startswith("No service configured for"):
            return True
        return (
            status == 502
            and code == "UpstreamFailure"
            and reason == "Upstream service unreachable"
            and not _hosted_by_bluesky(self.base)
        )

    def _xrpc(
        self,
        method: str,
        nsid: str,
        *,
        params: Any = None,
        json_body: Any = None,
        data: bytes | None = None,
        content_type: str | None = None,
        timeout: tuple[float, float] | None = None,
        expected: tuple[int, ...] = (200,),
        _retried: bool = False,
    ) -> requests.Response:
        """One authenticated XRPC call; an expired access JWT is refreshed once and the
        call repeated (the session is short-lived by design)."""
        headers = {"Authorization": f"Bearer {self.credentials.get('access_token', '')}"}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            return self.request(
                method,
                f"{self.base}/xrpc/{nsid}",
                params=params,
                json=json_body,
                data=data,
                headers=headers,
                timeout=timeout,
                expected=expected,
            )
        except AuthenticationError as exc:
            if exc.code != "ExpiredToken" or _retried:
                raise
        self.refresh_credentials()
        return self._xrpc(
            method,
            nsid,
            params=params,
            json_body=json_body,
            data=data,
            content_type=content_type,
            timeout=timeout,
            expected=expected,
            _retried=True,
        )

    def _get(self, nsid: str, params: Any) -> dict[str, Any]:
        body = self.json(self._xrpc("GET", nsid, params=params))
        if not isinstance(body, dict):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        return body

    def _post_url(self, uri: str) -> str:
        repo, _collection, rkey = parse_at_uri(uri)
        return f"https://bsky.app/profile/{repo}/post/{rkey}"

    # -- session ----------------------------------------------------------------------------

    def _session_credentials(self, session: Mapping[str, Any]) -> dict[str, Any]:
        if not session.get("accessJwt") or not session.get("did"):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        credentials = dict(self.credentials)
        credentials["access_token"] = str(session["accessJwt"])
        # Never lose a still-valid refresh token because an answer came without one.
        credentials["refresh_token"] = str(
            session.get("refreshJwt") or self.credentials.get("refresh_token") or ""
        )
        credentials["did"] = str(session["did"])
        if session.get("handle"):
            credentials["handle"] = str(session["handle"])
        return credentials

    @classmethod
    def renews_access(cls, credentials: Mapping[str, Any]) -> bool:
        return bool(credentials.get("refresh_token"))

    def refresh_credentials(self) -> dict[str, Any] | None:
        """``refreshSession`` with the refresh JWT; if that is expired or revoked and the
        app password is stored, a new session with ``createSession``."""
        refresh_token = self.credentials.get("refresh_token")
        try:
            if not refresh_token:
                raise AuthenticationError(_("The channel has no Bluesky session: reconnect it."))
            response = self.request(
                "POST",
                f"{self.base}/xrpc/com.atproto.server.refreshSession",
                headers={"Authorization": f"Bearer {refresh_token}"},
            )
        except AuthenticationError as exc:
            if not self.credentials.get("app_password") or exc.code == "AccountTakedown":
                raise
            response = self.request(
                "POST",
                f"{self.base}/xrpc/com.atproto.server.createSession",
                json={
                    "identifier": self.credentials.get("did") or self.credentials.get("handle"),
                    "password": self.credentials["app_password"],
                },
            )
        body = self.json(response)
        if not isinstance(body, dict):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        credentials = self._session_credentials(body)
        self.credentials_changed(credentials)
        return credentials

    def revoke(self) -> None:
        """``deleteSession`` ends the session (authenticated with the refresh JWT). The app
        password itself can only be revoked by the account in Bluesky's settings."""
        refresh_token = self.credentials.get("refresh_token")
        if not refresh_token:
            return
        self.request(
            "POST",
            f"{self.base}/xrpc/com.atproto.server.deleteSession",
            headers={"Authorization": f"Bearer {refresh_token}"},
        )

    @classmethod
    def connect_with_form(
        cls, *, base_url: str, values: Mapping[str, str], session: requests.Session
    ) -> AccountChoice:
        handle = (values.get("handle") or "").strip().lstrip("@")
        password = (values.get("app_password") or "").strip()
        if not handle or not password:
            raise AuthenticationError(_("Enter the handle and an app password."))
        if not _APP_PASSWORD.match(password):
            # The XRPC spec suggests this check to keep main passwords out of third-party apps.
            raise AuthenticationError(
                _(
                    "This is not an app password (format xxxx-xxxx-xxxx-xxxx). Create one in "
                    "Bluesky's settings; never enter the account's main password."
                )
            )
        adapter = cls.without_channel(session, base_url)
        adapter.credentials = {"app_password": password}  # so that errors scrub it
        try:
            response = adapter.request(
                "POST",
                f"{adapter.base}/xrpc/com.atproto.server.createSession",
                json={"identifier": handle, "password": password},
            )
        except AuthenticationError as exc:
            # 401 AuthenticationRequired "Invalid identifier or password" (also for an
            # unknown handle): there is no channel yet that could be reconnected.
            if exc.status == 401 and exc.code in ("AuthenticationRequired", ""):
                raise AuthenticationError(
                    _(
                        "Wrong handle or app password: Bluesky knows no account with this"
                        " handle and app password. Check both and try again."
                    ),
                    status=exc.status,
                    code=exc.code,
                ) from None
            raise
        body = adapter.json(response)
        if not isinstance(body, dict):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        credentials = adapter._session_credentials(body)
        resolved_handle = credentials.get("handle") or handle
        return AccountChoice(
            account_id=credentials["did"],
            name=resolved_handle,
            credentials=credentials,
            handle="@" + resolved_handle,
            url=f"https://bsky.app/profile/{resolved_handle}",
        )

    # -- validation -------------------------------------------------------------------------

    def text_length(self, content: PostContent) -> int:
        # The same count as validate() below, for the editor's live counter.
        return grapheme_count(content.text)

    def validate(self, content: PostContent) -> list[Problem]:
        problems: list[Problem] = problems_for_malformed_text(content)
        if not content.text.strip() and not content.media:
            problems.append(Problem("text_empty", "text", _("The post needs a text or media.")))
        length = grapheme_count(content.text)
        if length > MAX_GRAPHEMES:
            problems.append(problem_text_too_long(length, MAX_GRAPHEMES))
        if utf8_length(content.text) > MAX_TEXT_BYTES:
            problems.append(
                Problem(
                    "text_too_many_bytes",
                    "text",
                    _("The text is longer than %(n)d bytes (UTF-8), which Bluesky refuses.")
                    % {"n": MAX_TEXT_BYTES},
                )
            )
        problems += problems_for_media(
            content,
            max_images=MAX_IMAGES,
            max_videos=1,
            image_types=IMAGE_TYPES,
            video_types=VIDEO_TYPES,
            max_image_bytes=MAX_IMAGE_BYTES,
            max_video_bytes=MAX_VIDEO_BYTES,
            max_alt_text=None,  # image alt has no documented limit; video alt below
        )
        for index, item in enumerate(content.media):
            field_name = f"media.{index}"
            if item.kind == MediaKind.VIDEO and grapheme_count(item.alt_text) > (
                MAX_VIDEO_ALT_GRAPHEMES
            ):
                problems.append(
                    Problem(
                        "alt_text_too_long",
                        field_name,
                        _("The alternative text is longer than %(n)d characters.")
                        % {"n": MAX_VIDEO_ALT_GRAPHEMES},
                    )
                )
            problems += problems_for_missing_alt_text(item, field_name)
        return problems

    # -- account ----------------------------------------------------------------------------

    def _profile(self) -> dict[str, Any]:
        return self._get("app.bsky.actor.getProfile", {"actor": self.did})

    def test_connection(self) -> AccountInfo:
        """The PDS's own endpoints only (the session and the profile record in the
        repository), so that a PDS without an AppView can be checked too."""
        session = self._get("com.atproto.server.getSession", None)
        did = str(session.get("did") or self.did)
        handle = str(session.get("handle") or self.credentials.get("handle") or "")
        try:
            profile = self._get(
                "com.atproto.repo.getRecord", {"repo": did, "collection": PROFILE, "rkey": "self"}
            ).get("value")
        except RemoteNotFoundError:
            profile = None  # an account that never set a display name or avatar
        display_name = (profile or {}).get("displayName") if isinstance(profile, dict) else None
        return AccountInfo(
            account_id=did,
            handle="@" + handle,
            display_name=str(display_name or handle),
            url=f"https://bsky.app/profile/{handle}",
        )

    def fetch_account_metrics(self) -> AccountMetrics:
        profile = self._profile()
        return AccountMetrics(
            followers=profile.get("followersCount"),
            following=profile.get("followsCount"),
            posts=profile.get("postsCount"),
        )

    # -- publishing -------------------------------------------------------------------------

    def _upload_blob(self, data: bytes, mime_type: str) -> dict[str, Any]:
        response = self._xrpc(
            "POST",
            "com.atproto.repo.uploadBlob",
            data=data,
            content_type=mime_type,
            timeout=UPLOAD_TIMEOUT,
        )
        body = self.json(response)
        if not isinstance(body, dict) or not isinstance(body.get("blob"), dict):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        return body["blob"]

    def _embed(self, content: PostContent) -> dict[str, Any] | None:
        images = [m for m in content.media if m.kind == MediaKind.IMAGE]
        videos = [m for m in content.media if m.kind == MediaKind.VIDEO]
        if images:
            return {
                "$type": "app.bsky.embed.images",
                "images": [self._image(item) for item in images],
            }
        if videos:
            return self._video(videos[0])
        if content.link:
            # A link card without a fetched preview: Sprachrohr never fetches other sites.
            return {
                "$type": "app.bsky.embed.external",
                "external": {
                    "uri": content.link,
                    "title": content.title or content.link,
                    "description": "",
                },
            }
        return None

    def _image(self, item: MediaItem) -> dict[str, Any]:
        image: dict[str, Any] = {
            "alt": item.alt_text,
            "image": self._upload_blob(item.read(), item.mime_type),
        }
        if item.width and item.height:
            image["aspectRatio"] = {"width": item.width, "height": item.height}
        return image

    def _video(self, item: MediaItem) -> dict[str, Any]:
        embed: dict[str, Any] = {
            "$type": "app.bsky.embed.video",
            "video": self._upload_blob(item.read(), item.mime_type),
        }
        if item.alt_text:
            embed["alt"] = item.alt_text
        if item.width and item.height:
            embed["aspectRatio"] = {"width": item.width, "height": item.height}
        if item.captions_path and item.captions_path.endswith(".vtt"):
            with open(item.captions_path, "rb") as handle:
                captions = handle.read()
            if len(captions) <= MAX_CAPTION_BYTES:
                embed["captions"] = [
                    {
                        "lang": str(self.context.settings.get("language", "de")),
                        "file": self._upload_blob(captions, "text/vtt"),
                    }
                ]
        return embed

    def _resolve_handle(self, handle: str) -> str | None:
        try:
            body = self._get("com.atproto.identity.resolveHandle", {"handle": handle})
        except (ContentRejectedError, RemoteNotFoundError):
            return None  # unknown handle: it stays plain text, as the docs recommend
        did = body.get("did")
        return str(did) if did else None

    def facets(self, text: str) -> list[dict[str, Any]]:
        """Mentions, links and hashtags as richtext facets with UTF-8 byte offsets."""
        data = text.encode("utf-8")
        facets: list[dict[str, Any]] = []
        for match in _MENTION.finditer(data):
            did = self._resolve_handle(match.group(1)[1:].decode("utf-8"))
            if did:
                facets.append(_facet(match.start(1), match.end(1), "mention", {"did": did}))
        for start, end, uri in _links(text):
            facets.append(_facet(start, end, "link", {"uri": uri}))
        for match in _TAG.finditer(text):
            tag = _TAG_TRAILING_PUNCTUATION.sub("", match.group(2))
            if not tag or grapheme_count(tag) > 64:
                continue
            start = len(text[: match.start(1)].encode("utf-8"))
            end = len(text[: match.start(1) + 1 + len(tag)].encode("utf-8"))
            facets.append(_facet(start, end, "tag", {"tag": tag}))
        return facets

    def _create_record(
        self,
        collection: str,
        rkey: str,
        record: dict[str, Any],
        earlier: Callable[[], _Found | None],
    ) -> requests.Response | _Found:
        """createRecord under ``rkey``, derived from the action so that a retry addresses the
        record the first attempt made. A record under this key already exists when an earlier
        attempt got through (the PDS refuses the second create, sometimes as a 500): where the
        create is refused or its outcome unknown, what ``earlier()`` finds of that record
        instead; the error stands where it finds nothing."""
        body = {"repo": self.did, "collection": collection, "rkey": rkey, "record": record}
        try:
            return self._xrpc("POST", "com.atproto.repo.createRecord", json_body=body)
        except (ContentRejectedError, TransientError) as exc:
            if isinstance(exc, RateLimitedError):
                raise
            try:
                existing = earlier()
            except PlatformError:
                raise exc from None
            if existing is None:
                raise
            return existing

    def _create_post(self, record: dict[str, Any], rkey: str) -> PublishResult:
        response = self._create_record(POST, rkey, record, lambda: self._own_post(rkey))
        if isinstance(response, PublishResult):
            logger.info("Bluesky post %s already existed; retry returns it", rkey)
            return response
        body = self.json(response)
        if not isinstance(body, dict) or not body.get("uri"):
            raise MalformedResponseError(_("The platform sent an unexpected answer."))
        logger.info("Bluesky post %s published", rkey)
        return PublishResult(
            remote_id=str(body["uri"]),
            url=self._post_url(str(body["uri"])),
            published_at=parse_iso_datetime(record["createdAt"]),
        )

    def _own_post(self, rkey: str) -> PublishResult | None:
        try:
            body = self._get(
                "com.atproto.repo.getRecord", {"repo": self.did, "collection": POST, "rkey": rkey}
            )
        except RemoteNotFoundError:
            return None
        uri = str(body.get("uri") or f"at://{self.did}/{POST}/{rkey}")
        value = body.get("value") or {}
        return PublishResult(
            remote_id=uri,
            url=self._post_url(uri),
            published_at=parse_iso_datetime(value.get("createdAt")),
        )

    def _record(self, text: str) -> dict[str, Any]:
        record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": _now_iso()}
        language = self.context.settings.get("language", "de")
        if language:
            record["langs"] = [str(language)]
        facets = self.facets(text)
        if facets:
            record["facets"] = facets
        return record

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        rkey = deterministic_tid(idempotency_key, planned_at=content.planned_at)
        record = self._record(content.text)
        embed = self._embed(content)
        if embed:
            record["embed"] = embed
        return self._create_post(record, rkey)

    def find_published(self, content: PostContent, idempotency_key: str) -> PublishResult | None:
        found = self._own_post(deterministic_tid(idempotency_key, planned_at=content.planned_at))
        if found is None and content.planned_at is not None:
            # An attempt made before record keys carried the planned time.
            found = self._own_post(deterministic_tid(idempotency_key))
        return found

    def delete(self, remote_id: str) -> None:
        repo, collection, rkey = parse_at_uri(remote_id)
        self._xrpc(
            "POST",
            "com.atproto.repo.deleteRecord",
            json_body={"repo": repo, "collection": collection, "rkey": rkey},
        )

    # -- metrics ----------------------------------------------------------------------------

    def _posts(self, uris: list[str]) -> list[dict[str, Any]]:
        posts: list[dict[str, Any]] = []
        for start in range(0, len(uris), GET_POSTS_BATCH):
            batch = uris[start : start + GET_POSTS_BATCH]
            body = self._get("app.bsky.feed.getPosts", [("uris", uri) for uri in batch])
            posts += [p for p in body.get("posts") or [] if isinstance(p, dict)]
        return posts

    def fetch_post_metrics(
        self, remote_ids: list[str], *, insights: bool = True
    ) -> list[PostMetrics]:
        return [
            PostMetrics(
                remote_id=str(post.get("uri")),
                likes=post.get("likeCount"),
                comments=post.get("replyCount"),
                # Quotes are shares with a comment; PostMetrics has one field for both.
                shares=_shares(post),
            )
            for post in self._posts(remote_ids)
        ]

    # -- comments ---------------------------------------------------------------------------

    def fetch_comments(self, cursor: str | None) -> CommentPage:
        since = parse_iso_datetime(cursor) if cursor else None
        own = self.did
        window = int(self.context.settings.get("comment_posts_window", COMMENT_POSTS_WINDOW))
        feed = (
            self._get(
                "app.bsky.feed.getAuthorFeed",
                {"actor": own, "filter": "posts_no_replies", "limit": window},
            ).get("feed")
            or []
        )
        items: list[tuple[datetime, RemoteComment]] = []
        newest = since
        for entry in feed:
            post = (entry or {}).get("post") or {}
            if entry.get("reason") or (post.get("author") or {}).get("did") != own:
                continue  # reposts of other people's posts
            if not post.get("replyCount"):
                continue  # saves a request per quiet post
            body = self._get(
                "app.bsky.feed.getPostThread", {"uri": post["uri"], "depth": THREAD_DEPTH}
            )
            thread = body.get("thread") or {}
            gate = ((body.get("threadgate") or {}).get("record") or {}).get("hiddenReplies")
            hidden = set(gate or [])
            for reply in _walk(thread.get("replies") or []):
                reply_post = reply["post"]
                author = reply_post.get("author") or {}
                indexed = parse_iso_datetime(reply_post.get("indexedAt"))
                if indexed is None:
                    continue
                if newest is None or indexed > newest:
                    newest = indexed
                if author.get("did") == own or (since is not None and indexed <= since):
                    continue
                record = reply_post.get("record") or {}
                parent = ((record.get("reply") or {}).get("parent") or {}).get("uri")
                items.append(
                    (
                        indexed,
                        RemoteComment(
                            remote_id=str(reply_post["uri"]),
                            post_remote_id=str(post["uri"]),
                            author_name=str(author.get("displayName") or author.get("handle")),
                            author_id=str(author.get("did") or ""),
                            text=str(record.get("text") or ""),
                            created_at=parse_iso_datetime(record.get("createdAt")),
                            parent_remote_id=str(parent or post["uri"]),
                            url=self._post_url(str(reply_post["uri"])),
                            is_hidden=reply_post["uri"] in hidden,
                            author_handle=str(author.get("handle") or ""),
                            author_url=_profile_url(author),
                            raw=reply_post,
                        ),
                    )
                )
        items.sort(key=lambda pair: pair[0])
        next_cursor = newest.isoformat().replace("+00:00", "Z") if newest else cursor
        return CommentPage(items=[c for _t, c in items], next_cursor=next_cursor)

    def fetch_mentions(self, cursor: str | None) -> CommentPage:
        """Posts that mention or quote the account (``listNotifications``, newest first),
        indexed after ``cursor`` (an ``indexedAt`` timestamp, as for comments); without a
        cursor the newest page only (no backfill)."""
        since = parse_iso_datetime(cursor) if cursor else None
        items: list[tuple[datetime, RemoteComment]] = []
        newest = since
        page_cursor: str | None = None
        for _page in range(NOTIFICATION_PAGES):
            params: dict[str, Any] = {"limit": NOTIFICATIONS_LIMIT, "reasons": ["mention", "quote"]}
            if page_cursor:
                params["cursor"] = page_cursor
            body = self._get("app.bsky.notification.listNotifications", params)
            notifications = body.get("notifications")
            if not isinstance(notifications, list):
                raise MalformedResponseError(_("The platform sent an unexpected answer."))
            reached_known = False
            for note in notifications:
                if not isinstance(note, dict) or note.get("reason") not in ("mention", "quote"):
                    continue
                indexed = parse_iso_datetime(note.get("indexedAt"))
                if indexed is None:
                    continue
                if since is not None and indexed <= since:
                    reached_known = True
                    continue
                if newest is None or indexed > newest:
                    newest = indexed
                author = note.get("author") or {}
                record = note.get("record") or {}
                parent = ((record.get("reply") or {}).get("parent") or {}).get("uri")
                items.append(
                    (
                        indexed,
                        RemoteComment(
                            remote_id=str(note.get("uri") or ""),
                            post_remote_id="",
                            author_name=str(author.get("displayName") or author.get("handle")),
                            author_id=str(author.get("did") or ""),
                            text=str(record.get("text") or ""),
                            created_at=parse_iso_datetime(record.get("createdAt")),
                            parent_remote_id=str(parent or ""),
                            url=self._post_url(str(note.get("uri") or "")),
                            author_handle=str(author.get("handle") or ""),
                            author_url=_profile_url(author),
                            kind=RemoteKind.MENTION,
                            raw=note,
                            by_account=author.get("did") == self.did,
                        ),
                    )
                )
            page_cursor = body.get("cursor")
            if reached_known or since is None or not page_cursor or not notifications:
                break
        items.sort(key=lambda pair: pair[0])
        next_cursor = newest.isoformat().replace("+00:00", "Z") if newest else cursor
        return CommentPage(items=[c for _t, c in items], next_cursor=next_cursor)

    def fetch_messages(self, cursor: str | None) -> CommentPage:
        raise NotSupportedError(
            _(
                "Bluesky keeps direct messages in a separate chat service that app passwords"
                " reach only with extra permission; Sprachrohr does not read them:"
                " not available for this channel."
            )
        )

    def reply(self, comment: RemoteComment, text: str, idempotency_key: str = "") -> PublishResult:
        posts = self._posts([comment.remote_id])
        if not posts:
            raise item_gone()
        parent = posts[0]
        parent_ref = {"uri": str(parent["uri"]), "cid": str(parent["cid"])}
        root = ((parent.get("record") or {}).get("reply") or {}).get("root")
        root_ref = {"uri": str(root["uri"]), "cid": str(root["cid"])} if root else parent_ref
        record = self._record(text)
        record["reply"] = {"root": root_ref, "parent": parent_ref}
        # The same record key on every retry: the PDS refuses a second create under it.
        seed = idempotency_key or f"{comment.remote_id}:{text}"
        return self._create_post(record, deterministic_tid(seed, "reply"))

    def hide_comment(self, comment: RemoteComment) -> None:
        """Add the reply to ``hiddenReplies`` of the thread's threadgate (created if the
        thread has none; its rkey is the root post's rkey, in our repository)."""

        def hide(record: dict[str, Any]) -> bool:
            # A new threadgate has no "allow" key: whoever could reply before still can.
            hidden = list(record.get("hiddenReplies") or [])
            if comment.remote_id in hidden:
                return False
            if len(hidden) >= MAX_HIDDEN_REPLIES:
                raise ContentRejectedError(
                    _("Bluesky hides at most %(n)d replies per thread.") % {"n": MAX_HIDDEN_REPLIES}
                )
            record["hiddenReplies"] = [*hidden, comment.remote_id]
            return True

        self._change_threadgate(comment.post_remote_id, hide, _("hide comments"))

    # Showing a reply again removes it from ``hiddenReplies``; switching comments off sets the
    # threadgate's ``allow`` to an empty list (nobody may reply), keeping the hidden replies.
    can_unhide_comments = True
    can_disable_comments = True

    def unhide_comment(self, comment: RemoteComment) -> None:
        def show(record: dict[str, Any]) -> bool:
            hidden = list(record.get("hiddenReplies") or [])
            if comment.remote_id not in hidden:
                return False
            record["hiddenReplies"] = [uri for uri in hidden if uri != comment.remote_id]
            return True

        self._change_threadgate(comment.post_remote_id, show, _("show hidden comments again"))

    def disable_comments(self, post_remote_id: str) -> None:
        def close(record: dict[str, Any]) -> bool:
            if record.get("allow") == []:
                return False
            record["allow"] = []
            return True

        self._change_threadgate(post_remote_id, close, _("switch comments off"))

    def _change_threadgate(
        self, post_uri: str, change: Callable[[dict[str, Any]], bool], operation: str
    ) -> None:
        """Read the thread's threadgate (rkey = the root post's rkey, in our repository),
        let ``change`` edit it (False: nothing to do) and write it back, refusing to
        overwrite a concurrent change (``swapRecord``)."""
        repo, _collection, root_rkey = parse_at_uri(post_uri)
        if repo != self.did:
            raise self.unsupported(operation)
        try:
            existing = self._get(
                "com.atproto.repo.getRecord",
                {"repo": self.did, "collection": THREADGATE, "rkey": root_rkey},
            )
        except RemoteNotFoundError:
            existing = None
        record: dict[str, Any] = dict((existing or {}).get("value") or {})
        if not record:
            record = {"$type": THREADGATE, "post": post_uri, "createdAt": _now_iso()}
        if not change(record):
            return
        body: dict[str, Any] = {
            "repo": self.did,
            "collection": THREADGATE,
            "rkey": root_rkey,
            "record": record,
        }
        if existing and existing.get("cid"):
            body["swapRecord"] = existing["cid"]  # do not overwrite a concurrent change
        self._xrpc("POST", "com.atproto.repo.putRecord", json_body=body)

    # -- blocking authors -------------------------------------------------------------------

    # A block is an ``app.bsky.graph.block`` record in our repository (created with
    # com.atproto.repo.createRecord, removed with deleteRecord). Its record key is derived
    # from the author's DID, so a retried block addresses the record the first attempt made
    # and the unblock knows which record to delete.
    can_block_authors = True
    can_unblock_authors = True

    def _block_rkey(self, author_did: str) -> str:
        return deterministic_tid(f"{self.did}:{author_did}", "block")

    def block_author(self, author_remote_id: str, *, comment_remote_id: str = "") -> None:
        if not author_remote_id.startswith("did:"):
            raise RemoteNotFoundError(_("The platform does not know this account."))
        rkey = self._block_rkey(author_remote_id)
        record = {"$type": BLOCK, "subject": author_remote_id, "createdAt": _now_iso()}

        def earlier_block() -> bool | None:
            # The record exists when an earlier attempt got through: the block stands.
            query = {"repo": self.did, "collection": BLOCK, "rkey": rkey}
            existing = self._get("com.atproto.repo.getRecord", query)
            subject = (existing.get("value") or {}).get("subject")
            return True if subject == author_remote_id else None

        if self._create_record(BLOCK, rkey, record, earlier_block) is True:
            logger.info("Bluesky block %s already existed", rkey)

    def unblock_author(self, author_remote_id: str) -> None:
        # Deleting a record that is no longer there succeeds: unblocking twice is harmless.
        self._xrpc(
            "POST",
            "com.atproto.repo.deleteRecord",
            json_body={
                "repo": self.did,
                "collection": BLOCK,
                "rkey": self._block_rkey(author_remote_id),
            },
        )


def _facet(start: int, end: int, kind: str, values: Mapping[str, str]) -> dict[str, Any]:
    return {
        "index": {"byteStart": start, "byteEnd": end},
        "features": [{"$type": f"app.bsky.richtext.facet#{kind}", **values}],
    }


def _links(text: str) -> Iterable[tuple[int, int, str]]:
    """(byteStart, byteEnd, uri) of every link, as ``detectFacets`` of ``@atproto/api``
    finds them: a bare domain gets ``https://``, one trailing ``.,;:!?`` and an unbalanced
    closing parenthesis are not part of the link."""
    for match in _LINK.finditer(text):
        uri = match.group(2)
        if not uri.startswith("http"):  # case-sensitive, as there
            domain = match.group("domain")
            # isValidDomain: the last label is a known TLD (case-sensitively, as there:
            # WWW.MUSTERSTADT.DE is no link in the Bluesky app).
            if not domain or domain.rsplit(".", 1)[-1] not in RICHTEXT_TLDS:
                continue
            uri = "https://" + uri
        start, end = match.start(2), match.end(2)
        if uri[-1] in ".,;:!?":
            uri, end = uri[:-1], end - 1
        if uri.endswith(")") and "(" not in uri:
            uri, end = uri[:-1], end - 1
        yield len(text[:start].encode("utf-8")), len(text[:end].encode("utf-8")), uri


def _walk(replies: Iterable[Any]) -> Iterable[dict[str, Any]]:
    """Every reachable reply of a thread; not-found and blocked posts are skipped."""
    for reply in replies:
        if not isinstance(reply, dict) or not isinstance(reply.get("post"), dict):
            continue
        if not reply["post"].get("uri"):
            continue
        yield reply
        yield from _walk(reply.get("replies") or [])


def _rate_limit_reset(value: str | None) -> float | None:
    """``RateLimit-Reset``: Bluesky sends a UNIX timestamp; the draft it follows defines
    delta-seconds. Accept both."""
    if not value or not value.strip().isdigit():
        return parse_retry_after(value)
    number = float(value.strip())
    if number > 1_000_000_000:
        return max(number - datetime.now(UTC).timestamp(), 0.0)
    return number


def _shares(post: Mapping[str, Any]) -> int | None:
    """Reposts and quotes together; "not provided" (``None``) when the post view carries
    neither count (both are optional in ``app.bsky.feed.defs#postView``)."""
    reposts, quotes = post.get("repostCount"), post.get("quoteCount")
    if not isinstance(reposts, int) and not isinstance(quotes, int):
        return None
    return (reposts if isinstance(reposts, int) else 0) + (quotes if isinstance(quotes, int) else 0)
