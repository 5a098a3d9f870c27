"""Everything that is wrong with a post before it may go to review, per channel.

The same list feeds the editor's live preview and the submit check: the channel adapters'
own validation (text length as each platform counts it, media rules), the accessibility
checks, and the unit's policy (a link to the authority's own website where required)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from channels_app.adapters.base import MediaItem, MediaKind, PostContent, ProblemSeverity
from channels_app.adapters.registry import adapter_class
from channels_app.services import channel_context
from editorial.accessibility import accessibility_problems, media_facts
from editorial.models import MediaAsset, Post, PostVariant
from editorial.selectors import editorial_policy_for


@dataclass(frozen=True)
class PostProblem:
    code: str
    field: str
    message: str
    severity: str
    channel_id: int | None = None
    channel_label: str = ""


def media_item(asset: MediaAsset) -> MediaItem:
    """The asset as an adapter sees it, for validation (publishing may use a derivative)."""
    return MediaItem(
        path=asset.file.path if asset.file else "",
        mime_type=asset.mime_type,
        kind=MediaKind(asset.kind),
        size=asset.size,
        alt_text=asset.alt_text,
        width=asset.width,
        height=asset.height,
        duration_seconds=asset.duration_seconds,
        captions_path=asset.captions_file.path if asset.captions_file else None,
    )


def variant_media(variant: PostVariant) -> list[MediaAsset]:
    if variant.media_override:
        return [vm.asset for vm in variant.variant_media.all()]
    return [pm.asset for pm in variant.post.post_media.all()]


def variant_content(variant: PostVariant) -> PostContent:
    post = variant.post
    return PostContent(
        text=variant.text_override or post.text,
        media=tuple(media_item(asset) for asset in variant_media(variant)),
        link=post.website_link,
        title=post.title,
    )


def variant_problems(variant: PostVariant) -> list[PostProblem]:
    channel = variant.channel
    adapter = adapter_class(channel.platform)
    content = variant_content(variant)
    problems = []
    for problem in adapter(channel_context(channel), {}).validate(content):
        # Images too large for a platform are shrunk to fit when publishing.
        if problem.code == "media_too_large" and _is_image(content, problem.field):
            continue
        problems.append(
            PostProblem(
                problem.code,
                problem.field,
                problem.message,
                str(problem.severity),
                channel.pk,
                channel.name,
            )
        )
    return problems


def _is_image(content: PostContent, field: str) -> bool:
    index = field.partition(".")[2]
    return (
        index.isdigit()
        and int(index) < len(content.media)
        and (content.media[int(index)].kind == MediaKind.IMAGE)
    )


def post_problems(post: Post) -> list[PostProblem]:
    """All problems of the post: per channel, then accessibility, then unit policy."""
    policy = editorial_policy_for(post.unit)
    variants = list(
        post.variants.select_related("channel", "post").prefetch_related("variant_media__asset")
    )
    problems: list[PostProblem] = []
    for variant in variants:
        problems += variant_problems(variant)
    texts = {post.text} | {v.text_override for v in variants if v.text_override}
    assets = {a.pk: a for a in [pm.asset for pm in post.post_media.select_related("asset")]}
    for variant in variants:
        assets.update({a.pk: a for a in variant_media(variant)})
    facts = [media_facts(asset) for asset in assets.values()]
    seen: set[tuple[str, str]] = set()
    for text in texts:
        for problem in accessibility_problems(
            text,
            facts,
            alt_text_required=policy.alt_text_required,
            captions_required=policy.captions_required,
        ):
            if (problem.code, problem.message) in seen:
                continue
            seen.add((problem.code, problem.message))
            problems.append(
                PostProblem(problem.code, problem.field, problem.message, str(problem.severity))
            )
    if policy.require_website_link and not post.website_link:
        problems.append(
            PostProblem(
                "website_link_required",
                "website_link",
                _("Your unit requires a link to the same information on our own website."),
                ProblemSeverity.ERROR,
            )
        )
    if not post.text.strip() and not assets and not any(v.text_override for v in variants):
        problems.append(
            PostProblem("text_empty", "text", _("The post has no text yet."), ProblemSeverity.ERROR)
        )
    return problems
