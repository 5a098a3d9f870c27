"""Threads through the Threads API (graph.threads.net, version ``v1.0``).

Based on these documentation pages (titles/URLs as the search tool returned them):

- "Threads Posts" (developers.facebook.com/docs/threads/posts/,
  developers.facebook.com/documentation/threads/posts): two steps, ``POST
  /{threads-user-id}/threads`` (``media_type`` TEXT/IMAGE/VIDEO/CAROUSEL, ``text``,
  ``image_url``/``video_url`` fetched from a public server, ``is_carousel_item``,
  ``children``) then ``POST /{threads-user-id}/threads_publish`` with ``creation_id``;
  "Text posts are limited to 500 characters. Emojis are counted as the number of UTF-8
  bytes."; about 30 seconds of processing before publishing; carousels of up to 20 items.
- "Publishing" reference (developers.facebook.com/documentation/threads/reference/publishing):
  ``alt_text``, ``reply_to_id``, ``GET /{threads-container-id}?fields=status,error_message``.
- "Threads API Troubleshooting" (developers.facebook.com/docs/threads/troubleshooting):
  container status values EXPIRED, ERROR, FINISHED, IN_PROGRESS, PUBLISHED.
- "User" reference (developers.secure.facebook.com/docs/threads/reference/user) and
  "Retrieve Threads Media Objects" (developers.facebook.com/docs/threads/threads-media):
  ``GET /{threads-user-id}/threads`` with ``since``/``until``/``limit`` and cursor paging,
  example response ``{"data": [...], "paging": {"cursors": {...}}}``.
- "Delete Posts" (developers.facebook.com/docs/threads/posts/delete-posts):
  ``DELETE /{threads-media-id}`` answering ``{"success": true, "deleted_id": ...}``;
  permission threads_delete; 100 deletions per day.
- "Reply Management" (developers.facebook.com/documentation/threads/reference/reply-management,
  developers.facebook.com/documentation/threads/reply-management):
  ``GET /{threads-media-id}/conversation`` (all replies, flat, ``reverse``, ``after``),
  ``POST /{threads-reply-id}/manage_reply`` with ``hide`` answering ``{"success": true}``;
  only top-level replies can be hidden (nested ones follow).
- "Threads Insights API" (developers.facebook.com/documentation/threads/insights):
  ``GET /{threads-media-id}/insights?metric=views,likes,replies,reposts,quotes``,
  ``GET /{threads-user-id}/threads_insights?metric=followers_count,views``.
- "Get Started" and "long lived tokens" (developers.facebook.com/docs/threads/get-started/
  long-lived-tokens/): permissions threads_basic, threads_content_publish,
  threads_manage_replies, threads_read_replies, threads_manage_insights; Threads has its own
  app id and secret; ``GET /access_token?grant_type=th_exchange_token`` (60 days) and
  ``GET /refresh_access_token?grant_type=th_refresh_token`` (tokens at least 24 hours old).
- "Overview" (developers.facebook.com/docs/threads/overview/): 250 API posts and 1,000
  replies per 24 hours.
- Errors: the Graph error shape, see ``_meta``.

Threads has no idempotency key. A retry first looks for a thread with the same text among the
account's threads of the last 48 hours (``find_published``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from typing import ClassVar

import regex
import requests
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.adapters import _meta
from channels_app.adapters import oauth2
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.base import Capabilities
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import PostMetrics
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import inline_link
from channels_app.adapters.base import parse_iso_datetime
from channels_app.adapters.base import problems_for_media
from channels_app.adapters.base import problems_for_media_count
from channels_app.adapters.base import text_with_link
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.oauth2 import OAuth2Config

logger = logging.getLogger(__name__)

API_URL = "https://graph.threads.net/v1.0"
TOKEN_URL = "https://graph.threads.net"  # noqa: S105 - not a secret; unversioned token endpoints
AUTHORIZE_URL = "https://threads.net/oauth/authorize"
THREADS_APP_SETTINGS = ("THREADS_APP_ID", "THREADS_APP_SECRET")

MAX_TEXT = 500
MAX_MEDIA = 20  # carousel items
MAX_IMAGE_BYTES = 8_000_000
MAX_VIDEO_BYTES = 1_000_000_000
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime"})
MAX_VIDEO_SECONDS = 300
RECENT_THREADS = 20
COMMENT_PAGES = 5

_GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")

THREAD_FIELDS = "id,text,permalink,timestamp"
REPLY_FIELDS = (
    "id,text,username,permalink,timestamp,replied_to,root_post,hide_status,is_reply_owned_by_me"
)


def threads_length(text: str) -> int:
    """Characters as Threads counts them: one per grapheme, except that an emoji counts "as
    the number of UTF-8 bytes" ("Threads Posts", Limitations): 👍 is 4, 🇩🇪 is 8 and the
    family ZWJ sequence 👩‍👩‍👧‍👦 is 25. Links count in full."""
    total = 0
    for grapheme in _GRAPHEME.findall(text):
        total += len(grapheme.encode("utf-8")) if _EMOJI.search(grapheme) else 1
    return total


def threads_app() -> OAuthClient:
    """The Threads use case has its own app id and secret ("Get Started"); fall back to the
    Meta app settings when the operator uses one pair for everything. Without either, the
    message names the Threads settings."""
    try:
        return _meta.meta_app(THREADS_APP_SETTINGS)
    except PlatformError as missing:
        try:
            return _meta.meta_app()
        except PlatformError:
            raise missing from None


class ThreadsAdapter(_meta.MetaGraphMixin):
    platform: ClassVar[str] = "threads"
    api_base = API_URL
    use_appsecret_proof = False  # the Threads app secret is not the Meta app secret
    capabilities: ClassVar[Capabilities] = Capabilities.all_but(
        "delete_comments",
        max_text_length=MAX_TEXT,
        max_images=MAX_MEDIA,
        text_counting=gettext_lazy(
            "Each character counts once, but an emoji counts as its number of UTF-8 bytes"
            " (usually 4; a flag 8); links count in full."
        ),
        idempotency=gettext_lazy(
            "Threads has no idempotency key: before a retry Sprachrohr looks for a thread with"
            " the same text among the account's threads of the last 48 hours and reuses it."
        ),
    )
    oauth_scopes: ClassVar[tuple[str, ...]] = (
        "threads_basic",
        "threads_content_publish",
        "threads_read_replies",
        "threads_manage_replies",
        "threads_manage_insights",
        "threads_delete",
    )
    # The code gives a short-lived token (one hour), which ``oauth_accounts`` trades for a
    # long-lived one (60 days) that renews itself (``refresh_credentials``).
    oauth_config: ClassVar[OAuth2Config] = OAuth2Config(
        authorize_url=AUTHORIZE_URL,
        token_url=f"{TOKEN_URL}/oauth/access_token",
        scope_separator=",",
    )

    @property
    def user_id(self) -> str:
        return self.context.account_id or "me"

    # -- validation --

    def text_length(self, content: PostContent) -> int:
        # The same count as validate() below, for the editor's live counter.
        return threads_length(text_with_link(content))

    def validate(self, content: PostContent) -> list[Problem]:
        content = inline_link(content)
        problems = self.text_problems(
            content, limit=MAX_TEXT, empty_message=_("A thread needs a text or media.")
        )
        problems += problems_for_media_count(
            content, MAX_MEDIA, _("At most %(n)d images and videos are allowed.")
        )
        # Carousels may mix images and videos; each kind on its own is limited by MAX_MEDIA.
        problems += problems_for_media(
            content,
            max_images=MAX_MEDIA,
            max_videos=MAX_MEDIA,
            image_types=IMAGE_TYPES,
            video_types=VIDEO_TYPES,
            max_image_bytes=MAX_IMAGE_BYTES,
            max_video_bytes=MAX_VIDEO_BYTES,
            max_alt_text=None,
            mix_allowed=True,
        )
        for index, item in enumerate(content.media):
            problems += _media_problems(item, index)
        return problems

    # -- account --

    def test_connection(self) -> AccountInfo:
        return self.read_profile("me", "https://www.threads.net/@{username}")

    # -- publishing --

    def _container(self, data: dict[str, Any]) -> str:
        return self.create_container(f"{self.user_id}/threads", data)

    @staticmethod
    def _media_fields(item: MediaItem) -> dict[str, str]:
        fields = (
            {"media_type": "IMAGE", "image_url": item.public_url or ""}
            if item.kind == MediaKind.IMAGE
            else {"media_type": "VIDEO", "video_url": item.public_url or ""}
        )
        if item.alt_text:
            fields["alt_text"] = item.alt_text
        return fields

    def _create(self, content: PostContent, *, reply_to: str = "") -> str:
        """The container for ``content``; a ready-to-publish id."""
        base: dict[str, Any] = {"reply_to_id": reply_to} if reply_to else {}
        if not content.media:
            return self._container({**base, "media_type": "TEXT", "text": content.text})
        if len(content.media) == 1:
            data = {**base, **self._media_fields(content.media[0])}
            if content.text:
                data["text"] = content.text
            container_id = self._container(data)
        else:
            children = [
                self._container({**self._media_fields(item), "is_carousel_item": "true"})
                for item in content.media
            ]
            for child in children:
                self.wait_for_container(child, field="status")
            data = {**base, "media_type": "CAROUSEL", "children": ",".join(children)}
            if content.text:
                data["text"] = content.text
            container_id = self._container(data)
        # Threads fetches media asynchronously; publishing before FINISHED fails.
        self.wait_for_container(container_id, field="status")
        return container_id

    def _publish_container(self, container_id: str) -> str:
        return self.publish_container(f"{self.user_id}/threads_publish", container_id)

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        content = inline_link(content)
        self.refuse_invalid(content)
        media_id = self._publish_container(self._create(content))
        logger.info("Threads account %s: published %s", self.user_id, media_id)
        body = self.graph("GET", media_id, params={"fields": THREAD_FIELDS})
        return PublishResult(
            remote_id=media_id,
            url=str(body.get("permalink", "")),
            published_at=parse_iso_datetime(body.get("timestamp")),
        )

    def find_published(self, content: PostContent, idempotency_key: str) -> PublishResult | None:
        content = inline_link(content)
        if not content.text.strip():
            return None  # a media-only thread cannot be recognised by its text
        thread = self.find_recent_text(
            f"{self.user_id}/threads", fields=THREAD_FIELDS, text_key="text", text=content.text
        )
        if thread is None:
            return None
        logger.info("Threads account %s: found earlier %s", self.user_id, thread["id"])
        return PublishResult(
            remote_id=str(thread["id"]),
            url=str(thread.get("permalink", "")),
            published_at=parse_iso_datetime(thread.get("timestamp")),
        )

    def delete(self, remote_id: str) -> None:
        self.graph("DELETE", remote_id)

    # -- metrics --

    def fetch_post_metrics(
        self, remote_ids: list[str], *, insights: bool = True
    ) -> list[PostMetrics]:
        return [self._thread_metrics(remote_id) for remote_id in remote_ids]

    def _thread_metrics(self, remote_id: str) -> PostMetrics:
        """A thread's Insights; reposts and quotes together are its shares."""
        body = self.graph(
            "GET", f"{remote_id}/insights", params={"metric": "views,likes,replies,reposts,quotes"}
        )
        values = _insight_values(body)
        reposts, quotes = values.get("reposts"), values.get("quotes")
        shares = None if reposts is None and quotes is None else (reposts or 0) + (quotes or 0)
        return PostMetrics(
            remote_id=remote_id,
            impressions=values.get("views"),
            likes=values.get("likes"),
            comments=values.get("replies"),
            shares=shares,
        )

    def fetch_account_metrics(self) -> AccountMetrics:
        body = self.graph(
            "GET", f"{self.user_id}/threads_insights", params={"metric": "followers_count,views"}
        )
        values = _insight_values(body)
        return AccountMetrics(
            followers=values.get("followers_count"), impressions=values.get("views")
        )

    # -- replies ("comments") --

    def fetch_comments(self, cursor: str | None) -> CommentPage:
        window = _meta.CommentWindow(cursor)
        items: list[RemoteComment] = []
        for thread_id in self.recent_ids(f"{self.user_id}/threads", limit=RECENT_THREADS):
            params: dict[str, Any] = {"fields": REPLY_FIELDS, "reverse": "true", "limit": 100}
            pages = self.graph_pages(
                f"{thread_id}/conversation", params, pages=COMMENT_PAGES, needs_next=False
            )
            for raw, created in window.newer(pages, "timestamp"):
                if raw.get("is_reply_owned_by_me") is True:
                    continue  # the account's own answers
                window.saw(created)
                parent = str((raw.get("replied_to") or {}).get("id", ""))
                items.append(
                    RemoteComment(
                        remote_id=str(raw["id"]),
                        post_remote_id=thread_id,
                        author_name=str(raw.get("username", "")),
                        author_id=str(raw.get("username", "")),
                        text=str(raw.get("text", "")),
                        created_at=created,
                        parent_remote_id="" if parent == thread_id else parent,
                        url=str(raw.get("permalink", "")),
                        is_hidden=raw.get("hide_status") == "HIDDEN",
                        author_handle=str(raw.get("username", "")),
                        author_url=f"https://www.threads.net/@{raw['username']}"
                        if raw.get("username")
                        else "",
                        raw=raw,
                    )
                )
        return window.page(items)

    def reply(self, comment: RemoteComment, text: str, idempotency_key: str = "") -> PublishResult:
        container_id = self._create(PostContent(text=text), reply_to=comment.remote_id)
        media_id = self._publish_container(container_id)
        body = self.graph("GET", media_id, params={"fields": THREAD_FIELDS})
        return PublishResult(
            remote_id=media_id,
            url=str(body.get("permalink", "")),
            published_at=parse_iso_datetime(body.get("timestamp")),
        )

    def hide_comment(self, comment: RemoteComment) -> None:
        if comment.parent_remote_id:
            # "Replies nested deeper than the top-level reply cannot be targeted in isolation."
            raise ContentRejectedError(
                _("Threads hides only top-level replies (with everything below them)."),
                code="nested_reply",
            )
        self.graph("POST", f"{comment.remote_id}/manage_reply", data={"hide": "true"})

    # -- tokens --

    @classmethod
    def renews_access(cls, credentials: Mapping[str, Any]) -> bool:
        return bool(credentials.get("access_token"))  # renewed with itself, see below

    def refresh_credentials(self) -> dict[str, Any] | None:
        """Long-lived Threads tokens renew themselves (Meta's ``th_refresh_token``, not the
        OAuth 2 refresh grant): the answer is a new access token; there is no separate
        refresh token, so every other stored key is kept as it is."""
        token = oauth2.token_call(
            self,
            f"{TOKEN_URL}/refresh_access_token",
            {
                "grant_type": "th_refresh_token",
                "access_token": str(self.credentials.get("access_token", "")),
            },
            method="GET",
        )
        self.credentials = oauth2.token_credentials(token, self.oauth_config, self.credentials)
        return self.credentials

    # -- connecting --

    @classmethod
    def oauth_client(
        cls, *, base_url: str, redirect_uri: str, session: requests.Session
    ) -> OAuthClient:
        return threads_app()

    def oauth_accounts(self, client: OAuthClient) -> list[AccountChoice]:
        long_lived = oauth2.token_call(
            self,
            f"{TOKEN_URL}/access_token",
            {
                "grant_type": "th_exchange_token",
                "client_secret": client.client_secret,
                "access_token": self.credentials["access_token"],
            },
            method="GET",
        )
        self.credentials = oauth2.token_credentials(long_lived, self.oauth_config)
        return super().oauth_accounts(client)


def _insight_values(body: dict[str, Any]) -> dict[str, int]:
    """Media insights carry ``values: [{"value": n}]``; user insights either a daily series
    (summed) or ``total_value: {"value": n}`` (followers_count)."""
    values: dict[str, int] = {}
    for metric in body.get("data", []):
        name = str(metric.get("name", ""))
        total = (metric.get("total_value") or {}).get("value")
        if isinstance(total, int):
            values[name] = total
            continue
        series = [v.get("value") for v in metric.get("values") or [] if isinstance(v, dict)]
        numbers = [v for v in series if isinstance(v, int)]
        if numbers:
            values[name] = sum(numbers)
    return values


def _media_problems(item: MediaItem, index: int) -> list[Problem]:
    field_name = f"media.{index}"
    problems = _meta.public_url_problems(
        item,
        field_name,
        _(
            "Threads fetches media from a public address, but this file has none yet."
            " Publish it on the website's media server first."
        ),
    )
    if (
        item.kind == MediaKind.VIDEO
        and item.duration_seconds is not None
        and item.duration_seconds > MAX_VIDEO_SECONDS
    ):
        problems.append(
            Problem(
                "video_too_long",
                field_name,
                _("Threads accepts videos of at most 5 minutes."),
            )
        )
    return problems
