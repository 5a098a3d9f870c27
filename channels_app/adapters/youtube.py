"""YouTube adapter: YouTube Data API v3 with Google OAuth 2.0.

A post is one uploaded video: ``PostContent.title`` becomes ``snippet.title``, the text (plus
the link to the authority's website) ``snippet.description``; subtitles from
``MediaItem.captions_path`` are added with ``captions.insert``.

Written against the official documentation (as returned by the search tool):

- "YouTube Data API - Resumable Uploads"
  https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol
- "Videos: insert" https://developers.google.com/youtube/v3/docs/videos/insert and the video
  resource (title at most 100 characters, description at most 5,000 bytes, neither may
  contain ``<`` or ``>``; files up to 256 GB, ``video/*``)
- "Captions: insert" https://developers.google.com/youtube/v3/docs/captions/insert
- "CommentThreads: list" https://developers.google.com/youtube/v3/docs/commentThreads/list
- "Comments: setModerationStatus"
  https://developers.google.com/youtube/v3/docs/comments/setModerationStatus
- Comments: insert / delete, Videos: list / delete, Channels: list, PlaylistItems: list
  (https://developers.google.com/youtube/v3/docs/…)
- "Using OAuth 2.0 for Web Server Applications"
  https://developers.google.com/identity/protocols/oauth2/web-server (access_type=offline,
  prompt=consent, PKCE, refresh and revoke at oauth2.googleapis.com)
- The documented error body ``{"error": {"code", "message", "errors": [{"domain",
  "reason", "message"}]}}`` with reasons ``quotaExceeded`` / ``rateLimitExceeded``.

No idempotency key: YouTube offers none. Every publish first lists the channel's uploads
playlist (``playlistItems.list``, 1 quota unit) and looks for a video with the same title
whose description carries the marker ``Ref. sr-<hash of the idempotency key>``; only if none
is there is a new upload started.
"""

from __future__ import annotations

import hashlib
import json as jsonlib
import logging
import os
import secrets
import time
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import ClassVar
from zoneinfo import ZoneInfo

import requests
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.adapters import oauth2
from channels_app.adapters.base import UPLOAD_TIMEOUT
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.base import Capabilities
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import PostMetrics
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import json_object
from channels_app.adapters.base import oauth_error_detail
from channels_app.adapters.base import parse_retry_after
from channels_app.adapters.base import problems_for_malformed_text
from channels_app.adapters.base import problems_for_media_type
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.adapters.oauth2 import AppSettings
from channels_app.adapters.oauth2 import OAuth2Config
from channels_app.adapters.text import utf8_length

logger = logging.getLogger(__name__)

API = "https://www.googleapis.com/youtube/v3"
UPLOAD_API = "https://www.googleapis.com/upload/youtube/v3"
AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 (an endpoint, not a secret)
REVOKE_URL = "https://oauth2.googleapis.com/revoke"

TITLE_MAX = 100  # characters
DESCRIPTION_MAX_BYTES = 5000  # bytes, UTF-8
COMMENT_MAX = 10_000  # characters (comment resource, snippet.textOriginal)
MAX_VIDEO_BYTES = 256 * 1024**3  # "Maximum file size: 256GB"
MAX_CAPTION_BYTES = 100 * 1024**2  # captions.insert: "Maximum file size: 100MB"
# The formats YouTube's help centre lists as supported; the API accepts ``video/*``.
VIDEO_TYPES = frozenset(
    {
        "video/mp4",
        "video/quicktime",
        "video/mpeg",
        "video/x-msvideo",
        "video/x-ms-wmv",
        "video/x-flv",
        "video/3gpp",
        "video/webm",
        "video/x-matroska",
        "video/mp2t",
    }
)
# Resumable upload chunks must be multiples of 256 KiB; 8 MiB keeps memory bounded.
CHUNK_SIZE = 32 * 256 * 1024
MAX_UPLOAD_RESUMES = 3
# Daily quota resets at midnight Pacific Time (YouTube Data API "Quota usage").
QUOTA_TIMEZONE = "America/Los_Angeles"
QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
# 403s that refuse this content/action rather than the access as a whole.
REJECTED_403_REASONS = frozenset({"commentsDisabled", "forbiddenEditingOrDeleting"})
AUTH_ERRORS = frozenset({"invalid_grant", "invalid_client", "unauthorized_client"})
MARKER_PREFIX = "Ref. sr-"
_sleep = time.sleep  # replaced in tests


def _marker(idempotency_key: str) -> str:
    """A short, stable reference derived from the key: unique enough to find our own upload,
    and it reveals nothing about the key itself."""
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:12]
    return f"{MARKER_PREFIX}{digest}"


def _description(content: PostContent, idempotency_key: str) -> str:
    parts = [content.text.strip()]
    if content.link and content.link not in content.text:
        parts.append(content.link)
    parts.append(_marker(idempotency_key))
    return "\n\n".join(p for p in parts if p)


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    # The API sends counts as strings ("viewCount": "1234") and omits hidden ones.
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def seconds_until_quota_reset(now: datetime | None = None) -> float:
    zone = ZoneInfo(QUOTA_TIMEZONE)
    local = (now or datetime.now(tz=UTC)).astimezone(zone)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max((midnight - local).total_seconds(), 60.0)


def watch_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


class YouTubeAdapter(PlatformAdapter):
    platform: ClassVar[str] = "youtube"
    capabilities: ClassVar[Capabilities] = Capabilities.all_but(
        "publish_text",
        "publish_images",
        "alt_text",  # no alt text for videos; subtitles are uploaded with captions.insert
        max_text_length=DESCRIPTION_MAX_BYTES,
        max_images=0,
        requires_media=True,
        text_counting=gettext_lazy(
            "The title (required) may have 100 characters; the description 5,000 bytes in"
            " UTF-8, so umlauts and emoji count more than once. Neither may contain < or >."
        ),
        idempotency=gettext_lazy(
            "YouTube has no idempotency key: before each upload Sprachrohr lists the"
            " channel's recent uploads and reuses a video with the same title and reference"
            " marker in its description."
        ),
    )
    oauth_scopes: ClassVar[tuple[str, ...]] = (
        "https://www.googleapis.com/auth/youtube.upload",
        "https://www.googleapis.com/auth/youtube.force-ssl",
        "https://www.googleapis.com/auth/youtube.readonly",
    )
    oauth_uses_pkce: ClassVar[bool] = True
    oauth_config: ClassVar[OAuth2Config] = OAuth2Config(
        authorize_url=AUTHORIZE_URL,
        token_url=TOKEN_URL,
        revoke_url=REVOKE_URL,
        app=AppSettings(
            "GOOGLE_CLIENT_ID",
            "GOOGLE_CLIENT_SECRET",
            gettext_lazy(
                "YouTube is not set up on this server: the operator must set"
                " GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET."
            ),
        ),
        # offline + consent: Google issues a refresh token on every connect, also when the
        # person had granted access before (otherwise it would be missing).
        authorize_params={
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
        },
        # A refresh answers with a new access token and, normally, no refresh token: the
        # stored one stays valid and is kept.
        refresh_grant=True,
        default_lifetime=timedelta(hours=1),
        no_token_message=gettext_lazy("Google did not return an access token."),
        refused_message=gettext_lazy("Google no longer accepts the access: reconnect the channel."),
    )

    # -- helpers --

    def _auth(self) -> dict[str, str]:
        self._ensure_fresh()
        return {"Authorization": f"Bearer {self.credentials.get('access_token', '')}"}

    def _ensure_fresh(self) -> None:
        """Refresh shortly before expiry so a long upload does not start with a dying token."""
        expires_at = _parse_time(self.credentials.get("expires_at"))
        if expires_at is None or not self.credentials.get("refresh_token"):
            return
        if expires_at - datetime.now(tz=UTC) < timedelta(seconds=60):
            self.refresh_credentials()

    @property
    def channel_id(self) -> str:
        return self.context.account_id

    def error_detail(self, response: requests.Response) -> tuple[str, str]:
        """Google's documented error shapes: the API's ``{"error": {"code", "message",
        "errors": [{"domain", "reason", "message"}]}}`` and the OAuth endpoints'
        ``{"error": "invalid_grant", "error_description": …}``."""
        body = json_object(response) or {}
        error = body.get("error")
        if isinstance(error, dict):
            errors = error.get("errors") or []
            reason = ""
            if errors and isinstance(errors[0], dict):
                reason = str(errors[0].get("reason", ""))
            # Messages may contain HTML links (the quota message does).
            return reason or str(error.get("status", "")), strip_tags(str(error.get("message", "")))
        return oauth_error_detail(body) or ("", "")

    def map_error(self, response: requests.Response) -> PlatformError:
        status = response.status_code
        reason, message = self.error_detail(response)
        message = message[:500]
        if reason in QUOTA_REASONS:
            return RateLimitedError(
                _(
                    "The daily YouTube API quota is used up; Sprachrohr tries again after it"
                    " resets."
                ),
                status=status,
                code=reason,
                retry_after=seconds_until_quota_reset(),
            )
        if reason in RATE_REASONS:
            return RateLimitedError(
                _("YouTube limits the number of requests; Sprachrohr tries again later."),
                status=status,
                code=reason,
                retry_after=parse_retry_after(response.headers.get("Retry-After")) or 60.0,
            )
        if reason == "uploadLimitExceeded":
            return RateLimitedError(
                _("The channel has uploaded as many videos as YouTube allows for now."),
                status=status,
                code=reason,
                retry_after=parse_retry_after(response.headers.get("Retry-After")) or 3600.0,
            )
        if reason in AUTH_ERRORS:
            return AuthenticationError(
                _("Google no longer accepts the access: reconnect the channel."),
                status=status,
                code=reason,
            )
        if status == 403 and reason in REJECTED_403_REASONS:
            return ContentRejectedError(
                _("YouTube refused this: %(reason)s") % {"reason": message or reason},
                status=status,
                code=reason,
            )
        return super().map_error(response)

    def _api(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        base: str = API,
        **kwargs: Any,
    ) -> requests.Response:
        headers = {**kwargs.pop("headers", {}), **self._auth()}
        return self.request(method, f"{base}/{path}", params=params, headers=headers, **kwargs)

    # -- validation --

    def text_length(self, content: PostContent) -> int:
        # The same count as validate() below, for the editor's live counter.
        return utf8_length(_description(content, ""))

    def validate(self, content: PostContent) -> list[Problem]:
        problems: list[Problem] = problems_for_malformed_text(content)
        title = content.title.strip()
        if not title:
            problems.append(
                Problem("title_missing", "title", _("YouTube needs a title for the video."))
            )
        elif len(title) > TITLE_MAX:
            problems.append(
                Problem(
                    "title_too_long",
                    "title",
                    _("The title has %(length)d characters; YouTube allows at most %(limit)d.")
                    % {"length": len(title), "limit": TITLE_MAX},
                )
            )
        if "<" in title or ">" in title:
            problems.append(
                Problem(
                    "title_invalid_characters",
                    "title",
                    _("YouTube does not accept the characters < and > in titles."),
                )
            )
        # The marker is part of the description; its length is fixed, the key does not matter.
        description = _description(content, "")
        length = utf8_length(description)
        if length > DESCRIPTION_MAX_BYTES:
            problems.append(
                Problem(
                    "text_too_long",
                    "text",
                    _(
                        "The description takes %(length)d bytes in UTF-8 (including the link"
                        " and Sprachrohr's reference); YouTube allows at most %(limit)d."
                    )
                    % {"length": length, "limit": DESCRIPTION_MAX_BYTES},
                )
            )
        if "<" in content.text or ">" in content.text:
            problems.append(
                Problem(
                    "text_invalid_characters",
                    "text",
                    _("YouTube does not accept the characters < and > in descriptions."),
                )
            )
        problems.extend(self._media_problems(content))
        return problems

    def _media_problems(self, content: PostContent) -> list[Problem]:
        problems: list[Problem] = []
        videos = [m for m in content.media if m.kind == MediaKind.VIDEO]
        if any(m.kind == MediaKind.IMAGE for m in content.media):
            problems.append(
                Problem(
                    "images_not_supported",
                    "media",
                    _("YouTube accepts only a video, no images."),
                )
            )
        if not videos:
            problems.append(
                Problem("video_required", "media", _("YouTube needs exactly one video."))
            )
        elif len(videos) > 1:
            problems.append(
                Problem("too_many_videos", "media", _("YouTube accepts only one video per post."))
            )
        for index, item in enumerate(content.media):
            if item.kind != MediaKind.VIDEO:
                continue
            field_name = f"media.{index}"
            problems += problems_for_media_type(item, field_name, VIDEO_TYPES)
            if item.size > MAX_VIDEO_BYTES:
                problems.append(
                    Problem(
                        "media_too_large",
                        field_name,
                        _("YouTube accepts videos of at most 256 GB."),
                    )
                )
            if item.captions_path:
                try:
                    caption_size = os.path.getsize(item.captions_path)
                except OSError:
                    caption_size = None
                if caption_size is None:
                    problems.append(
                        Problem(
                            "captions_missing",
                            field_name,
                            _("The subtitle file cannot be read."),
                        )
                    )
                elif caption_size > MAX_CAPTION_BYTES:
                    problems.append(
                        Problem(
                            "captions_too_large",
                            field_name,
                            _("YouTube accepts subtitle files of at most 100 MB."),
                        )
                    )
        return problems

    # -- connection --

    def test_connection(self) -> AccountInfo:
        response = self._api("GET", "channels", params={"part": "snippet", "mine": "true"})
        items = self.json(response).get("items") or []
        if not items:
            raise AuthenticationError(_("This Google account has no YouTube channel."))
        return self._account_info(items[0])

    @staticmethod
    def _account_info(channel: dict[str, Any]) -> AccountInfo:
        snippet = channel.get("snippet", {})
        return AccountInfo(
            account_id=channel["id"],
            handle=snippet.get("customUrl", ""),
            display_name=snippet.get("title", ""),
            url=f"https://www.youtube.com/channel/{channel['id']}",
        )

    # -- publishing --

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        self.refuse_invalid(content, joined_by=" ")
        # No idempotency key at YouTube: look for an earlier attempt first (1 quota unit).
        existing = self.find_published(content, idempotency_key)
        if existing is not None:
            return existing
        video = next(m for m in content.media if m.kind == MediaKind.VIDEO)
        metadata = {
            "snippet": {
                "title": content.title.strip(),
                "description": _description(content, idempotency_key),
                # 25 = "News & Politics", the usual category for authorities.
                "categoryId": str(self.context.settings.get("category_id", "25")),
            },
            "status": {
                "privacyStatus": self.context.settings.get("privacy_status", "public"),
                "selfDeclaredMadeForKids": False,
            },
        }
        session_uri = self._start_upload(video.path, video.mime_type, metadata)
        resource = self._upload_file(session_uri, video.path, video.mime_type)
        video_id = resource.get("id")
        if not video_id:
            raise MalformedResponseError(_("YouTube did not return the new video's id."))
        if video.captions_path:
            self._upload_captions(video_id, video.captions_path)
        return PublishResult(
            remote_id=video_id,
            url=watch_url(video_id),
            published_at=_parse_time(resource.get("snippet", {}).get("publishedAt")),
        )

    def _start_upload(self, path: str, mime_type: str, metadata: dict[str, Any]) -> str:
        """Step 1 of the resumable protocol: POST the metadata, get the session URI."""
        response = self._api(
            "POST",
            "videos",
            base=UPLOAD_API,
            params={"uploadType": "resumable", "part": "snippet,status"},
            data=jsonlib.dumps(metadata).encode("utf-8"),
            headers={
                "Content-Type": "application/json; charset=UTF-8",
                "X-Upload-Content-Length": str(os.path.getsize(path)),
                "X-Upload-Content-Type": mime_type,
            },
        )
        location = response.headers.get("Location")
        if not location:
            raise MalformedResponseError(_("YouTube did not return an upload address."))
        return location

    def _upload_file(self, session_uri: str, path: str, mime_type: str) -> dict[str, Any]:
        """Steps 3 and 4: PUT the bytes in chunks; after a transient failure wait, ask YouTube
        how much it received (``Content-Range: bytes */total`` → 308 with ``Range``) and
        resume from there, as the resumable protocol prescribes."""
        total = os.path.getsize(path)
        offset = 0
        failures = 0
        ask_status = False
        with open(path, "rb") as handle:
            while True:
                try:
                    if ask_status:
                        response = self._put_upload(
                            session_uri, b"", {"Content-Range": f"bytes */{total}"}
                        )
                    else:
                        handle.seek(offset)
                        chunk = handle.read(CHUNK_SIZE)
                        end = offset + len(chunk) - 1
                        response = self._put_upload(
                            session_uri,
                            chunk,
                            {
                                "Content-Type": mime_type,
                                "Content-Range": f"bytes {offset}-{end}/{total}",
                            },
                        )
                except TransientError:
                    failures += 1
                    if failures > MAX_UPLOAD_RESUMES:
                        raise
                    _sleep(2**failures)  # exponential backoff, as the guide recommends
                    ask_status = True
                    continue
                ask_status = False
                if response.status_code in (200, 201):
                    return self.json(response)
                offset = self._received_until(response)

    def _put_upload(
        self, session_uri: str, body: bytes, headers: dict[str, str]
    ) -> requests.Response:
        try:
            return self.request(
                "PUT",
                session_uri,
                data=body,
                headers={**headers, **self._auth()},
                timeout=UPLOAD_TIMEOUT,
                expected=(200, 201, 308),
                allow_redirects=False,  # 308 here means "resume incomplete", not a redirect
            )
        except RemoteNotFoundError:
            # The upload session expired (404/410): a retried publish starts a new one.
            raise TransientError(_("The YouTube upload session expired.")) from None

    @staticmethod
    def _received_until(response: requests.Response) -> int:
        """308 ``Range: bytes=0-999999`` → continue at 1000000; no header → nothing stored."""
        value = response.headers.get("Range", "")
        if not value.startswith("bytes="):
            return 0
        try:
            return int(value.split("-")[-1]) + 1
        except ValueError:
            return 0

    def _upload_captions(self, video_id: str, captions_path: str) -> None:
        """captions.insert as a multipart/related upload: JSON metadata, then the file.
        A failure here does not undo the published video: it is logged, and the
        subtitles can be added in YouTube Studio."""
        language = self.context.settings.get("caption_language", "de")
        metadata = {
            "snippet": {
                "videoId": video_id,
                "language": language,
                "name": self.context.settings.get("caption_name", "Deutsch"),
                "isDraft": False,
            }
        }
        with open(captions_path, "rb") as handle:
            data = handle.read()
        boundary = f"sprachrohr-{secrets.token_hex(12)}"
        body = b"".join(
            [
                f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".encode(),
                jsonlib.dumps(metadata).encode("utf-8"),
                f"\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\n\r\n".encode(),
                data,
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        try:
            self._api(
                "POST",
                "captions",
                base=UPLOAD_API,
                params={"uploadType": "multipart", "part": "snippet"},
                data=body,
                headers={"Content-Type": f"multipart/related; boundary={boundary}"},
                timeout=UPLOAD_TIMEOUT,
            )
        except PlatformError as exc:
            logger.warning(
                "YouTube subtitles for video %s were not uploaded: %s (%s)",
                video_id,
                exc.message,
                type(exc).__name__,
            )

    def find_published(self, content: PostContent, idempotency_key: str) -> PublishResult | None:
        """The video an earlier attempt with this key uploaded: the newest 50 entries of the
        channel's uploads playlist, matched by title and the description marker. Private and
        still-processing videos are listed for the owner too."""
        playlist_id = self._uploads_playlist_id()
        response = self._api(
            "GET",
            "playlistItems",
            params={"part": "snippet", "playlistId": playlist_id, "maxResults": 50},
        )
        marker = _marker(idempotency_key)
        title = content.title.strip()
        for item in self.json(response).get("items") or []:
            snippet = item.get("snippet") or {}
            if snippet.get("title", "").strip() != title:
                continue
            if marker not in (snippet.get("description") or ""):
                continue
            video_id = (snippet.get("resourceId") or {}).get("videoId")
            if video_id:
                return PublishResult(
                    remote_id=video_id,
                    url=watch_url(video_id),
                    published_at=_parse_time(snippet.get("publishedAt")),
                )
        return None

    def _uploads_playlist_id(self) -> str:
        cached = self.credentials.get("uploads_playlist_id")
        if cached:
            return str(cached)
        params = {"part": "contentDetails"}
        params.update({"id": self.channel_id} if self.channel_id else {"mine": "true"})
        items = self.json(self._api("GET", "channels", params=params)).get("items") or []
        try:
            playlist_id = items[0]["contentDetails"]["relatedPlaylists"]["uploads"]
        except (IndexError, KeyError, TypeError):
            raise MalformedResponseError(_("YouTube did not name the channel's uploads.")) from None
        self.credentials["uploads_playlist_id"] = playlist_id
        return str(playlist_id)

    def delete(self, remote_id: str) -> None:
        self._api("DELETE", "videos", params={"id": remote_id})

    # -- metrics --

    def fetch_post_metrics(
        self, remote_ids: list[str], *, insights: bool = True
    ) -> list[PostMetrics]:
        metrics: list[PostMetrics] = []
        for start in range(0, len(remote_ids), 50):  # videos.list takes up to 50 ids
            batch = remote_ids[start : start + 50]
            response = self._api(
                "GET", "videos", params={"part": "statistics", "id": ",".join(batch)}
            )
            for item in self.json(response).get("items") or []:
                stats = item.get("statistics") or {}
                metrics.append(
                    PostMetrics(
                        remote_id=item["id"],
                        likes=_int(stats.get("likeCount")),
                        comments=_int(stats.get("commentCount")),
                        video_views=_int(stats.get("viewCount")),
                    )
                )
        return metrics

    def fetch_account_metrics(self) -> AccountMetrics:
        params = {"part": "statistics"}
        params.update({"id": self.channel_id} if self.channel_id else {"mine": "true"})
        items = self.json(self._api("GET", "channels", params=params)).get("items") or []
        if not items:
            raise RemoteNotFoundError(_("YouTube does not know this channel (any more)."))
        stats = items[0].get("statistics") or {}
        hidden = bool(stats.get("hiddenSubscriberCount"))
        return AccountMetrics(
            followers=None if hidden else _int(stats.get("subscriberCount")),
            posts=_int(stats.get("videoCount")),
        )

    # -- comments --

    def fetch_comments(self, cursor: str | None) -> CommentPage:
        """One page of the channel's comment threads, newest first. ``cursor`` is YouTube's
        ``pageToken``; ``next_cursor`` is None after the last page (start again from the
        newest then; the caller de-duplicates by ``remote_id``). Replies come from the
        thread's ``replies`` part (YouTube includes only some of them there)."""
        params: dict[str, Any] = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": self.channel_id,
            "maxResults": 100,
            "order": "time",
            "textFormat": "plainText",
        }
        if cursor:
            params["pageToken"] = cursor
        body = self.json(self._api("GET", "commentThreads", params=params))
        items: list[RemoteComment] = []
        for thread in body.get("items") or []:
            snippet = thread.get("snippet") or {}
            video_id = snippet.get("videoId", "")
            top = snippet.get("topLevelComment")
            if top:
                items.append(self._comment(top, video_id))
            for reply in (thread.get("replies") or {}).get("comments") or []:
                items.append(self._comment(reply, video_id))
        # The channel's own answers (written in Sprachrohr or on YouTube) are marked.
        own = self.context.account_id
        items = [replace(c, by_account=bool(own) and c.author_id == own) for c in items]
        return CommentPage(items=items, next_cursor=body.get("nextPageToken") or None)

    @staticmethod
    def _comment(resource: dict[str, Any], video_id: str) -> RemoteComment:
        snippet = resource.get("snippet") or {}
        comment_id = resource["id"]
        video_id = snippet.get("videoId") or video_id
        return RemoteComment(
            remote_id=comment_id,
            post_remote_id=video_id,
            author_name=snippet.get("authorDisplayName", ""),
            author_id=(snippet.get("authorChannelId") or {}).get("value", ""),
            text=snippet.get("textDisplay") or snippet.get("textOriginal") or "",
            created_at=_parse_time(snippet.get("publishedAt")),
            parent_remote_id=snippet.get("parentId", ""),
            url=f"{watch_url(video_id)}&lc={comment_id}" if video_id else "",
            is_hidden=snippet.get("moderationStatus") in ("heldForReview", "rejected"),
            # authorDisplayName is the channel's @handle on today's YouTube.
            author_handle=str(snippet.get("authorDisplayName", "")),
            author_url=str(snippet.get("authorChannelUrl", "")),
            raw=resource,
            # ``updatedAt`` moves when the author edits the text.
            edited_at=_parse_time(snippet.get("updatedAt"))
            if snippet.get("updatedAt") not in (None, snippet.get("publishedAt"))
            else None,
        )

    def reply(self, comment: RemoteComment, text: str, idempotency_key: str = "") -> PublishResult:
        """comments.insert with ``parentId``: YouTube threads are one level deep, so a reply
        to a reply goes to the thread's top-level comment."""
        if not text.strip() or len(text) > COMMENT_MAX:
            raise ContentRejectedError(
                _("A YouTube reply needs between 1 and %(n)d characters.") % {"n": COMMENT_MAX},
                code="text_too_long" if text.strip() else "text_missing",
            )
        parent_id = comment.parent_remote_id or comment.remote_id
        response = self._api(
            "POST",
            "comments",
            params={"part": "snippet"},
            json={"snippet": {"parentId": parent_id, "textOriginal": text}},
        )
        resource = self.json(response)
        comment_id = resource.get("id", "")
        url = (
            f"{watch_url(comment.post_remote_id)}&lc={comment_id}" if comment.post_remote_id else ""
        )
        return PublishResult(
            remote_id=comment_id,
            url=url,
            published_at=_parse_time((resource.get("snippet") or {}).get("publishedAt")),
        )

    # No idempotency key: after a lost answer, look among the thread's replies for one by our
    # channel with the same text (``textOriginal`` is returned to the comment's author).
    can_find_reply = True

    def find_reply(
        self, comment: RemoteComment, text: str, idempotency_key: str
    ) -> PublishResult | None:
        parent_id = comment.parent_remote_id or comment.remote_id
        response = self._api(
            "GET",
            "comments",
            params={"part": "snippet", "parentId": parent_id, "maxResults": 100},
        )
        for resource in self.json(response).get("items") or []:
            snippet = resource.get("snippet") or {}
            author = (snippet.get("authorChannelId") or {}).get("value", "")
            original = snippet.get("textOriginal") or ""
            if author == self.channel_id and original.strip() == text.strip():
                comment_id = str(resource.get("id", ""))
                url = (
                    f"{watch_url(comment.post_remote_id)}&lc={comment_id}"
                    if comment.post_remote_id
                    else ""
                )
                return PublishResult(
                    remote_id=comment_id,
                    url=url,
                    published_at=_parse_time(snippet.get("publishedAt")),
                )
        return None

    def hide_comment(self, comment: RemoteComment) -> None:
        """``heldForReview``, not ``rejected``: the comment leaves the public page but stays
        in YouTube Studio's review queue, where staff can publish it again. ``rejected``
        would also hide all its replies and is what ``delete_comment`` uses."""
        self._set_moderation_status(comment.remote_id, "heldForReview")

    def delete_comment(self, comment: RemoteComment) -> None:
        """comments.delete works only for the comment's author (the channel's own replies);
        comments by others are removed the way YouTube offers channel owners: moderation
        status ``rejected``."""
        if comment.author_id and comment.author_id == self.channel_id:
            self._api("DELETE", "comments", params={"id": comment.remote_id})
        else:
            self._set_moderation_status(comment.remote_id, "rejected")

    def _set_moderation_status(
        self, comment_id: str, status: str, *, ban_author: bool = False
    ) -> None:
        # Parameters in the query string; the method takes no request body (204 on success).
        params: dict[str, Any] = {"id": comment_id, "moderationStatus": status}
        if ban_author:
            params["banAuthor"] = "true"
        self._api("POST", "comments/setModerationStatus", params=params)

    # -- blocking authors --

    # YouTube bans through a comment: ``comments.setModerationStatus`` with
    # ``moderationStatus=rejected`` and ``banAuthor=true`` rejects the comment and every later
    # one of its author. The API has no way to lift the ban: unblocking is done by hand in
    # YouTube Studio (Settings → Community → Hidden users), and the register says so.
    can_block_authors = True
    can_unblock_authors = False

    def block_author(self, author_remote_id: str, *, comment_remote_id: str = "") -> None:
        if not comment_remote_id:
            raise ContentRejectedError(
                _("YouTube bans an author only through one of their comments.")
            )
        self._set_moderation_status(comment_remote_id, "rejected", ban_author=True)

    def unblock_author(self, author_remote_id: str) -> None:
        raise self.unsupported(_("unblock authors (lift the ban in YouTube Studio)"))

    # -- credentials --

    def revoke(self) -> None:
        """Revoking the refresh token also revokes its access tokens. An already invalid
        token (400 ``invalid_token``) is fine: there is nothing left to revoke."""
        token = self.credentials.get("refresh_token") or self.credentials.get("access_token")
        if not token:
            return
        try:
            oauth2.revoke_token(self, token)
        except (ContentRejectedError, AuthenticationError):
            return

    # -- connecting --

    def oauth_accounts(self, client: OAuthClient) -> list[AccountChoice]:
        """The channels of the Google account, each with its uploads playlist."""
        response = self._api(
            "GET", "channels", params={"part": "snippet,contentDetails", "mine": "true"}
        )
        items = self.json(response).get("items") or []
        if not items:
            raise ContentRejectedError(_("This Google account has no YouTube channel."))
        choices = []
        for channel in items:
            info = self._account_info(channel)
            uploads = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}).get(
                "uploads", ""
            )
            choices.append(
                AccountChoice(
                    account_id=info.account_id,
                    name=info.display_name,
                    credentials={**self.credentials, "uploads_playlist_id": uploads},
                    handle=info.handle,
                    url=info.url,
                )
            )
        return choices
