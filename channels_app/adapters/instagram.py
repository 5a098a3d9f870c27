"""Instagram professional (business) accounts through the "Instagram API with Facebook Login".

Meta documents two set-ups (table in "Content Publishing"): the Instagram API with Instagram
Login (graph.instagram.com, Instagram User tokens that expire after 60 days and need their
own Instagram app credentials) and the Instagram API with Facebook Login (graph.facebook.com,
a Page access token of the Facebook page the account is linked to). Both document
publishing, comment moderation (reply, hide, delete) and insights; Sprachrohr uses the
Facebook Login one because it runs on the same Meta app as the Facebook adapter
(``META_APP_ID``/``META_APP_SECRET``), the authority's Instagram account is normally linked
to its page anyway, and the Page access token does not expire.

Based on these documentation pages (titles/URLs as the search tool returned them):

- "Content Publishing" (developers.facebook.com/docs/instagram-platform/content-publishing/):
  container (``POST /{ig-user-id}/media``) then ``POST /{ig-user-id}/media_publish`` with
  ``creation_id``; media fetched by Meta from a public URL; carousels of child containers
  (``is_carousel_item=true``) and a ``media_type=CAROUSEL`` container with ``children``;
  ``GET /{ig-container-id}?fields=status_code`` (EXPIRED, ERROR, FINISHED, IN_PROGRESS,
  PUBLISHED); 50 API-published posts per 24 hours; ``alt_text`` for image posts (since
  March 24, 2025; not for Reels and stories).
- "IG User Media" (developers.facebook.com/docs/instagram-api/reference/ig-user/media):
  captions of at most 2,200 characters, 30 hashtags and 20 @-tags; JPEG only, at most 8 MB,
  aspect ratio between 4:5 and 1.91:1; carousels of up to 10 images; ``GET`` lists the
  account's media (used for the no-double-post lookup).
- "IG User Media Publish" (developers.facebook.com/documentation/instagram-platform/
  instagram-graph-api/reference/ig-user/media_publish).
- "IG Media" (developers.facebook.com/docs/instagram-platform/reference/instagram-media):
  ``permalink``, ``timestamp``, ``caption``; the stored page documents no deletion, so
  ``delete`` is not offered (third-party sources mention ``DELETE /{ig-media-id}`` with
  ``instagram_manage_contents``; not verified in the official pages).
- "IG Media Comments", "IG Comment", "IG Comment Replies": ``GET /{ig-media-id}/comments``,
  ``POST /{ig-comment-id}/replies`` (``message``), ``POST /{ig-comment-id}`` with
  ``hide=true``, ``DELETE /{ig-comment-id}``.
- "IG Media Insights": ``GET /{ig-media-id}/insights?metric=reach,likes,comments,shares,
  saved,views`` (``impressions`` was replaced by ``views``).
- Facebook Login and ``GET /me/accounts`` with ``instagram_business_account``: see the
  Facebook adapter. Errors: see ``_meta``.

Instagram has no idempotency key. A retry first looks for a post with the same caption among
the account's recent media (``find_published``).
"""

from __future__ import annotations

import logging
from datetime import UTC
from datetime import datetime
from typing import Any
from typing import ClassVar

import regex
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_app.adapters import _meta
from channels_app.adapters.base import AccountChoice
from channels_app.adapters.base import AccountInfo
from channels_app.adapters.base import AccountMetrics
from channels_app.adapters.base import Capabilities
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import PostMetrics
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import parse_iso_datetime
from channels_app.adapters.base import problem_text_too_long
from channels_app.adapters.base import problems_for_malformed_text
from channels_app.adapters.facebook import GRAPH_URL
from channels_app.adapters.facebook import FacebookLogin
from channels_app.adapters.text import utf16_length

logger = logging.getLogger(__name__)

MAX_CAPTION = 2_200
MAX_HASHTAGS = 30
MAX_MENTIONS = 20
MAX_IMAGES = 10
MAX_IMAGE_BYTES = 8_000_000
IMAGE_TYPES = frozenset({"image/jpeg"})
MIN_ASPECT = 4 / 5
MAX_ASPECT = 1.91
RECENT_MEDIA = 20
COMMENT_PAGES = 5

HASHTAG_PATTERN = regex.compile(r"(?<![\w&])#\w+")
MENTION_PATTERN = regex.compile(r"(?<![\w@])@[\w.]+")

COMMENT_FIELDS = (
    "id,text,timestamp,username,from,hidden,parent_id,"
    "replies{id,text,timestamp,username,from,hidden,parent_id}"
)


def _profile_url(username: str) -> str:
    return f"https://www.instagram.com/{username}/" if username else ""


class InstagramAdapter(_meta.GraphCommentModeration, FacebookLogin):
    platform: ClassVar[str] = "instagram"
    api_base = GRAPH_URL
    capabilities: ClassVar[Capabilities] = Capabilities.all_but(
        "publish_text",
        "publish_video",
        "delete",
        max_text_length=MAX_CAPTION,
        max_images=MAX_IMAGES,
        requires_media=True,
        text_counting=gettext_lazy(
            "The caption is counted in UTF-16 code units (an emoji usually counts as two), with"
            " at most 30 hashtags and 20 @-mentions."
        ),
        idempotency=gettext_lazy(
            "Instagram has no idempotency key: before a retry Sprachrohr looks for a post with"
            " the same caption among the account's recent posts and reuses it."
        ),
    )
    oauth_scopes: ClassVar[tuple[str, ...]] = (
        "instagram_basic",
        "instagram_content_publish",
        "instagram_manage_comments",
        "instagram_manage_insights",
        "pages_show_list",
        "pages_read_engagement",
    )

    @property
    def ig_user_id(self) -> str:
        return self.context.account_id

    # -- validation --

    def caption_for(self, content: PostContent) -> str:
        # Links in captions are not clickable on Instagram, but the address still informs.
        if content.link and content.link not in content.text:
            return f"{content.text.rstrip()}\n\n{content.link}".strip()
        return content.text

    def text_length(self, content: PostContent) -> int:
        # The same count as validate() below, for the editor's live counter.
        return utf16_length(self.caption_for(content))

    def validate(self, content: PostContent) -> list[Problem]:
        problems: list[Problem] = problems_for_malformed_text(content)
        caption = self.caption_for(content)
        length = utf16_length(caption)
        if length > MAX_CAPTION:
            problems.append(problem_text_too_long(length, MAX_CAPTION))
        caption_limits = (
            (
                "too_many_hashtags",
                HASHTAG_PATTERN,
                MAX_HASHTAGS,
                _("Instagram allows at most %(limit)d hashtags; the text has %(n)d."),
            ),
            (
                "too_many_mentions",
                MENTION_PATTERN,
                MAX_MENTIONS,
                _("Instagram allows at most %(limit)d @-mentions; the text has %(n)d."),
            ),
        )
        for code, pattern, limit, message in caption_limits:
            found = len(pattern.findall(caption))
            if found > limit:
                problems.append(Problem(code, "text", message % {"limit": limit, "n": found}))
        images = [m for m in content.media if m.kind == MediaKind.IMAGE]
        if not images:
            problems.append(
                Problem("media_required", "media", _("Instagram needs at least one image."))
            )
        problems += _meta.photo_problems(
            content,
            max_images=MAX_IMAGES,
            image_types=IMAGE_TYPES,
            max_image_bytes=MAX_IMAGE_BYTES,
        )
        for index, item in enumerate(content.media):
            problems += _media_problems(item, index)
        return problems

    # -- account --

    def test_connection(self) -> AccountInfo:
        return self.read_profile(self.ig_user_id, "https://www.instagram.com/{username}/")

    # -- publishing --

    def _container(self, data: dict[str, Any]) -> str:
        return self.create_container(f"{self.ig_user_id}/media", data)

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        self.refuse_invalid(content)
        caption = self.caption_for(content)
        images = [m for m in content.media if m.kind == MediaKind.IMAGE]
        if len(images) == 1:
            data = {"image_url": images[0].public_url, "caption": caption}
            if images[0].alt_text:
                data["alt_text"] = images[0].alt_text
            container_id = self._container(data)
        else:
            children = []
            for item in images:
                data = {"image_url": item.public_url, "is_carousel_item": "true"}
                if item.alt_text:
                    data["alt_text"] = item.alt_text
                children.append(self._container(data))
            for child in children:
                self.wait_for_container(child, field="status_code")
            container_id = self._container(
                {"media_type": "CAROUSEL", "children": ",".join(children), "caption": caption}
            )
        # Meta fetches the image asynchronously; publishing too early fails with code 9007.
        self.wait_for_container(container_id, field="status_code")
        media_id = self.publish_container(f"{self.ig_user_id}/media_publish", container_id)
        logger.info("Instagram account %s: published media %s", self.ig_user_id, media_id)
        media = self.graph("GET", media_id, params={"fields": "id,permalink,timestamp"})
        return PublishResult(
            remote_id=media_id,
            url=str(media.get("permalink", "")),
            published_at=parse_iso_datetime(media.get("timestamp")),
        )

    def find_published(self, content: PostContent, idempotency_key: str) -> PublishResult | None:
        caption = self.caption_for(content)
        if not caption.strip():
            return None
        oldest = datetime.now(UTC) - _meta.FIND_WINDOW
        body = self.graph(
            "GET",
            f"{self.ig_user_id}/media",
            params={"fields": "id,caption,permalink,timestamp", "limit": 25},
        )
        for media in body.get("data", []):
            published = parse_iso_datetime(media.get("timestamp"))
            if published is not None and published < oldest:
                continue
            if _meta.same_text(str(media.get("caption", "")), caption):
                logger.info(
                    "Instagram account %s: found earlier media %s", self.ig_user_id, media["id"]
                )
                return PublishResult(
                    remote_id=str(media["id"]),
                    url=str(media.get("permalink", "")),
                    published_at=published,
                )
        return None

    # -- metrics --

    def fetch_post_metrics(
        self, remote_ids: list[str], *, insights: bool = True
    ) -> list[PostMetrics]:
        if not insights:
            return [self._public_counts(remote_id) for remote_id in remote_ids]
        results = []
        for remote_id in remote_ids:
            body = self.graph(
                "GET",
                f"{remote_id}/insights",
                params={"metric": "reach,likes,comments,shares,saved,views"},
            )
            values = _meta.insight_values(body)
            results.append(
                PostMetrics(
                    remote_id=remote_id,
                    impressions=values.get("views"),
                    reach=values.get("reach"),
                    likes=values.get("likes"),
                    comments=values.get("comments"),
                    shares=values.get("shares"),
                )
            )
        return results

    def _public_counts(self, remote_id: str) -> PostMetrics:
        """Without Insights: the counts on the media object itself (``like_count`` is left
        out where the owner hid likes, so it stays "not provided")."""
        body = self.graph("GET", remote_id, params={"fields": "id,like_count,comments_count"})
        likes, comments = body.get("like_count"), body.get("comments_count")
        return PostMetrics(
            remote_id=remote_id,
            likes=likes if isinstance(likes, int) else None,
            comments=comments if isinstance(comments, int) else None,
        )

    def fetch_account_metrics(self) -> AccountMetrics:
        body = self.graph(
            "GET",
            self.ig_user_id,
            params={"fields": "followers_count,follows_count,media_count"},
        )
        return AccountMetrics(
            followers=body.get("followers_count"),
            following=body.get("follows_count"),
            posts=body.get("media_count"),
        )

    # -- comments --

    def _comment(self, raw: dict[str, Any], media_id: str) -> RemoteComment:
        author = raw.get("from") or {}
        return RemoteComment(
            remote_id=str(raw["id"]),
            post_remote_id=media_id,
            author_name=str(raw.get("username") or author.get("username", "")),
            author_id=str(author.get("id", "")),
            text=str(raw.get("text", "")),
            created_at=parse_iso_datetime(raw.get("timestamp")),
            parent_remote_id=str(raw.get("parent_id", "")),
            is_hidden=bool(raw.get("hidden", False)),
            author_handle=str(raw.get("username") or author.get("username", "")),
            author_url=_profile_url(str(raw.get("username") or author.get("username", ""))),
            raw=raw,
            by_account=bool(author.get("id")) and str(author.get("id")) == self.context.account_id,
        )

    def fetch_comments(self, cursor: str | None) -> CommentPage:
        window = _meta.CommentWindow(cursor)
        items: list[RemoteComment] = []
        recent = self.recent_ids(
            f"{self.ig_user_id}/media", limit=RECENT_MEDIA, fields="id,timestamp"
        )
        for media_id in recent:
            params: dict[str, Any] = {"fields": COMMENT_FIELDS, "limit": 50}
            for body in self.graph_pages(f"{media_id}/comments", params, pages=COMMENT_PAGES):
                for raw in body.get("data", []):
                    # Replies come nested under their comment ("replies" field expansion).
                    nested = (raw.get("replies") or {}).get("data", [])
                    for entry in [raw, *nested]:
                        comment = self._comment(entry, media_id)
                        if window.is_old(comment.created_at):
                            continue
                        if comment.author_id == self.ig_user_id or (
                            self.context.handle and comment.author_name == self.context.handle
                        ):
                            continue  # the account's own answers
                        window.saw(comment.created_at)
                        items.append(comment)
        return window.page(items)

    def reply(self, comment: RemoteComment, text: str, idempotency_key: str = "") -> PublishResult:
        # Replies go to the top-level comment: Instagram threads are one level deep.
        target = comment.parent_remote_id or comment.remote_id
        return self.reply_at(f"{target}/replies", text)

    # No idempotency key: after a lost answer, look among the replies of the thread for one
    # by the account with the same text.
    can_find_reply = True

    def find_reply(
        self, comment: RemoteComment, text: str, idempotency_key: str
    ) -> PublishResult | None:
        target = comment.parent_remote_id or comment.remote_id
        body = self.graph(
            "GET", f"{target}/replies", params={"fields": "id,text,username,from,timestamp"}
        )
        for reply in body.get("data", []):
            author = reply.get("from") or {}
            ours = str(author.get("id", "")) == self.ig_user_id or (
                bool(self.context.handle) and reply.get("username") == self.context.handle
            )
            if ours and _meta.same_text(str(reply.get("text", "")), text):
                return PublishResult(
                    remote_id=str(reply["id"]),
                    url="",
                    published_at=parse_iso_datetime(reply.get("timestamp")),
                )
        return None

    # Instagram Graph API: ``POST /{ig-comment-id}?hide=true``/``false`` hides a comment or
    # shows it again (``GraphCommentModeration``); ``POST /{ig-media-id}?comment_enabled=false``
    # switches the comments of a media off.
    comment_hide_field: ClassVar[str] = "hide"
    can_disable_comments: ClassVar[bool] = True

    def disable_comments(self, post_remote_id: str) -> None:
        self.graph("POST", post_remote_id, data={"comment_enabled": "false"})

    # The Page access token does not expire; revoking needs the User token, which Sprachrohr
    # does not keep. ``refresh_credentials`` and ``revoke`` stay the base no-ops.

    # -- connecting (Facebook Login, see FacebookLogin) --

    page_fields: ClassVar[str] = "id,name,access_token,instagram_business_account{id,username,name}"

    @classmethod
    def page_choices(cls, pages: list[dict[str, Any]]) -> list[AccountChoice]:
        choices = []
        for page in pages:
            account = page.get("instagram_business_account") or {}
            if not account.get("id") or not page.get("access_token"):
                continue  # a page without a linked professional account
            username = str(account.get("username", ""))
            choices.append(
                AccountChoice(
                    account_id=str(account["id"]),
                    name=str(account.get("name") or username or page.get("name", "")),
                    handle=username,
                    url=f"https://www.instagram.com/{username}/" if username else "",
                    credentials={
                        "access_token": str(page["access_token"]),
                        "page_id": str(page.get("id", "")),
                    },
                )
            )
        return choices


def _media_problems(item: MediaItem, index: int) -> list[Problem]:
    field_name = f"media.{index}"
    problems = _meta.public_url_problems(
        item,
        field_name,
        _(
            "Instagram fetches media from a public address, but this file has none yet."
            " Publish it on the website's media server first."
        ),
    )
    if item.kind == MediaKind.IMAGE and item.width and item.height:
        ratio = item.width / item.height
        if ratio < MIN_ASPECT - 0.005 or ratio > MAX_ASPECT + 0.005:
            problems.append(
                Problem(
                    "media_aspect_ratio",
                    field_name,
                    _(
                        "Instagram accepts images between 4:5 (portrait) and 1.91:1"
                        " (landscape); this one is %(w)d by %(h)d pixels."
                    )
                    % {"w": item.width, "h": item.height},
                )
            )
    return problems
