"""Everything that is wrong with a post before it may go to review, per channel.

The same list feeds the editor's live preview and the submit check: the channel adapters'
own validation (text length as each platform counts it, media rules), the accessibility
checks, and the unit's policy (a link to the authority's own website where required)."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import ProblemSeverity
from channels_app.models import Channel
from channels_app.services import adapter_offline
from channels_app.services import platform_capabilities
from editorial.media.selectors import media_item
from editorial.models import EditorialPolicy
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostMedia
from editorial.models import PostVariant
from editorial.policy.selectors import editorial_policy_for
from editorial.posts.accessibility import accessibility_problems
from editorial.posts.accessibility import media_facts


@dataclass(frozen=True)
class PostProblem:
    code: str
    field: str
    message: str
    severity: str
    channel_id: int | None = None
    channel_label: str = ""


def variant_media(
    variant: PostVariant, post_media: Sequence[PostMedia] | None = None
) -> list[MediaAsset]:
    """The variant's own media if it overrides them, else the post's (``post_media``: as
    the caller has just read them, with their assets)."""
    if variant.media_override:
        return [vm.asset for vm in variant.variant_media.all()]
    chosen: Iterable[PostMedia] = (
        variant.post.post_media.all() if post_media is None else post_media
    )
    return [pm.asset for pm in chosen]


def variant_content(
    variant: PostVariant, post_media: Sequence[PostMedia] | None = None
) -> PostContent:
    """What the variant publishes (``post_media`` as for ``variant_media``)."""
    post = variant.post
    return PostContent(
        text=variant.text_override or post.text,
        media=tuple(media_item(asset) for asset in variant_media(variant, post_media)),
        link=post.website_link,
        title=post.title,
        spoiler_text=post.content_warning,
    )


def channel_problems(channel: Channel, content: PostContent) -> list[PostProblem]:
    """The channel adapter's own checks of ``content`` (length, media, formats)."""
    adapter = adapter_offline(channel)
    return [
        PostProblem(
            problem.code,
            problem.field,
            problem.message,
            str(problem.severity),
            channel.pk,
            channel.name,
        )
        for problem in adapter.validate(content)
        # Images too large for a platform are shrunk to fit when publishing.
        if not (problem.code == "media_too_large" and _is_image(content, problem.field))
    ]


@dataclass(frozen=True)
class ChannelCount:
    """The editor's live counter: the text length as the channel's platform counts it."""

    channel_id: int
    channel_label: str
    platform: str
    length: int
    limit: int | None
    content_warning: bool = False  # the platform shows a content warning (Mastodon)


def channel_count(channel: Channel, content: PostContent) -> ChannelCount:
    adapter = adapter_offline(channel)
    capabilities = platform_capabilities(channel.platform)
    limit = channel.platform_settings.get("max_characters") or capabilities.max_text_length
    return ChannelCount(
        channel.pk,
        channel.label,
        channel.get_platform_display(),
        adapter.text_length(content),
        limit,
        capabilities.content_warning,
    )


def _is_image(content: PostContent, field: str) -> bool:
    index = field.partition(".")[2]
    return (
        index.isdigit()
        and int(index) < len(content.media)
        and (content.media[int(index)].kind == MediaKind.IMAGE)
    )


def accessibility_findings(
    texts: Iterable[str], assets: Iterable[MediaAsset], policy: EditorialPolicy
) -> list[PostProblem]:
    facts = [media_facts(asset) for asset in {a.pk: a for a in assets}.values()]
    problems: list[PostProblem] = []
    seen: set[tuple[str, str]] = set()
    for text in dict.fromkeys(texts):
        for problem in accessibility_problems(
            text,
            facts,
            alt_text_required=policy.alt_text_required,
            captions_required=policy.captions_required,
        ):
            if (problem.code, problem.message) not in seen:
                seen.add((problem.code, problem.message))
                problems.append(
                    PostProblem(problem.code, problem.field, problem.message, str(problem.severity))
                )
    return problems


def _policy_findings(policy: EditorialPolicy, link: str, has_content: bool) -> list[PostProblem]:
    problems = []
    if policy.require_website_link and not link:
        problems.append(
            PostProblem(
                "website_link_required",
                "website_link",
                _("Your unit requires a link to the same information on our own website."),
                ProblemSeverity.ERROR,
            )
        )
    if not has_content:
        problems.append(
            PostProblem("text_empty", "text", _("The post has no text yet."), ProblemSeverity.ERROR)
        )
    return problems


def post_problems(post: Post) -> list[PostProblem]:
    """All problems of a saved post: per channel, then accessibility, then unit policy."""
    policy = editorial_policy_for(post.unit)
    variants = list(
        post.variants.select_related("channel", "post").prefetch_related("variant_media__asset")
    )
    problems: list[PostProblem] = []
    assets: list[MediaAsset] = [pm.asset for pm in post.post_media.select_related("asset")]
    for variant in variants:
        problems += channel_problems(variant.channel, variant_content(variant))
        assets += variant_media(variant)
    texts = [post.text] + [v.text_override for v in variants if v.text_override]
    problems += accessibility_findings(texts, assets, policy)
    has_content = bool(post.text.strip() or assets or any(v.text_override for v in variants))
    return problems + _policy_findings(policy, post.website_link, has_content)


def draft_preview(
    *,
    unit: OrgUnit,
    text: str,
    link: str,
    channels: Iterable[Channel],
    assets: list[MediaAsset],
    content_warning: str = "",
) -> tuple[list[ChannelCount], list[PostProblem]]:
    """The live preview of unsaved input: counts and problems per chosen channel."""
    policy = editorial_policy_for(unit)
    content = PostContent(
        text=text,
        media=tuple(media_item(a) for a in assets),
        link=link,
        spoiler_text=content_warning,
    )
    counts: list[ChannelCount] = []
    problems: list[PostProblem] = []
    for channel in channels:
        counts.append(channel_count(channel, content))
        problems += channel_problems(channel, content)
    problems += accessibility_findings([text], assets, policy)
    return counts, problems + _policy_findings(policy, link, bool(text.strip() or assets))


def variant_draft_preview(
    *, variant: PostVariant, text_override: str, media_override: bool, assets: list[MediaAsset]
) -> tuple[list[ChannelCount], list[PostProblem]]:
    """The live check of a channel's own version: ``draft_preview`` for its one channel, with
    the post's text where the own text is empty and the post's media without own media."""
    post = variant.post
    if not media_override:
        assets = [pm.asset for pm in post.post_media.select_related("asset")]
    return draft_preview(
        unit=post.unit,
        text=text_override.strip() or post.text,
        link=post.website_link,
        content_warning=post.content_warning,
        channels=[variant.channel],
        assets=assets,
    )
