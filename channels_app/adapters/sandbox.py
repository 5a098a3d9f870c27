"""Adapter for the built-in sandbox platform (``channels_app.sandbox``).

It talks HTTP to the sandbox API exactly as the other adapters talk to theirs, so demos,
end-to-end tests, fault tests and benchmarks go through the real code path: timeouts, error
mapping, token refresh and Idempotency-Key handling included.

Exactly once: ``publish`` sends the Idempotency-Key header; the sandbox stores the key with
the post (unique per account) and answers a repeated key with the post made first.
``find_published`` asks ``GET /posts?idempotency_key=…``, a pure read: replaying the POST
would also find the post, but if the first attempt never reached the platform the replay
would publish, and a lookup must never publish.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import ClassVar

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.adapters import base
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.base import Capabilities
from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import ConnectMethod
from channels_app.adapters.base import CredentialField
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import PostMetrics
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import RemoteKind
from channels_app.adapters.base import parse_iso_datetime
from channels_app.adapters.base import problems_for_media
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.text import grapheme_count

MAX_TEXT = 1000
MAX_IMAGES = 4
MAX_VIDEOS = 1
MAX_ALT_TEXT = 1500
MAX_IMAGE_BYTES = 8_000_000
MAX_VIDEO_BYTES = 50_000_000
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
VIDEO_TYPES = frozenset({"video/mp4"})
METRICS_BATCH = 100
COMMENTS_PAGE = 100


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class SandboxAdapter(PlatformAdapter):
    platform = "sandbox"
    reply_deduplicates = True  # see reply()
    connect_method = ConnectMethod.FORM
    credential_fields = (
        CredentialField(
            "handle",
            gettext_lazy("Sandbox user name"),
            help_text=gettext_lazy(
                "Lower-case letters, digits, “-” and “_”. The sandbox creates the account the"
                " first time it is used."
            ),
        ),
        CredentialField(
            "password",
            gettext_lazy("Password"),
            secret=True,
            help_text=gettext_lazy("Any password: the sandbox protects nothing real."),
        ),
    )
    capabilities: ClassVar[Capabilities] = Capabilities.all_but(
        max_text_length=MAX_TEXT,
        max_images=MAX_IMAGES,
        text_counting=gettext_lazy(
            "Counted in user-perceived characters (an emoji counts as one)."
        ),
        idempotency=gettext_lazy(
            "Each post carries an Idempotency-Key; the sandbox answers a repeated key with the"
            " post made first."
        ),
    )

    # -- plumbing --

    @property
    def base_url(self) -> str:
        return (self.context.base_url or settings.SANDBOX_BASE_URL).rstrip("/")

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        token = self.credentials.get("access_token")
        if not token:
            raise AuthenticationError(_("The channel has no access token: reconnect it."))
        return {"Authorization": f"Bearer {token}", **(extra or {})}

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = self._headers(kwargs.pop("headers", None))
        return self.request(method, f"{self.base_url}{path}", headers=headers, **kwargs)

    def _object(self, response: requests.Response) -> dict[str, Any]:
        body = self.json(response)
        if not isinstance(body, dict):
            raise MalformedResponseError(
                _("The platform sent an answer of an unexpected shape."),
                status=response.status_code,
            )
        return body

    def map_error(self, response: requests.Response) -> PlatformError:
        code, reason = self.error_detail(response)
        if response.status_code == 400 and (
            code == "invalid_grant" or "/oauth/" in (response.url or "")
        ):
            # A refused user name, password or refresh token: reconnecting is the way out.
            return AuthenticationError(
                _("The sandbox refused the sign-in: %(reason)s") % {"reason": reason[:500]},
                status=response.status_code,
                code=code,
            )
        if response.status_code == 401 and "expired" in reason.lower():
            return AuthenticationError(
                _("The access token expired: renew it or reconnect the channel."),
                status=response.status_code,
                code=code,
            )
        return super().map_error(response)

    def _publish_result(self, body: Mapping[str, Any]) -> PublishResult:
        remote_id = body.get("id")
        if not isinstance(remote_id, str) or not remote_id:
            raise MalformedResponseError(_("The platform's answer has no post id."))
        return PublishResult(
            remote_id=remote_id,
            url=str(body.get("url") or ""),
            published_at=parse_iso_datetime(body.get("created_at")),
        )

    # -- the operations --

    def text_length(self, content: PostContent) -> int:
        # The same count as validate() below, for the editor's live counter.
        return grapheme_count(content.text)

    def validate(self, content: PostContent) -> list[Problem]:
        problems = self.text_problems(
            content, limit=MAX_TEXT, empty_message=_("The post needs a text or media.")
        )
        if len(content.link) > 500:
            problems.append(
                Problem("link_too_long", "link", _("The link is longer than 500 characters."))
            )
        problems.extend(
            problems_for_media(
                content,
                max_images=MAX_IMAGES,
                max_videos=MAX_VIDEOS,
                image_types=IMAGE_TYPES,
                video_types=VIDEO_TYPES,
                max_image_bytes=MAX_IMAGE_BYTES,
                max_video_bytes=MAX_VIDEO_BYTES,
                max_alt_text=MAX_ALT_TEXT,
            )
        )
        return problems

    def test_connection(self) -> AccountInfo:
        body = self._object(self._call("GET", "/me"))
        return AccountInfo(
            account_id=str(body.get("id", "")),
            handle=str(body.get("handle", "")),
            display_name=str(body.get("display_name", "")),
            url=str(body.get("url", "")),
        )

    def _upload(self, item: MediaItem) -> str:
        filename = os.path.basename(item.path) or "upload"
        with open(item.path, "rb") as handle:
            response = self._call(
                "POST",
                "/media",
                files={"file": (filename, handle, item.mime_type)},
                data={"alt_text": item.alt_text},
                timeout=base.UPLOAD_TIMEOUT,
            )
        media_id = self._object(response).get("id")
        if not isinstance(media_id, str) or not media_id:
            raise MalformedResponseError(_("The platform's answer has no media id."))
        return media_id

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        # Refuse before uploading anything: the server would refuse the same.
        self.refuse_invalid(content, joined_by="; ")
        # A retry uploads the files again; unattached uploads cost nothing at the sandbox.
        media_ids = [self._upload(item) for item in content.media]
        payload: dict[str, Any] = {"text": content.text, "media_ids": media_ids}
        if content.link:
            payload["link"] = content.link
        response = self._call(
            "POST", "/posts", json=payload, headers={"Idempotency-Key": idempotency_key}
        )
        return self._publish_result(self._object(response))

    def find_published(self, content: PostContent, idempotency_key: str) -> PublishResult | None:
        response = self._call("GET", "/posts", params={"idempotency_key": idempotency_key})
        data = self._object(response).get("data")
        if not isinstance(data, list):
            raise MalformedResponseError(_("The platform sent an answer of an unexpected shape."))
        for item in data:
            if isinstance(item, dict) and item.get("idempotency_key") == idempotency_key:
                return self._publish_result(item)
        return None

    def delete(self, remote_id: str) -> None:
        self._call("DELETE", f"/posts/{requests.utils.quote(remote_id, safe='')}")

    def fetch_post_metrics(
        self, remote_ids: list[str], *, insights: bool = True
    ) -> list[PostMetrics]:
        results: list[PostMetrics] = []
        for start in range(0, len(remote_ids), METRICS_BATCH):
            batch = remote_ids[start : start + METRICS_BATCH]
            response = self._call("GET", "/posts/metrics", params={"ids": ",".join(batch)})
            data = self._object(response).get("data")
            if not isinstance(data, list):
                raise MalformedResponseError(
                    _("The platform sent an answer of an unexpected shape.")
                )
            results.extend(
                PostMetrics(
                    remote_id=str(item.get("id", "")),
                    impressions=_int_or_none(item.get("impressions")),
                    reach=_int_or_none(item.get("reach")),
                    likes=_int_or_none(item.get("likes")),
                    comments=_int_or_none(item.get("comments")),
                    shares=_int_or_none(item.get("shares")),
                    clicks=_int_or_none(item.get("clicks")),
                )
                for item in data
                if isinstance(item, dict)
            )
        return results

    def fetch_account_metrics(self) -> AccountMetrics:
        body = self._object(self._call("GET", "/account/metrics"))
        return AccountMetrics(
            followers=_int_or_none(body.get("followers")),
            following=_int_or_none(body.get("following")),
            posts=_int_or_none(body.get("posts")),
            impressions=_int_or_none(body.get("impressions")),
        )

    def fetch_comments(self, cursor: str | None) -> CommentPage:
        """The sandbox's change feed: new comments, and comments edited, hidden, shown or
        deleted since ``cursor`` (the last two kinds come again with their new state; the
        deleted ones as tombstones in ``removed``)."""
        body = self._page("/comments", cursor, changes=1)
        items: list[RemoteComment] = []
        removed: list[RemoteComment] = []
        for item in body["data"]:
            if isinstance(item, dict):
                comment = self._comment(item)
                (removed if comment.deleted else items).append(comment)
        return CommentPage(
            items=items,
            next_cursor=body.get("next_cursor") or None,
            has_more=bool(body.get("has_more")),
            removed=removed,
        )

    def fetch_mentions(self, cursor: str | None) -> CommentPage:
        return self._messages("/mentions", cursor, RemoteKind.MENTION)

    def fetch_messages(self, cursor: str | None) -> CommentPage:
        return self._messages("/messages", cursor, RemoteKind.MESSAGE)

    def _page(self, path: str, cursor: str | None, **params: Any) -> dict[str, Any]:
        params["limit"] = COMMENTS_PAGE
        if cursor:
            params["cursor"] = cursor
        body = self._object(self._call("GET", path, params=params))
        if not isinstance(body.get("data"), list):
            raise MalformedResponseError(_("The platform sent an answer of an unexpected shape."))
        return body

    def _messages(self, path: str, cursor: str | None, kind: RemoteKind) -> CommentPage:
        body = self._page(path, cursor)
        items = []
        for item in body["data"]:
            if not isinstance(item, dict):
                continue
            items.append(RemoteComment(**_item_fields(item), post_remote_id="", kind=kind))
        return CommentPage(
            items=items,
            next_cursor=body.get("next_cursor") or None,
            has_more=bool(body.get("has_more")),
        )

    def _comment(self, item: Mapping[str, Any]) -> RemoteComment:
        return RemoteComment(
            **_item_fields(item),
            post_remote_id=str(item.get("post_id", "")),
            parent_remote_id=str(item.get("parent_id") or ""),
            is_hidden=bool(item.get("hidden")),
            kind=RemoteKind.COMMENT,
            edited_at=parse_iso_datetime(item.get("edited_at")),
            deleted=bool(item.get("deleted_at")),
            by_account=bool(item.get("by_account")),
        )

    def _comment_path(self, comment: RemoteComment, action: str = "") -> str:
        return f"/comments/{requests.utils.quote(comment.remote_id, safe='')}{action}"

    def reply(self, comment: RemoteComment, text: str, idempotency_key: str = "") -> PublishResult:
        # The sandbox keeps the key with the reply and answers a repeated key with it.
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        response = self._call(
            "POST", self._comment_path(comment, "/replies"), json={"text": text}, headers=headers
        )
        return self._publish_result(self._object(response))

    def hide_comment(self, comment: RemoteComment) -> None:
        self._call("POST", self._comment_path(comment, "/hide"))

    can_unhide_comments: ClassVar[bool] = True
    can_disable_comments: ClassVar[bool] = True

    def disable_comments(self, post_remote_id: str) -> None:
        quoted = requests.utils.quote(post_remote_id, safe="")
        self._call("POST", f"/posts/{quoted}/comments/close")

    def unhide_comment(self, comment: RemoteComment) -> None:
        self._call("POST", self._comment_path(comment, "/unhide"))

    def delete_comment(self, comment: RemoteComment) -> None:
        self._call("DELETE", self._comment_path(comment))

    # -- blocking authors --

    # POST /accounts/<id>/block and /unblock (shaped like Mastodon's): both idempotent; the
    # sandbox then hides the author's later comments.
    can_block_authors = True
    can_unblock_authors = True

    def _block_path(self, author_remote_id: str, action: str) -> str:
        return f"/accounts/{requests.utils.quote(author_remote_id, safe='')}/{action}"

    def block_author(self, author_remote_id: str, *, comment_remote_id: str = "") -> None:
        body = self._object(self._call("POST", self._block_path(author_remote_id, "block")))
        if body.get("blocking") is not True:
            raise MalformedResponseError(_("The platform did not confirm the block."))

    def unblock_author(self, author_remote_id: str) -> None:
        body = self._object(self._call("POST", self._block_path(author_remote_id, "unblock")))
        if body.get("blocking") is not False:
            raise MalformedResponseError(_("The platform did not confirm the unblock."))

    # -- tokens --

    @staticmethod
    def credentials_from_token_response(
        body: Mapping[str, Any], *, previous_refresh_token: str = ""
    ) -> dict[str, Any]:
        access_token = body.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            raise MalformedResponseError(_("The platform's answer has no access token."))
        expires_in = _int_or_none(body.get("expires_in"))
        expires_at = (
            (datetime.now(UTC) + timedelta(seconds=expires_in)).isoformat()
            if expires_in is not None
            else ""
        )
        return {
            "access_token": access_token,
            # Keep the old refresh token when the answer brings none: it is still valid.
            "refresh_token": body.get("refresh_token") or previous_refresh_token,
            "expires_at": expires_at,
        }

    @classmethod
    def renews_access(cls, credentials: Mapping[str, Any]) -> bool:
        return bool(credentials.get("refresh_token"))

    def refresh_credentials(self) -> dict[str, Any] | None:
        refresh_token = self.credentials.get("refresh_token")
        if not refresh_token:
            raise AuthenticationError(_("The channel has no refresh token: reconnect it."))
        response = self.request(
            "POST",
            f"{self.base_url}/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        )
        new = {
            **self.credentials,
            **self.credentials_from_token_response(
                self._object(response), previous_refresh_token=refresh_token
            ),
        }
        self.credentials_changed(new)
        return new

    def revoke(self) -> None:
        for key in ("access_token", "refresh_token"):
            token = self.credentials.get(key)
            if token:
                self.request("POST", f"{self.base_url}/oauth/revoke", data={"token": token})

    @classmethod
    def connect_with_form(
        cls, *, base_url: str, values: Mapping[str, str], session: requests.Session
    ) -> AccountChoice:
        handle = (values.get("handle") or "").strip().lstrip("@").lower()
        password = values.get("password") or ""
        if not handle or not password:
            raise AuthenticationError(_("Enter the sandbox user name and a password."))
        context = ChannelContext(platform=cls.platform, handle=handle, base_url=base_url)
        connector = cls(context, {}, session=session)
        response = connector.request(
            "POST",
            f"{connector.base_url}/oauth/token",
            data={"grant_type": "password", "username": handle, "password": password},
        )
        credentials = cls.credentials_from_token_response(connector._object(response))
        connector.credentials = credentials
        info = connector.test_connection()
        return AccountChoice(
            account_id=info.account_id,
            name=info.display_name or info.handle,
            credentials=credentials,
            handle=info.handle,
            url=info.url,
        )


def _item_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    """What comments, mentions and messages of the sandbox API share: id, author, text, time,
    address, and the item itself as evidence."""
    author = item.get("author")
    if not isinstance(author, dict):
        author = {}
    return {
        "remote_id": str(item.get("id", "")),
        "author_name": str(author.get("name", "")),
        "author_id": str(author.get("id", "")),
        # Sandbox citizens have no profile pages; their id doubles as handle.
        "author_handle": str(author.get("id", "")),
        "text": str(item.get("text", "")),
        "created_at": parse_iso_datetime(item.get("created_at")),
        "url": str(item.get("url") or ""),
        "raw": item,
    }
