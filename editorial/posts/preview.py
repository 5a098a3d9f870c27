"""What the citizen will see on each channel, for the post page and the approval view.

One preview per channel: the text cut into plain, link, hashtag and mention segments (the
template escapes every segment; nothing here is marked safe), the images and videos with
their alt text and thumbnail address, the length as the platform counts it against its
limit, and the channel's own warnings. The same counting and checks as the editor and the
submit check (``editorial.posts.validation``): there is no second way of counting.

``content_hash`` is the hash an approval binds (``editorial.common.content``); the approval
form sends it back, so that an approval covers exactly what was shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.urls import reverse

from channels_app.adapters.text import MASTODON_MENTION_PATTERN
from channels_app.adapters.text import URL_PATTERN
from editorial.common.content import post_content_hash
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostMedia
from editorial.models import PostVariant
from editorial.posts.accessibility import hashtag_spans
from editorial.posts.validation import ChannelCount
from editorial.posts.validation import PostProblem
from editorial.posts.validation import channel_count
from editorial.posts.validation import channel_problems
from editorial.posts.validation import variant_content
from editorial.posts.validation import variant_media

SegmentKind = Literal["plain", "link", "hashtag", "mention"]
# Links win over hashtags and mentions inside them (".../seite#abschnitt", "...@host").
_PRIORITY: dict[str, int] = {"link": 0, "mention": 1, "hashtag": 2}
SHORT_HASH = 12


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    text: str

    @property
    def href(self) -> str:
        """Only links are followed; URL_PATTERN matches http(s) addresses only."""
        return self.text if self.kind == "link" else ""


@dataclass(frozen=True)
class PreviewMedia:
    asset_id: int
    kind: str
    name: str
    alt_text: str
    thumbnail_url: str  # "" for videos: the permission-checked route serves images only
    has_captions: bool


@dataclass(frozen=True)
class ChannelPreview:
    variant: PostVariant
    lines: list[list[Segment]]
    # Mastodon shows it as the post's collapsed header ("" elsewhere and when there is none).
    content_warning: str
    link: str  # the website link, when the text does not already contain it
    media: list[PreviewMedia]
    count: ChannelCount
    problems: list[PostProblem]
    own_text: bool
    own_media: bool

    @property
    def over_limit(self) -> bool:
        return self.count.limit is not None and self.count.length > self.count.limit


@dataclass(frozen=True)
class PostPreview:
    channels: list[ChannelPreview]
    content_hash: str

    @property
    def short_hash(self) -> str:
        return self.content_hash[:SHORT_HASH]


def text_segments(text: str) -> list[Segment]:
    """``text`` as consecutive segments; joined, they give ``text`` back unchanged."""
    spans: list[tuple[int, int, SegmentKind]] = [
        (*m.span(), "link") for m in URL_PATTERN.finditer(text)
    ]
    spans += [(start, end, "hashtag") for start, end, _tag in hashtag_spans(text)]
    spans += [(*m.span(), "mention") for m in MASTODON_MENTION_PATTERN.finditer(text)]
    spans.sort(key=lambda span: (span[0], _PRIORITY[span[2]]))
    segments: list[Segment] = []
    position = 0
    for start, end, kind in spans:
        if start < position:
            continue  # inside a segment already taken (a hashtag in a link)
        if start > position:
            segments.append(Segment("plain", text[position:start]))
        segments.append(Segment(kind, text[start:end]))
        position = end
    if position < len(text):
        segments.append(Segment("plain", text[position:]))
    return segments


def text_lines(text: str) -> list[list[Segment]]:
    """The segments line by line (the template puts a line break between lines)."""
    return [text_segments(line) for line in text.strip().splitlines()]


def preview_media(asset: MediaAsset) -> PreviewMedia:
    is_image = asset.kind == MediaAsset.Kind.IMAGE
    return PreviewMedia(
        asset_id=asset.pk,
        kind=asset.kind,
        name=asset.original_name,
        alt_text=asset.alt_text,
        thumbnail_url=reverse("media:thumbnail", args=[asset.pk]) if is_image else "",
        has_captions=bool(asset.captions_file),
    )


def channel_preview(variant: PostVariant, post_media: Sequence[PostMedia]) -> ChannelPreview:
    """``variant`` with its channel and post; ``post_media``: the post's, with their assets."""
    content = variant_content(variant, post_media)
    count = channel_count(variant.channel, content)
    return ChannelPreview(
        variant=variant,
        lines=text_lines(content.text),
        content_warning=content.spoiler_text.strip() if count.content_warning else "",
        link=content.link if content.link and content.link not in content.text else "",
        media=[preview_media(asset) for asset in variant_media(variant, post_media)],
        count=count,
        problems=channel_problems(variant.channel, content),
        own_text=bool(variant.text_override),
        own_media=variant.media_override,
    )


def post_preview(post: Post) -> PostPreview:
    """Every channel's preview and the content hash an approval of them binds."""
    post_media = list(post.post_media.select_related("asset"))
    variants = list(
        post.variants.select_related("channel", "post")
        .prefetch_related("variant_media__asset")
        .order_by("channel__name", "pk")
    )
    return PostPreview(
        channels=[channel_preview(variant, post_media) for variant in variants],
        content_hash=post_content_hash(post, post_media=post_media, variants=variants),
    )
