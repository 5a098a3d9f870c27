"""What exactly is approved: a hash over everything that reaches the public.

Text, website link, media with their alt text, caption and subtitles, and every target
channel with its own text and media. Not the internal title, the topic or the time: moving
an approved post to another time keeps the approval (and is audited)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from editorial.models import MediaAsset, Post


def _media(asset: MediaAsset) -> dict[str, Any]:
    return {
        "id": asset.pk,
        "sha256": asset.sha256,
        "alt_text": asset.alt_text,
        "caption": asset.caption,
        "captions_file": asset.captions_file.name if asset.captions_file else "",
    }


def post_content_hash(post: Post) -> str:
    variants = post.variants.select_related("channel").prefetch_related("variant_media__asset")
    payload = {
        "text": post.text,
        "website_link": post.website_link,
        "media": [_media(pm.asset) for pm in post.post_media.select_related("asset")],
        "variants": sorted(
            (
                {
                    "channel": variant.channel_id,
                    "text_override": variant.text_override,
                    "media_override": variant.media_override,
                    "media": [_media(vm.asset) for vm in variant.variant_media.all()]
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
