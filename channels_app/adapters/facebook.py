"""Facebook Pages through the Graph API (pinned version ``GRAPH_VERSION``).

Based on these documentation pages (titles/URLs as the search tool returned them):

- "Posts" / "Page Content" (developers.facebook.com/docs/pages-api/posts,
  developers.facebook.com/docs/pages/publishing): ``POST /{page-id}/feed`` with ``message`` and
  ``link``; ``POST /{page-id}/photos`` with ``url``/``source``, answering ``{"id", "post_id"}``;
  ``DELETE /{page-post-id}`` answering ``{"success": true}``; the permissions
  pages_manage_posts, pages_read_engagement, pages_read_user_content,
  pages_manage_engagement.
- "Photo" (developers.facebook.com/docs/graph-api/reference/photo/): ``alt_text_custom``,
  ``published=false`` for photos later attached to one post, static images under 10 MB.
- "Page Feed" (developers.facebook.com/docs/graph-api/reference/page/feed): reading posts,
  ``attached_media`` with ``{"media_fbid": ...}`` for multi-photo posts.
- "Comments" / "Comment" reference: ``GET /{object-id}/comments`` with ``filter=stream``,
  ``order=reverse_chronological`` and cursor paging; ``POST /{comment-id}/comments`` to
  reply; ``POST /{comment-id}`` with ``is_hidden``; ``DELETE /{comment-id}``.
- "Page Insights" (developers.facebook.com/docs/graph-api/reference/insights) and
  "Deprecated Facebook Page Insights Metrics" (developers.facebook.com/documentation/
  pages-api/platforminsights/page/deprecated-metrics): ``post_impressions_unique`` and
  ``page_fans`` are gone; ``post_total_media_view_unique`` and ``followers_count`` instead.
- "Manually Build a Login Flow" / "Long-Lived Access Tokens" (Facebook Login):
  ``/dialog/oauth``, ``/oauth/access_token`` (code, then ``fb_exchange_token``), and
  ``GET /me/accounts`` returning one Page access token per page; Page tokens obtained from a
  long-lived User token do not expire.
- Error handling: see ``_meta``.

Facebook has no idempotency key. A retry first looks for a page post with the same text in
the last 48 hours (``find_published``).
"""

from __future__ import annotations

import json as jsonlib
import logging
from pathlib import Path
from typing import Any
from typing import ClassVar

import requests
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.adapters import _meta
from channels_app.adapters import oauth2
from channels_app.adapters.base import UPLOAD_TIMEOUT
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.base import Capabilities
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import PostMetrics
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import RemoteKind
from channels_app.adapters.base import parse_iso_datetime
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.oauth2 import OAuth2Config
from channels_app.adapters.text import utf16_length

logger = logging.getLogger(__name__)

GRAPH_VERSION = "v25.0"
GRAPH_URL = f"https://graph.facebook.com/{GRAPH_VERSION}"
DIALOG_URL = f"https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth"
TOKEN_URL = f"{GRAPH_URL}/oauth/access_token"

MAX_TEXT = 63_206  # the Page post limit Meta states for ``message``
MAX_IMAGES = 10  # photos attached to one post through ``attached_media`` (see docs page)
MAX_IMAGE_BYTES = 10_000_000  # "Photo": static images must be under 10 MB
IMAGE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff", "image/webp"}
)
RECENT_POSTS = 20  # how many recent page posts the comment poll looks into
COMMENT_PAGES = 5  # at most this many pages of 100 comments per post and poll

COMMENT_FIELDS = "id,message,from,created_time,parent{id},permalink_url,is_hidden"
TAGGED_FIELDS = "id,message,from,created_time,permalink_url"


def _is_permission_error(error: AuthenticationError) -> bool:
    """A Graph permission error (code 3, 10 or 200-299), not an invalid token."""
    code = int(error.code) if str(error.code).isdigit() else None
    return code is not None and (code in (3, 10) or 200 <= code < 300)


def facebook_scopes() -> tuple[str, ...]:
    return (
        "pages_show_list",
        "pages_read_engagement",
        "pages_read_user_content",
        "pages_manage_posts",
        "pages_manage_engagement",
        "read_insights",
    )


def facebook_pages(
    *, user_token: str, fields: str, session: requests.Session, secrets: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Every page the person can use, following the cursor paging of ``/me/accounts``."""
    pages: list[dict[str, Any]] = []
    params: dict[str, Any] = {"fields": fields, "limit": 100}
    for _page in range(20):
        body = _meta.session_call(
            session,
            "GET",
            f"{GRAPH_URL}/me/accounts",
            params=params,
            headers={"Authorization": f"Bearer {user_token}"},
            secrets=(user_token, *secrets),
        )
        pages.extend(item for item in body.get("data", []) if isinstance(item, dict))
        after = _meta.next_page_after(body)
        if after is None:
            break
        params = {**params, "after": after}
    return pages


class FacebookLogin(_meta.MetaGraphMixin):
    """Facebook Login for page-based platforms (Facebook Pages, Instagram): the person logs
    in, and the pages they manage become the accounts to choose from. Subclasses say which
    page fields they need and how a page becomes a choice."""

    # The code gives a short-lived User token, which ``oauth_accounts`` trades for a
    # long-lived one (about 60 days); Page tokens read with that one do not expire.
    oauth_config: ClassVar[OAuth2Config] = OAuth2Config(
        authorize_url=DIALOG_URL,
        token_url=TOKEN_URL,
        scope_separator=",",
        code_exchange_by_get=True,
    )
    page_fields: ClassVar[str]

    @classmethod
    def page_choices(cls, pages: list[dict[str, Any]]) -> list[AccountChoice]:
        raise NotImplementedError

    @classmethod
    def oauth_client(
        cls, *, base_url: str, redirect_uri: str, session: requests.Session
    ) -> OAuthClient:
        return _meta.meta_app()

    def oauth_accounts(self, client: OAuthClient) -> list[AccountChoice]:
        long_lived = oauth2.token_call(
            self,
            TOKEN_URL,
            {
                "grant_type": "fb_exchange_token",
                "fb_exchange_token": self.credentials["access_token"],
            },
            client=client,
            method="GET",
        )
        pages = facebook_pages(
            user_token=str(long_lived["access_token"]),
            fields=self.page_fields,
            session=self.session,
            secrets=(client.client_secret,),
        )
        return self.page_choices(pages)


class FacebookAdapter(_meta.GraphCommentModeration, FacebookLogin):
    platform: ClassVar[str] = "facebook"
    api_base = GRAPH_URL
    capabilities: ClassVar[Capabilities] = Capabilities.all_but(
        "publish_video",
        max_text_length=MAX_TEXT,
        max_images=MAX_IMAGES,
        text_counting=gettext_lazy(
            "Counted in UTF-16 code units (an emoji usually counts as two); links count in full."
        ),
        idempotency=gettext_lazy(
            "Facebook has no idempotency key: before a retry Sprachrohr looks for a post with the"
            " same text on the page in the last 48 hours and reuses it."
        ),
    )
    oauth_scopes: ClassVar[tuple[str, ...]] = facebook_scopes()

    # -- validation --

    def message_for(self, content: PostContent) -> str:
        """A photo post has no ``link`` field, so the website link goes into the text."""
        if content.media and content.link and content.link not in content.text:
            return f"{content.text.rstrip()}\n\n{content.link}".strip()
        return content.text

    def text_length(self, content: PostContent) -> int:
        # The same count as validate() below, for the editor's live counter.
        return utf16_length(self.message_for(content))

    def validate(self, content: PostContent) -> list[Problem]:
        # message_for adds the link to the text only beside a photo, so the text is empty
        # exactly when the message is.
        problems = self.text_problems(
            content, limit=MAX_TEXT, empty_message=_("A post needs a text or a photo.")
        )
        problems += _meta.photo_problems(
            content,
            max_images=MAX_IMAGES,
            image_types=IMAGE_TYPES,
            max_image_bytes=MAX_IMAGE_BYTES,
        )
        return problems

    # -- account --

    @property
    def page_id(self) -> str:
        return self.context.account_id

    def test_connection(self) -> AccountInfo:
        body = self.graph("GET", self.page_id, params={"fields": "id,name,username,link"})
        return AccountInfo(
            account_id=str(body.get("id", "")),
            handle=str(body.get("username") or body.get("id", "")),
            display_name=str(body.get("name", "")),
            url=str(body.get("link") or f"https://www.facebook.com/{body.get('id', '')}"),
        )

    # -- publishing --

    def _upload_photo(self, item: Any, *, published: bool, message: str = "") -> dict[str, Any]:
        data: dict[str, Any] = {"published": "true" if published else "false"}
        if message:
            data["message"] = message
        if item.alt_text:
            data["alt_text_custom"] = item.alt_text
        return self.graph(
            "POST",
            f"{self.page_id}/photos",
            data=data,
            files={"source": (Path(item.path).name, item.read(), item.mime_type)},
            timeout=UPLOAD_TIMEOUT,
        )

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        self.refuse_invalid(content)
        message = self.message_for(content)
        images = [m for m in content.media if m.kind == MediaKind.IMAGE]
        if len(images) == 1:
            # One photo: the photo upload itself creates the post and returns its id.
            body = self._upload_photo(images[0], published=True, message=message)
            post_id = str(body.get("post_id") or body.get("id") or "")
        elif images:
            # Several photos: upload unpublished, then one feed post attaching them all.
            data: dict[str, Any] = {"message": message}
            for index, item in enumerate(images):
                photo = self._upload_photo(item, published=False)
                data[f"attached_media[{index}]"] = jsonlib.dumps({"media_fbid": str(photo["id"])})
            post_id = str(self.graph("POST", f"{self.page_id}/feed", data=data).get("id", ""))
        else:
            data = {"message": message}
            if content.link:
                data["link"] = content.link
            post_id = str(self.graph("POST", f"{self.page_id}/feed", data=data).get("id", ""))
        if not post_id:
            raise MalformedResponseError(_("The platform did not return the post's id."))
        logger.info("Facebook page %s: published post %s", self.page_id, post_id)
        return self._result(post_id)

    def _result(self, post_id: str) -> PublishResult:
        body = self.graph("GET", post_id, params={"fields": "id,permalink_url,created_time"})
        return PublishResult(
            remote_id=post_id,
            url=str(body.get("permalink_url") or f"https://www.facebook.com/{post_id}"),
            published_at=parse_iso_datetime(body.get("created_time")),
        )

    def find_published(self, content: PostContent, idempotency_key: str) -> PublishResult | None:
        message = self.message_for(content)
        if not message.strip():
            return None  # nothing to recognise a photo-only post by
        post = self.find_recent_text(
            f"{self.page_id}/posts",
            fields="id,message,permalink_url,created_time",
            text_key="message",
            text=message,
        )
        if post is None:
            return None
        post_id = str(post["id"])
        logger.info("Facebook page %s: found earlier post %s", self.page_id, post_id)
        return PublishResult(
            remote_id=post_id,
            url=str(post.get("permalink_url") or f"https://www.facebook.com/{post_id}"),
            published_at=parse_iso_datetime(post.get("created_time")),
        )

    def delete(self, remote_id: str) -> None:
        self.graph("DELETE", remote_id)

    # -- metrics --

    def fetch_post_metrics(
        self, remote_ids: list[str], *, insights: bool = True
    ) -> list[PostMetrics]:
        return [self._post_metrics(remote_id, insights=insights) for remote_id in remote_ids]

    def _post_metrics(self, remote_id: str, *, insights: bool) -> PostMetrics:
        """The counts on the post itself, with its Insights figures where wanted."""
        body = self.graph(
            "GET",
            remote_id,
            params={
                "fields": "id,shares,comments.limit(0).summary(true),"
                "reactions.limit(0).summary(true)"
            },
        )
        values = self._post_insights(remote_id) if insights else {}
        return PostMetrics(
            remote_id=remote_id,
            reach=values.get("post_total_media_view_unique"),
            clicks=values.get("post_clicks"),
            likes=_summary_count(body.get("reactions")),
            comments=_summary_count(body.get("comments")),
            # The Graph API leaves ``shares`` out of a post nobody shared yet: the figure is
            # provided, and it is 0.
            shares=int((body.get("shares") or {}).get("count", 0)),
        )

    def _post_insights(self, remote_id: str) -> dict[str, int]:
        try:
            insights = self.graph(
                "GET",
                f"{remote_id}/insights",
                params={"metric": "post_total_media_view_unique,post_clicks"},
            )
        except ContentRejectedError:
            # Pages under 100 followers have no insights; counts still are useful.
            insights = {}
        return _meta.insight_values(insights)

    def fetch_account_metrics(self) -> AccountMetrics:
        body = self.graph("GET", self.page_id, params={"fields": "followers_count,fan_count"})
        followers = body.get("followers_count", body.get("fan_count"))
        return AccountMetrics(followers=followers if isinstance(followers, int) else None)

    # -- comments --

    def fetch_mentions(self, cursor: str | None) -> CommentPage:
        """Public posts the page is tagged in (``/{page-id}/tagged``, newest first), created
        after ``cursor``. The Graph API names the author of a person's post only to that
        person: such mentions have no author id, and all of them stand for one unknown
        author of the channel."""
        try:
            return self._tagged(cursor)
        except AuthenticationError as error:
            if not _is_permission_error(error):
                raise
            # The tagged edge needs pages_read_user_content, which publishing does not: a
            # missing grant makes the stream unavailable instead of failing the channel.
            raise NotSupportedError(
                _(
                    "Reading posts the page is tagged in needs the permission"
                    " “pages_read_user_content”, which this connection was not granted:"
                    " not available for this channel."
                ),
                status=error.status,
                code=error.code,
            ) from error

    def _tagged(self, cursor: str | None) -> CommentPage:
        window = _meta.CommentWindow(cursor)
        items: list[RemoteComment] = []
        params: dict[str, Any] = {"fields": TAGGED_FIELDS, "limit": 100}
        pages = self.graph_pages(f"{self.page_id}/tagged", params, pages=COMMENT_PAGES)
        for raw, created in window.newer(pages, "created_time"):
            author = raw.get("from") or {}
            if str(author.get("id", "")) == self.page_id:
                continue  # the page tagging itself
            window.saw(created)
            items.append(
                RemoteComment(
                    remote_id=str(raw["id"]),
                    post_remote_id="",
                    author_name=str(author.get("name", "")),
                    author_id=str(author.get("id", "")),
                    text=str(raw.get("message", "")),
                    created_at=created,
                    url=str(raw.get("permalink_url", "")),
                    kind=RemoteKind.MENTION,
                    raw=raw,
                )
            )
        items.sort(key=lambda item: item.created_at or window.since)
        return window.page(items)

    def fetch_comments(self, cursor: str | None) -> CommentPage:
        window = _meta.CommentWindow(cursor)
        items: list[RemoteComment] = []
        for post_id in self.recent_ids(f"{self.page_id}/posts", limit=RECENT_POSTS):
            params: dict[str, Any] = {
                "fields": COMMENT_FIELDS,
                "filter": "stream",  # replies too, flat
                "order": "reverse_chronological",
                "limit": 100,
            }
            pages = self.graph_pages(f"{post_id}/comments", params, pages=COMMENT_PAGES)
            for raw, created in window.newer(pages, "created_time"):
                author = raw.get("from") or {}
                if str(author.get("id", "")) == self.page_id:
                    continue  # the page's own answers
                window.saw(created)
                items.append(
                    RemoteComment(
                        remote_id=str(raw["id"]),
                        post_remote_id=post_id,
                        author_name=str(author.get("name", "")),
                        author_id=str(author.get("id", "")),
                        text=str(raw.get("message", "")),
                        created_at=created,
                        parent_remote_id=str((raw.get("parent") or {}).get("id", "")),
                        url=str(raw.get("permalink_url", "")),
                        is_hidden=bool(raw.get("is_hidden", False)),
                        # The Graph API gives no user handles or profile addresses
                        # to pages (app-scoped ids only).
                        raw=raw,
                    )
                )
        return window.page(items)

    def reply(self, comment: RemoteComment, text: str, idempotency_key: str = "") -> PublishResult:
        return self.reply_at(f"{comment.remote_id}/comments", text)

    # No idempotency key for comments either: after a lost answer, look among the newest
    # replies to the comment for one by the page with the same text.
    can_find_reply = True

    def find_reply(
        self, comment: RemoteComment, text: str, idempotency_key: str
    ) -> PublishResult | None:
        body = self.graph(
            "GET",
            f"{comment.remote_id}/comments",
            params={
                "fields": "id,message,from,created_time,permalink_url",
                "order": "reverse_chronological",
                "filter": "stream",
                "limit": 50,
            },
        )
        for reply in body.get("data", []):
            author = reply.get("from") or {}
            if str(author.get("id", "")) != self.page_id:
                continue
            if _meta.same_text(str(reply.get("message", "")), text):
                return PublishResult(
                    remote_id=str(reply["id"]),
                    url=str(reply.get("permalink_url") or ""),
                    published_at=parse_iso_datetime(reply.get("created_time")),
                )
        return None

    # ``POST /{comment-id}`` with ``is_hidden=true``/``false`` hides a comment or shows it
    # again (``GraphCommentModeration``). The Pages API offers no switch for the comments of
    # a post, so ``disable_comments`` stays unsupported.
    comment_hide_field: ClassVar[str] = "is_hidden"

    # -- blocking authors --

    # The Page's ``blocked`` edge (Page access token): POST adds people to the Page's block
    # list and answers a map ``{"<id>": true}``, DELETE removes one and answers
    # ``{"success": true}``. Commenters appear with their page-scoped id.
    can_block_authors: ClassVar[bool] = True
    can_unblock_authors: ClassVar[bool] = True

    def block_author(self, author_remote_id: str, *, comment_remote_id: str = "") -> None:
        body = self.graph("POST", f"{self.page_id}/blocked", data={"user": author_remote_id})
        if not isinstance(body, dict) or body.get(author_remote_id) is not True:
            raise MalformedResponseError(_("Facebook did not confirm the block."))

    def unblock_author(self, author_remote_id: str) -> None:
        body = self.graph("DELETE", f"{self.page_id}/blocked", data={"user": author_remote_id})
        if not isinstance(body, dict) or body.get("success") is not True:
            raise MalformedResponseError(_("Facebook did not confirm the unblock."))

    # Page access tokens obtained from a long-lived User token do not expire: nothing to
    # refresh. Revoking needs the User token, which Sprachrohr does not keep (it would
    # reach every page of that person), so ``revoke`` stays the base no-op.

    # -- connecting (Facebook Login, see FacebookLogin) --

    page_fields: ClassVar[str] = "id,name,access_token,username,link,tasks"

    @classmethod
    def page_choices(cls, pages: list[dict[str, Any]]) -> list[AccountChoice]:
        choices = []
        for page in pages:
            if not page.get("access_token"):
                continue
            page_id = str(page["id"])
            choices.append(
                AccountChoice(
                    account_id=page_id,
                    name=str(page.get("name", page_id)),
                    handle=str(page.get("username") or page_id),
                    url=str(page.get("link") or f"https://www.facebook.com/{page_id}"),
                    credentials={"access_token": str(page["access_token"])},
                )
            )
        return choices


def _summary_count(edge: Any) -> int | None:
    if not isinstance(edge, dict):
        return None
    count = (edge.get("summary") or {}).get("total_count")
    return count if isinstance(count, int) else None
