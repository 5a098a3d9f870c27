"""What the three Meta adapters (Facebook Pages, Instagram, Threads) share.

The Graph API (graph.facebook.com) and the Threads API (graph.threads.net) answer errors in
the same documented shape::

    {"error": {"message": "...", "type": "OAuthException", "code": 190,
               "error_subcode": 460, "is_transient": false,
               "error_user_title": "...", "error_user_msg": "...", "fbtrace_id": "..."}}

and mostly with HTTP 400 whatever the cause, so the taxonomy is decided by ``code``, not by
the HTTP status. Documentation this is based on (titles/URLs as the search tool returned
them):

- "Handling Errors" / Graph API error codes (developers.facebook.com/docs/graph-api/
  guides/error-handling): 190 invalid token, 4/17/32/613 rate limits, 10 and 200-299
  permissions, 100 invalid parameter, 1/2 and ``is_transient`` temporary problems, the error
  body above (its example is also quoted in "/{object-id}/insights", developers.facebook.com/
  docs/graph-api/reference/v2.9/insights).
- "Rate Limiting" (Graph API) for the Business Use Case codes 80001-80014 and the
  ``X-Business-Use-Case-Usage`` header with ``estimated_time_to_regain_access`` (minutes).
- "Threads Posts" / "Threads API Troubleshooting" (developers.facebook.com/docs/threads/
  troubleshooting) and "Content Publishing" (developers.facebook.com/docs/instagram-platform/
  content-publishing/) for the container status values polled before publishing.

Nothing here logs a URL or a header, and every reason taken from a response is scrubbed of
the credential values before it reaches an exception message.
"""

from __future__ import annotations

import hashlib
import hmac
import json as jsonlib
import logging
import time
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import ClassVar

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from channels_app.adapters import oauth2
from channels_app.adapters.base import CONNECT_TIMEOUT
from channels_app.adapters.base import READ_TIMEOUT
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import access_ended
from channels_app.adapters.base import access_refused
from channels_app.adapters.base import error_for_status
from channels_app.adapters.base import item_gone
from channels_app.adapters.base import parse_iso_datetime
from channels_app.adapters.base import parse_retry_after
from channels_app.adapters.base import problems_for_media
from channels_app.adapters.base import rate_limited
from channels_app.adapters.base import user_agent
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.errors import redact

logger = logging.getLogger(__name__)

# Graph API error codes (documented in "Handling Errors").
_TOKEN_CODES = frozenset({102, 190})
_RATE_LIMIT_CODES = frozenset({4, 17, 32, 613}) | frozenset(range(80001, 80015))
_PERMISSION_CODES = frozenset({3, 10}) | frozenset(range(200, 300))
_TRANSIENT_CODES = frozenset({1, 2})
# Instagram: "media not ready for publishing" (code 9007) clears by itself.
_NOT_READY_CODES = frozenset({9007})
# Code 100 subcode 33: "Object with ID ... does not exist, cannot be loaded due to missing
# permissions, or does not support this operation".
_NOT_FOUND_SUBCODES = frozenset({33})

# How far back ``find_published`` looks for an earlier attempt, and how far back the first
# comment poll reaches.
FIND_WINDOW = timedelta(hours=48)
COMMENT_BACKFILL = timedelta(days=7)


def graph_error(body: Any) -> dict[str, Any]:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"]
    return {}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def usage_retry_after(response: requests.Response) -> float | None:
    """Seconds until Meta lets the app call again: ``Retry-After`` where sent, otherwise the
    ``estimated_time_to_regain_access`` (minutes) of the Business Use Case usage header."""
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if retry_after is not None:
        return retry_after
    header = response.headers.get("X-Business-Use-Case-Usage")
    if not header:
        return None
    try:
        usage = jsonlib.loads(header)
    except ValueError:
        return None
    minutes = [
        entry.get("estimated_time_to_regain_access", 0)
        for entries in (usage.values() if isinstance(usage, dict) else [])
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    ]
    longest = max((m for m in minutes if isinstance(m, int | float)), default=0)
    return float(longest) * 60 if longest else None


def meta_error(response: requests.Response, secrets: Iterable[str] = ()) -> PlatformError:
    """Map one documented Graph/Threads error response into the taxonomy."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    error = graph_error(body)
    code = _int(error.get("code"))
    subcode = _int(error.get("error_subcode"))
    # ``error_user_msg`` is written for end users; ``message`` for developers.
    reason = str(error.get("error_user_msg") or error.get("message") or "")
    reason = redact(reason, secrets)[:500] or _("no reason given")
    code_text = "" if code is None else str(code) if subcode is None else f"{code}/{subcode}"

    if status == 429 or code in _RATE_LIMIT_CODES:
        return rate_limited(status=status, code=code_text, retry_after=usage_retry_after(response))
    if code in _TOKEN_CODES:
        return access_ended(status=status, code=code_text)
    if code in _PERMISSION_CODES:
        return access_refused(reason, status=status, code=code_text)
    if code in _TRANSIENT_CODES or code in _NOT_READY_CODES or error.get("is_transient") is True:
        return TransientError(
            _("The platform has a temporary problem: %(reason)s") % {"reason": reason},
            status=status,
            code=code_text,
            retry_after=usage_retry_after(response),
        )
    if code == 100 and subcode in _NOT_FOUND_SUBCODES:
        return item_gone(status=status, code=code_text)
    return error_for_status(
        status, code=code_text, reason=reason, retry_after=usage_retry_after(response)
    )


def same_text(a: str, b: str) -> bool:
    """Platforms may normalise line endings and trailing spaces of a published text."""

    def norm(text: str) -> str:
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()

    return norm(a) == norm(b)


# --- Comment cursors -----------------------------------------------------------------------
# The Meta APIs have no account-wide "comments since" feed. The adapters read the comments of
# the account's recent posts and keep, as the opaque cursor, the time of the newest comment
# seen; the next poll returns comments at or after it (the caller deduplicates by remote id,
# so a comment on the boundary second is never lost).


def decode_comment_cursor(cursor: str | None) -> datetime:
    if cursor:
        try:
            data = jsonlib.loads(cursor)
            since = parse_iso_datetime(data.get("since")) if isinstance(data, dict) else None
        except ValueError:
            since = None
        if since is not None:
            return since
    return datetime.now(UTC) - COMMENT_BACKFILL


def encode_comment_cursor(since: datetime) -> str:
    return jsonlib.dumps({"since": since.astimezone(UTC).isoformat()})


class CommentWindow:
    """One comment poll: comments created before ``since`` (read from the cursor) were seen
    by an earlier poll; the newest creation time seen becomes the next cursor."""

    def __init__(self, cursor: str | None) -> None:
        self.since = decode_comment_cursor(cursor)
        self.newest = self.since

    def is_old(self, created: datetime | None) -> bool:
        return created is not None and created < self.since

    def saw(self, created: datetime | None) -> None:
        if created is not None and created > self.newest:
            self.newest = created

    def page(self, items: list[RemoteComment]) -> CommentPage:
        return CommentPage(items=items, next_cursor=encode_comment_cursor(self.newest))

    def newer(
        self, pages: Iterable[Mapping[str, Any]], created_key: str
    ) -> Iterator[tuple[dict[str, Any], datetime | None]]:
        """The items of Graph answer ``pages`` (newest first) not seen by an earlier poll,
        each with its creation time read from ``created_key``. An old item means the rest of
        its page, and every later page, is older still: no further page is fetched. The
        caller marks what it keeps with ``saw``."""
        for body in pages:
            reached_old = False
            for raw in body.get("data", []):
                created = parse_iso_datetime(raw.get(created_key))
                if self.is_old(created):
                    reached_old = True
                    continue
                yield raw, created
            if reached_old:
                return


def insight_values(body: Any) -> dict[str, int]:
    """The first value of each metric of a media insights answer (``values: [{"value": n}]``)
    by metric name; metrics without a whole number are left out."""
    values: dict[str, int] = {}
    for metric in body.get("data", []):
        value = (metric.get("values") or [{}])[0].get("value")
        if isinstance(value, int):
            values[str(metric.get("name"))] = value
    return values


def profile_info(body: Mapping[str, Any], url: str) -> AccountInfo:
    """An Instagram or Threads profile read with ``fields=id,username,name``; ``url`` is the
    profile address with ``{username}`` in it (empty without a user name)."""
    username = str(body.get("username", ""))
    return AccountInfo(
        account_id=str(body.get("id", "")),
        handle=username,
        display_name=str(body.get("name") or username),
        url=url.format(username=username) if username else "",
    )


def next_page_after(body: Any, *, needs_next: bool = True) -> Any:
    """The ``after`` cursor for the next page of a cursor-paged Graph answer, or None on the
    last page. The Graph API omits ``paging.next`` there (``needs_next``); callers that do
    not rely on it stop when the cursor is missing."""
    paging = body.get("paging", {})
    after = paging.get("cursors", {}).get("after")
    if not after or (needs_next and not paging.get("next")):
        return None
    return after


# --- HTTP ----------------------------------------------------------------------------------


def public_url_problems(item: MediaItem, field_name: str, message: str) -> list[Problem]:
    """Instagram and Threads fetch media from ``public_url`` themselves: a file without one
    cannot be posted yet (``message`` names the platform)."""
    if item.public_url:
        return []
    return [Problem("media_public_url_missing", field_name, message)]


def photo_problems(
    content: PostContent, *, max_images: int, image_types: frozenset[str], max_image_bytes: int
) -> list[Problem]:
    """The media checks of a Meta platform that publishes photos only, without alternative
    text (Facebook Pages, Instagram)."""
    return problems_for_media(
        content,
        max_images=max_images,
        max_videos=0,
        image_types=image_types,
        video_types=frozenset(),
        max_image_bytes=max_image_bytes,
        max_video_bytes=0,
        max_alt_text=None,
    )


class MetaGraphMixin(PlatformAdapter):
    """Bearer-token Graph calls with Meta's error mapping. Subclasses set ``api_base``."""

    api_base: str = ""
    # Seconds between container status checks before publishing (videos take a while).
    poll_interval: float = 5.0
    poll_attempts: int = 60
    use_appsecret_proof: bool = True

    def _secrets(self) -> list[str]:
        return [str(v) for v in self.credentials.values() if isinstance(v, str)] + [
            getattr(settings, "META_APP_SECRET", "") or "",
            getattr(settings, "THREADS_APP_SECRET", "") or "",
        ]

    def error_detail(self, response: requests.Response) -> tuple[str, str]:
        try:
            error = graph_error(response.json())
        except ValueError:
            return "", ""
        reason = str(error.get("error_user_msg") or error.get("message") or "")
        return str(error.get("code", "")), redact(reason, self._secrets())

    def map_error(self, response: requests.Response) -> PlatformError:
        return meta_error(response, self._secrets())

    def _auth(self, params: dict[str, Any] | None) -> tuple[dict[str, str], dict[str, Any]]:
        token = str(self.credentials.get("access_token", ""))
        params = dict(params or {})
        secret = getattr(settings, "META_APP_SECRET", "") if self.use_appsecret_proof else ""
        if secret and token:
            # "Securing Requests": with "Require App Secret" on, every call carries the
            # HMAC of the token; it is no secret itself.
            params["appsecret_proof"] = hmac.new(
                secret.encode(), token.encode(), hashlib.sha256
            ).hexdigest()
        return {"Authorization": f"Bearer {token}"}, params

    def graph(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        timeout: tuple[float, float] | None = None,
    ) -> Any:
        headers, query = self._auth(dict(params or {}))
        response = self.request(
            method,
            f"{self.api_base}/{path.lstrip('/')}",
            params=query or None,
            data=data,
            files=files,
            headers=headers,
            timeout=timeout,
        )
        body = self.json(response)
        error = graph_error(body)
        if error:
            # Graph occasionally answers 200 with an error body (batch-like edges).
            raise meta_error(response, self._secrets())
        return body

    def graph_pages(
        self, path: str, params: Mapping[str, Any], *, pages: int, needs_next: bool = True
    ) -> Iterator[Any]:
        """GET ``path`` and the pages after it (cursor ``after``, see ``next_page_after``), at
        most ``pages`` in all; a caller that has read enough leaves the loop early."""
        for _page in range(pages):
            body = self.graph("GET", path, params=params)
            yield body
            after = next_page_after(body, needs_next=needs_next)
            if after is None:
                return
            params = {**params, "after": after}

    def read_profile(self, node: str, url: str) -> AccountInfo:
        """The Instagram or Threads profile at ``node`` (``profile_info`` reads the answer;
        ``url`` is the profile address with ``{username}`` in it)."""
        body = self.graph("GET", node, params={"fields": "id,username,name"})
        return profile_info(body, url)

    def recent_ids(self, edge: str, *, limit: int, fields: str = "id") -> list[str]:
        """The ids of the account's newest items at ``edge`` (its posts, media or threads):
        the comment polls read the comments under these."""
        body = self.graph("GET", edge, params={"fields": fields, "limit": limit})
        return [str(item["id"]) for item in body.get("data", [])]

    def find_recent_text(
        self, edge: str, *, fields: str, text_key: str, text: str
    ) -> dict[str, Any] | None:
        """The newest item at ``edge`` from the last ``FIND_WINDOW`` whose ``text_key`` is
        ``text`` as the platform may have normalised it (``same_text``): the post an earlier
        attempt made, for ``find_published``. ``fields`` must include ``text_key``."""
        since = datetime.now(UTC) - FIND_WINDOW
        body = self.graph(
            "GET",
            edge,
            params={"fields": fields, "since": int(since.timestamp()), "limit": 25},
        )
        for item in body.get("data", []):
            if same_text(str(item.get(text_key, "")), text):
                return dict(item)
        return None

    def create_container(self, edge: str, data: Mapping[str, Any]) -> str:
        """A Threads/Instagram media container made at ``edge``; its id."""
        body = self.graph("POST", edge, data=data)
        container_id = str(body.get("id", ""))
        if not container_id:
            raise MalformedResponseError(_("The platform did not return the container's id."))
        return container_id

    def publish_container(self, edge: str, container_id: str) -> str:
        """Publish a finished container at ``edge`` (``…/media_publish``, ``…/threads_publish``);
        the new post's id."""
        body = self.graph("POST", edge, data={"creation_id": container_id})
        media_id = str(body.get("id", ""))
        if not media_id:
            raise MalformedResponseError(_("The platform did not return the post's id."))
        return media_id

    def wait_for_container(self, container_id: str, *, field: str) -> None:
        """Poll a Threads/Instagram media container until it can be published. ``field`` is
        ``status`` (Threads) or ``status_code`` (Instagram)."""
        extra = ",error_message" if field == "status" else ""
        for attempt in range(self.poll_attempts):
            body = self.graph("GET", container_id, params={"fields": f"{field}{extra}"})
            status = str(body.get(field, ""))
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status == "ERROR":
                detail = str(body.get("error_message") or body.get("status") or "")
                raise ContentRejectedError(
                    _("The platform could not process the media: %(reason)s")
                    % {"reason": detail or _("no reason given")},
                    code="container_error",
                )
            if status == "EXPIRED":
                raise ContentRejectedError(
                    _("The prepared post expired at the platform before it was published."),
                    code="container_expired",
                )
            if status != "IN_PROGRESS":
                raise MalformedResponseError(
                    _("The platform reported an unknown processing status."), code=status[:50]
                )
            if attempt + 1 < self.poll_attempts:
                time.sleep(self.poll_interval)
        raise TransientError(
            _("The platform is still processing the media; Sprachrohr tries again later."),
            code="container_in_progress",
        )


class GraphCommentModeration(MetaGraphMixin):
    """Comments on graph.facebook.com (Facebook Pages, Instagram): ``POST /{comment-id}``
    with the platform's hide field ``true`` or ``false`` hides a comment or shows it again,
    ``DELETE /{comment-id}`` removes it."""

    comment_hide_field: ClassVar[str]
    can_unhide_comments: ClassVar[bool] = True

    def hide_comment(self, comment: RemoteComment) -> None:
        self.graph("POST", comment.remote_id, data={self.comment_hide_field: "true"})

    def unhide_comment(self, comment: RemoteComment) -> None:
        self.graph("POST", comment.remote_id, data={self.comment_hide_field: "false"})

    def delete_comment(self, comment: RemoteComment) -> None:
        self.graph("DELETE", comment.remote_id)

    def reply_at(self, edge: str, text: str) -> PublishResult:
        """Post ``text`` as a comment at ``edge`` (a comment's ``comments`` or ``replies``).
        No idempotency key: a lost answer is looked for with ``find_reply``."""
        body = self.graph("POST", edge, data={"message": text})
        return PublishResult(remote_id=str(body.get("id", "")), url="")


def session_call(
    session: requests.Session,
    method: str,
    url: str,
    *,
    secrets: Iterable[str] = (),
    **kwargs: Any,
) -> Any:
    """One request from a class method (no adapter instance yet): same timeouts, User-Agent
    and error mapping as ``PlatformAdapter.request``. Never logs the URL (the token exchange
    carries the code and the app secret)."""
    headers = dict(kwargs.pop("headers", None) or {})
    headers["User-Agent"] = user_agent()
    try:
        response = session.request(
            method, url, headers=headers, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), **kwargs
        )
    except requests.Timeout:
        raise TransientError(_("The platform did not answer in time.")) from None
    except requests.ConnectionError:
        raise TransientError(_("The platform could not be reached.")) from None
    except requests.RequestException:
        raise TransientError(_("The request to the platform failed.")) from None
    if response.status_code != 200:
        raise meta_error(response, secrets)
    try:
        body = response.json()
    except ValueError:
        raise MalformedResponseError(
            _("The platform sent an answer that is not valid JSON."), status=response.status_code
        ) from None
    if graph_error(body):
        raise meta_error(response, secrets)
    return body


def meta_app(names: tuple[str, str] = ("META_APP_ID", "META_APP_SECRET")) -> OAuthClient:
    missing = _(
        "The operator has not registered a Meta app: set %(id)s and %(secret)s in the"
        " server configuration."
    ) % {"id": names[0], "secret": names[1]}
    return oauth2.client_from_settings(oauth2.AppSettings(*names, missing))
