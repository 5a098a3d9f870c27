"""What exactly is approved: a hash over everything that reaches the public.

Text, website link, content warning, media with their alt text, caption and subtitles, and
every target channel with its own text and media. Not the internal title, the topic or the
time: moving an approved post to another time keeps the approval (and is audited)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostMedia
from editorial.models import PostVariant


def _media(asset: MediaAsset) -> dict[str, Any]:
    return {
        "id": asset.pk,
        "sha256": asset.sha256,
        "alt_text": asset.alt_text,
        "caption": asset.caption,
        "captions_file": asset.captions_file.name if asset.captions_file else "",
    }


def post_content_hash(
    post: Post,
    *,
    post_media: Sequence[PostMedia] | None = None,
    variants: Sequence[PostVariant] | None = None,
) -> str:
    """``post_media`` (with their assets) and ``variants``: the post's, read by the caller
    just now (the publishing engine reads them with the claimed variant); whatever is not
    given is read here afresh (a list kept from earlier could be stale after an edit)."""
    if post_media is None:
        post_media = list(post.post_media.select_related("asset"))
    if variants is None:
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
    if post.content_warning:
        # Only when set: the hashes of posts approved before content warnings existed stay
        # the same, and their approvals keep holding.
        payload["content_warning"] = post.content_warning
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
