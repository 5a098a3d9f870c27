"""LinkedIn organisation pages through the Community Management API (versioned ``/rest`` API).

Written against the official documentation on learn.microsoft.com (as returned by the search
tool):

- "Posts API" (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api)
- "Images API" (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api)
- "Videos API" (same folder, ``videos-api``) and "MultiImage API" (``multiimage-post-api``)
- "little text format" (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format)
- "Comments API" (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/comments-api)
- "Organization Share Statistics"
  (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics)
- "Organization Network Size" / "Organization Follower Statistics"
  (https://learn.microsoft.com/en-us/linkedin/marketing/integrations/community-management/organizations/organization-network-size)
- "Organization Access Control" (organizationAcls)
  (https://learn.microsoft.com/en-us/linkedin/compliance/integrations/organizations/organization-access-control)
- "Refresh Tokens with OAuth 2.0"
  (https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens)
- "Error Handling" (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling)
- the official Python client linkedin-developers/linkedin-api-python-client (token endpoints)

Every call carries ``LinkedIn-Version`` (a pinned YYYYMM; versions are sunset after about a
year, so ``LINKEDIN_VERSION`` must be raised regularly) and ``X-Restli-Protocol-Version: 2.0.0``.

LinkedIn offers no idempotency key. Before a retry ``find_published`` reads the organisation's
most recent posts (``q=author``) and matches the commentary exactly as it was sent.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import ClassVar
from urllib.parse import quote
from urllib.parse import urlencode

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
from channels_app.adapters.base import FindsPostsByText
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import OAuthClient
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import PostMetrics
from channels_app.adapters.base import Problem
from channels_app.adapters.base import PublishResult
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.base import inline_link
from channels_app.adapters.base import json_object
from channels_app.adapters.base import oauth_error_detail
from channels_app.adapters.base import problems_for_ignored_alt_text
from channels_app.adapters.base import problems_for_media
from channels_app.adapters.base import text_with_link
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import MalformedResponseError
from channels_app.adapters.oauth2 import AppSettings
from channels_app.adapters.oauth2 import OAuth2Config
from channels_app.adapters.text import URL_PATTERN
from channels_app.adapters.text import utf16_length

logger = logging.getLogger(__name__)

API = "https://api.linkedin.com/rest"
OAUTH = "https://www.linkedin.com/oauth/v2"
AUTHORIZE_URL = f"{OAUTH}/authorization"
TOKEN_URL = f"{OAUTH}/accessToken"
# Pinned API version (YYYYMM). LinkedIn sunsets each version about one year after release.
LINKEDIN_VERSION = "202605"

MAX_COMMENTARY = 3000
MAX_IMAGES = 20  # one image: media; 2 to 20 images: multiImage
MAX_ALT_TEXT = 4086
MAX_IMAGE_PIXELS = 36_152_320
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif"})
VIDEO_TYPES = frozenset({"video/mp4"})
MAX_IMAGE_BYTES = 200 * 1024 * 1024  # LinkedIn documents a pixel limit, not a byte limit
MAX_VIDEO_BYTES = 500 * 1024 * 1024
MIN_VIDEO_BYTES = 75 * 1024
MIN_VIDEO_SECONDS = 3.0
MAX_VIDEO_SECONDS = 30 * 60.0
FIND_COUNT = 20
COMMENT_POSTS = 10  # how many recent posts are scanned for new comments
COMMENT_PAGE = 100
COMMENT_MAX_PAGES = 5

# Reserved characters of the little text format; a backslash makes them plain text.
_RESERVED = regex.compile(r"[\\|{}@\[\]()<>#*_~]")
# A hashtag stays a HashtagElement: "#" at a word start followed by a word character.
_HASHTAG = regex.compile(r"(?<![\w#])#(?=\w)")
_DUPLICATE = regex.compile(r"duplicate", regex.IGNORECASE)
_COMMENT_URN = regex.compile(
    r"^urn:li:comment:\((?P<object>urn:li:[A-Za-z]+:[^,]+),(?P<id>[^)]+)\)$"
)


def escape_little_text(text: str) -> str:
    """Commentary in LinkedIn's little text format: reserved characters are escaped so that
    LinkedIn neither truncates the post at them nor reads them as mentions or templates.
    URLs stay untouched (so they still link) and #hashtags stay hashtags."""
    out: list[str] = []
    position = 0
    for match in URL_PATTERN.finditer(text):
        out.append(_escape_plain(text[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_escape_plain(text[position:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    def repl(match: regex.Match[str]) -> str:
        if match.group(0) == "#" and _HASHTAG.match(text, match.start()):
            return "#"
        return "\\" + match.group(0)

    return _RESERVED.sub(repl, text)


def _unescape(text: str) -> str:
    return regex.sub(r"\\(.)", r"\1", text)


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", _unescape(text)).split())


def _urn_path(urn: str) -> str:
    """URNs in a path or query are URL-encoded (Rest.li 2.0.0)."""
    return quote(urn, safe="")


def _from_ms(value: Any) -> datetime | None:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    return None


class LinkedInAdapter(FindsPostsByText):
    platform: ClassVar[str] = "linkedin"
    capabilities: ClassVar[Capabilities] = Capabilities.all_but(
        "hide_comments",  # the API offers no hiding of comments
        max_text_length=MAX_COMMENTARY,
        max_images=MAX_IMAGES,
        text_counting=gettext_lazy(
            "LinkedIn allows 3,000 characters (counted as UTF-16 code units, so most emoji"
            " count twice); links count in full."
        ),
        idempotency=gettext_lazy(
            "LinkedIn has no idempotency key: before a retry Sprachrohr looks for a recent post"
            " of the organisation with the same text."
        ),
    )
    oauth_scopes: ClassVar[tuple[str, ...]] = (
        "w_organization_social",
        "r_organization_social",
        "rw_organization_admin",
    )
    # No PKCE (``oauth_uses_pkce`` stays False): LinkedIn's PKCE is for native apps only.
    oauth_config: ClassVar[OAuth2Config] = OAuth2Config(
        authorize_url=AUTHORIZE_URL,
        token_url=TOKEN_URL,
        app=AppSettings(
            "LINKEDIN_CLIENT_ID",
            "LINKEDIN_CLIENT_SECRET",
            gettext_lazy(
                "LinkedIn is not configured: the operator must set LINKEDIN_CLIENT_ID and"
                " LINKEDIN_CLIENT_SECRET (the app registration at LinkedIn Developers)."
            ),
        ),
        # Only apps with programmatic refresh tokens get one; the others reconnect.
        refresh_grant=True,
        default_lifetime=timedelta(days=60),
        no_token_message=gettext_lazy("LinkedIn sent a token answer without an access token."),
        refused_message=gettext_lazy(
            "LinkedIn no longer accepts the access: reconnect the channel."
        ),
    )

    # -- helpers --

    @property
    def organization_urn(self) -> str:
        account = self.context.account_id
        return account if account.startswith("urn:li:") else f"urn:li:organization:{account}"

    @property
    def organization_id(self) -> str:
        return self.organization_urn.rsplit(":", 1)[-1]

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.credentials.get('access_token', '')}",
            "LinkedIn-Version": LINKEDIN_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def _call(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = {**self._headers(), **kwargs.pop("headers", {})}
        return self.request(method, url, headers=headers, **kwargs)

    def _get(self, url: str, **kwargs: Any) -> Any:
        body = self.json(self._call("GET", url, **kwargs))
        if not isinstance(body, dict):
            raise MalformedResponseError(_("The platform sent an answer that is not an object."))
        return body

    @staticmethod
    def _post_url(urn: str) -> str:
        return f"https://www.linkedin.com/feed/update/{urn}/"

    # -- errors --

    def error_detail(self, response: requests.Response) -> tuple[str, str]:
        """LinkedIn: ``{"message", "serviceErrorCode", "status"}`` (plus ``code`` on some
        errors); the OAuth endpoints: ``{"error", "error_description"}``."""
        body = json_object(response) or {}
        oauth = oauth_error_detail(body)
        if oauth is not None:
            return oauth
        code = body.get("code") or body.get("serviceErrorCode") or ""
        return str(code), str(body.get("message") or "")

    # -- validation --

    def text_length(self, content: PostContent) -> int:
        # The same count as validate() below, for the editor's live counter.
        return utf16_length(text_with_link(content))

    def validate(self, content: PostContent) -> list[Problem]:
        content = inline_link(content)
        problems = self.text_problems(
            content, limit=MAX_COMMENTARY, empty_message=_("A LinkedIn post needs text or a file.")
        )
        problems.extend(
            problems_for_media(
                content,
                max_images=MAX_IMAGES,
                max_videos=1,
                image_types=IMAGE_TYPES,
                video_types=VIDEO_TYPES,
                max_image_bytes=MAX_IMAGE_BYTES,
                max_video_bytes=MAX_VIDEO_BYTES,
                max_alt_text=MAX_ALT_TEXT,
            )
        )
        for index, item in enumerate(content.media):
            field_name = f"media.{index}"
            if item.kind == MediaKind.IMAGE:
                if item.width and item.height and item.width * item.height >= MAX_IMAGE_PIXELS:
                    problems.append(
                        Problem(
                            "image_too_many_pixels",
                            field_name,
                            _("LinkedIn accepts images with fewer than 36 million pixels."),
                        )
                    )
                continue
            if item.size < MIN_VIDEO_BYTES:
                problems.append(
                    Problem(
                        "media_too_small", field_name, _("LinkedIn needs videos of at least 75 KB.")
                    )
                )
            duration = item.duration_seconds
            if duration is not None and not MIN_VIDEO_SECONDS <= duration <= MAX_VIDEO_SECONDS:
                problems.append(
                    Problem(
                        "video_duration",
                        field_name,
                        _("LinkedIn accepts videos from 3 seconds to 30 minutes."),
                    )
                )
            problems += problems_for_ignored_alt_text(
                item,
                field_name,
                _("LinkedIn takes no alternative text for videos; the title is used."),
            )
        return problems

    # -- the operations --

    def test_connection(self) -> AccountInfo:
        organization = self._get(f"{API}/organizations/{self.organization_id}")
        vanity = str(organization.get("vanityName", ""))
        return AccountInfo(
            account_id=self.organization_id,
            handle=vanity,
            display_name=str(organization.get("localizedName", "")),
            url=f"https://www.linkedin.com/company/{vanity}/" if vanity else "",
        )

    def _upload_image(self, item: MediaItem) -> str:
        body = self.json(
            self._call(
                "POST",
                f"{API}/images?action=initializeUpload",
                json={"initializeUploadRequest": {"owner": self.organization_urn}},
            )
        )
        value = body.get("value") if isinstance(body, dict) else None
        if not isinstance(value, dict) or not value.get("uploadUrl") or not value.get("image"):
            raise MalformedResponseError(_("LinkedIn sent no upload address for the image."))
        self.request(
            "PUT",
            value["uploadUrl"],
            data=item.read(),
            headers={"Authorization": self._headers()["Authorization"]},
            timeout=UPLOAD_TIMEOUT,
        )
        return str(value["image"])

    def _upload_video(self, item: MediaItem) -> str:
        data = item.read()
        body = self.json(
            self._call(
                "POST",
                f"{API}/videos?action=initializeUpload",
                json={
                    "initializeUploadRequest": {
                        "owner": self.organization_urn,
                        "fileSizeBytes": len(data),
                        "uploadCaptions": False,
                        "uploadThumbnail": False,
                    }
                },
            )
        )
        value = body.get("value") if isinstance(body, dict) else None
        if not isinstance(value, dict) or not value.get("video"):
            raise MalformedResponseError(_("LinkedIn sent no upload address for the video."))
        part_ids: list[str] = []
        for instruction in value.get("uploadInstructions") or []:
            first, last = int(instruction["firstByte"]), int(instruction["lastByte"])
            response = self.request(
                "PUT",
                instruction["uploadUrl"],
                data=data[first : last + 1],
                headers={"Content-Type": "application/octet-stream"},
                timeout=UPLOAD_TIMEOUT,
            )
            # Each part's ETag is its id for finalizeUpload.
            part_ids.append(response.headers.get("ETag", ""))
        self._call(
            "POST",
            f"{API}/videos?action=finalizeUpload",
            json={
                "finalizeUploadRequest": {
                    "video": value["video"],
                    "uploadToken": value.get("uploadToken", ""),
                    "uploadedPartIds": part_ids,
                }
            },
        )
        return str(value["video"])

    def _content(self, content: PostContent) -> dict[str, Any] | None:
        images = [m for m in content.media if m.kind == MediaKind.IMAGE]
        videos = [m for m in content.media if m.kind == MediaKind.VIDEO]
        if videos:
            return {"media": {"title": content.title or "", "id": self._upload_video(videos[0])}}
        uploaded = [{"id": self._upload_image(m), "altText": m.alt_text} for m in images]
        for entry in uploaded:
            if not entry["altText"]:
                del entry["altText"]
        if len(uploaded) == 1:
            return {"media": uploaded[0]}
        if uploaded:
            return {"multiImage": {"images": uploaded}}
        return None

    def _post_body(self, content: PostContent) -> dict[str, Any]:
        body: dict[str, Any] = {
            "author": self.organization_urn,
            "commentary": escape_little_text(content.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        media = self._content(content)
        if media:
            body["content"] = media
        return body

    def publish(self, content: PostContent, idempotency_key: str) -> PublishResult:
        content = inline_link(content)
        body = self._post_body(content)
        sent = self.publish_or_find(
            content, idempotency_key, lambda: self._call("POST", f"{API}/posts", json=body)
        )
        if isinstance(sent, PublishResult):
            return sent  # made by an earlier attempt
        urn = sent.headers.get("x-restli-id", "")
        if not urn:
            raise MalformedResponseError(_("LinkedIn did not name the new post."))
        return PublishResult(remote_id=urn, url=self._post_url(urn), published_at=datetime.now(UTC))

    def is_duplicate(self, error: ContentRejectedError) -> bool:
        return bool(_DUPLICATE.search(error.message))

    def _recent_posts(self, count: int) -> list[dict[str, Any]]:
        query = urlencode(
            {
                "author": self.organization_urn,
                "q": "author",
                "count": count,
                "sortBy": "LAST_MODIFIED",
            }
        )
        body = self._get(f"{API}/posts?{query}")
        return [p for p in body.get("elements") or [] if isinstance(p, dict)]

    def find_by_text(
        self, content: PostContent, *, lookback: timedelta | None
    ) -> PublishResult | None:
        wanted = _normalise(escape_little_text(content.text))
        since = datetime.now(UTC) - lookback if lookback else None
        for post in self._recent_posts(FIND_COUNT):
            created = _from_ms(post.get("createdAt"))
            if since and created and created < since:
                continue
            if post.get("lifecycleState") not in (None, "PUBLISHED"):
                continue
            if _normalise(str(post.get("commentary", ""))) != wanted:
                continue
            urn = str(post.get("id", ""))
            if urn:
                return PublishResult(
                    remote_id=urn,
                    url=self._post_url(urn),
                    published_at=_from_ms(post.get("publishedAt")) or created,
                )
        return None

    def delete(self, remote_id: str) -> None:
        self._call("DELETE", f"{API}/posts/{_urn_path(remote_id)}")

    def fetch_post_metrics(
        self, remote_ids: list[str], *, insights: bool = True
    ) -> list[PostMetrics]:
        shares = [u for u in remote_ids if u.startswith("urn:li:share:")]
        ugc_posts = [u for u in remote_ids if u.startswith("urn:li:ugcPost:")]
        if not shares and not ugc_posts:
            return []
        # Rest.li 2.0 list syntax: List(...) stays literal, each URN inside is encoded.
        query = f"q=organizationalEntity&organizationalEntity={_urn_path(self.organization_urn)}"
        if shares:
            query += "&shares=List(" + ",".join(_urn_path(u) for u in shares) + ")"
        if ugc_posts:
            query += "&ugcPosts=List(" + ",".join(_urn_path(u) for u in ugc_posts) + ")"
        body = self._get(f"{API}/organizationalEntityShareStatistics?{query}")
        results = []
        for element in body.get("elements") or []:
            stats = element.get("totalShareStatistics") or {}
            urn = element.get("share") or element.get("ugcPost")
            if not urn:
                continue
            results.append(
                PostMetrics(
                    remote_id=str(urn),
                    impressions=stats.get("impressionCount"),
                    reach=stats.get("uniqueImpressionsCount"),
                    likes=stats.get("likeCount"),
                    comments=stats.get("commentCount"),
                    shares=stats.get("shareCount"),
                    clicks=stats.get("clickCount"),
                )
            )
        return results

    def fetch_account_metrics(self) -> AccountMetrics:
        # organizationalEntityFollowerStatistics no longer returns totals: networkSizes does.
        size = self._get(
            f"{API}/networkSizes/{_urn_path(self.organization_urn)}",
            params={"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"},
        )
        stats = self._get(
            f"{API}/organizationalEntityShareStatistics?q=organizationalEntity"
            f"&organizationalEntity={_urn_path(self.organization_urn)}"
        )
        elements = stats.get("elements") or [{}]
        total = elements[0].get("totalShareStatistics") or {}
        return AccountMetrics(
            followers=size.get("firstDegreeSize"), impressions=total.get("impressionCount")
        )

    def _comments_of(self, post_urn: str, since_ms: int) -> tuple[list[RemoteComment], int]:
        items: list[RemoteComment] = []
        newest = since_ms
        start = 0
        for _page in range(COMMENT_MAX_PAGES):
            body = self._get(
                f"{API}/socialActions/{_urn_path(post_urn)}/comments",
                params={"start": start, "count": COMMENT_PAGE},
            )
            elements = [e for e in body.get("elements") or [] if isinstance(e, dict)]
            for element in elements:
                created = (element.get("created") or {}).get("time") or 0
                actor = str(element.get("actor", ""))
                if created <= since_ms or actor == self.organization_urn:
                    continue  # seen already, or the organisation's own reply
                newest = max(newest, int(created))
                urn = str(element.get("commentUrn") or element.get("$URN") or "")
                items.append(
                    RemoteComment(
                        remote_id=urn,
                        post_remote_id=post_urn,
                        # The API names the author only by URN; names need profile access.
                        author_name=actor,
                        author_id=actor,
                        text=str((element.get("message") or {}).get("text", "")),
                        created_at=_from_ms(created),
                        parent_remote_id=str(element.get("parentComment", "")),
                        url=self._post_url(post_urn),
                        raw=element,
                    )
                )
            paging = body.get("paging") or {}
            start = int(paging.get("start", start)) + int(paging.get("count", len(elements)))
            total = paging.get("total")
            if not elements or (total is not None and start >= int(total)):
                break
        return items, newest

    def fetch_comments(self, cursor: str | None) -> CommentPage:
        """Comments on the organisation's recent posts; the cursor is the creation time (ms)
        of the newest comment already delivered."""
        since_ms = int(cursor) if cursor and cursor.isdigit() else 0
        items: list[RemoteComment] = []
        newest = since_ms
        for post in self._recent_posts(COMMENT_POSTS):
            urn = str(post.get("id", ""))
            if not urn:
                continue
            found, post_newest = self._comments_of(urn, since_ms)
            items.extend(found)
            newest = max(newest, post_newest)
        items.sort(key=lambda c: c.created_at or datetime.min.replace(tzinfo=UTC))
        return CommentPage(items=items, next_cursor=str(newest) if newest else cursor)

    def reply(self, comment: RemoteComment, text: str, idempotency_key: str = "") -> PublishResult:
        match = _COMMENT_URN.match(comment.remote_id)
        if not match:
            raise ContentRejectedError(_("This is not a LinkedIn comment."))
        # A reply is a comment on the comment, naming it as parentComment.
        response = self._call(
            "POST",
            f"{API}/socialActions/{_urn_path(comment.remote_id)}/comments",
            json={
                "actor": self.organization_urn,
                "object": match.group("object"),
                "message": {"text": text},
                "parentComment": comment.remote_id,
            },
        )
        urn = ""
        if response.content:
            body = self.json(response)
            urn = str(body.get("commentUrn", "")) if isinstance(body, dict) else ""
        if not urn:
            comment_id = response.headers.get("x-restli-id", "")
            urn = f"urn:li:comment:({match.group('object')},{comment_id})" if comment_id else ""
        if not urn:
            raise MalformedResponseError(_("LinkedIn did not name the new comment."))
        return PublishResult(
            remote_id=urn, url=comment.url or self._post_url(comment.post_remote_id)
        )

    def delete_comment(self, comment: RemoteComment) -> None:
        match = _COMMENT_URN.match(comment.remote_id)
        if not match:
            raise ContentRejectedError(_("This is not a LinkedIn comment."))
        target = comment.post_remote_id or match.group("object")
        self._call(
            "DELETE",
            f"{API}/socialActions/{_urn_path(target)}/comments/{quote(match.group('id'), safe='')}",
            params={"actor": self.organization_urn},
        )

    # -- connecting --

    def oauth_accounts(self, client: OAuthClient) -> list[AccountChoice]:
        """The organisations the person administers: each becomes a choice."""
        acls = self._get(
            f"{API}/organizationAcls",
            params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
        )
        choices: list[AccountChoice] = []
        for acl in acls.get("elements") or []:
            urn = str(acl.get("organization") or acl.get("organizationalTarget") or "")
            if not urn.startswith("urn:li:organization:"):
                continue
            organization_id = urn.rsplit(":", 1)[-1]
            organization = self._get(f"{API}/organizations/{organization_id}")
            vanity = str(organization.get("vanityName", ""))
            choices.append(
                AccountChoice(
                    account_id=organization_id,
                    name=str(organization.get("localizedName") or vanity or organization_id),
                    credentials=dict(self.credentials),
                    handle=vanity,
                    url=f"https://www.linkedin.com/company/{vanity}/" if vanity else "",
                )
            )
        return choices
