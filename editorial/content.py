"""What exactly is approved: a hash over everything that reaches the public.

Text, website link, media with their alt text, caption and subtitles, and every target
channel with its own text and media. Not the internal title, the topic or the time: moving
an approved post to another time keeps the approval (and is audited)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import Prefetch

from editorial.models import MediaAsset, Post, PostMedia, PostVariant


def _media(asset: MediaAsset) -> dict[str, Any]:
    return {
        "id": asset.pk,
        "sha256": asset.sha256,
        "alt_text": asset.alt_text,
        "caption": asset.caption,
        "captions_file": asset.captions_file.name if asset.captions_file else "",
    }


def content_prefetches() -> tuple[Prefetch, Prefetch]:
    """What ``post_content_hash(post, prefetched=True)`` reads from the post's prefetch cache:
    the post's media with their assets and its variants (the same media serve the engine's
    publish call)."""
    return (
        Prefetch("post_media", queryset=PostMedia.objects.select_related("asset")),
        Prefetch("variants", queryset=PostVariant.objects.order_by()),
    )


def post_content_hash(post: Post, *, prefetched: bool = False) -> str:
    """``prefetched``: the post was loaded with ``content_prefetches()`` just now; otherwise
    everything is read afresh (an earlier prefetch could be stale after an edit)."""
    if prefetched:
        post_media = list(post.post_media.all())
        variants = list(post.variants.all())
    else:
        post_media = list(post.post_media.select_related("asset"))
        variants = list(post.variants.order_by())
    payload = {
        "text": post.text,
        "website_link": post.website_link,
        "media": [_media(pm.asset) for pm in post_media],
        "variants": sorted(
            (
                {
                    "channel": variant.channel_id,
                    "text_override": variant.text_override,
                    "media_override": variant.media_override,
                    # Own media are rare: read only for the variants that have them.
                    "media": [
                        _media(vm.asset) for vm in variant.variant_media.select_related("asset")
                    ]
                    if variant.media_override
                    else [],
                }
                for variant in variants
            ),
            key=lambda v: int(v["channel"]),  # type: ignore[call-overload]
        ),
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
