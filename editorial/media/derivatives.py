"""Platform-sized copies of images: each platform's documented limits, and the copy made when an
image exceeds one (no database: the media services store what is made here)."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from editorial.media.processing import GIF
from editorial.media.processing import JPEG
from editorial.media.processing import PNG
from editorial.media.processing import WEBP
from editorial.media.processing import RefusedError
from editorial.media.processing import decode_image
from editorial.media.processing import has_alpha
from editorial.media.processing import open_image
from editorial.media.processing import pillow_guard
from editorial.models import MediaAsset


@dataclass(frozen=True)
class ImageLimits:
    """What one platform accepts for an image.

    ``max_*`` are hard limits: exceeding one makes a derivative necessary. ``fit_side`` only
    applies once a derivative is made anyway: the platform would scale larger images down
    itself, so there is no point sending more pixels than it keeps."""

    max_bytes: int
    types: frozenset[str]
    max_pixels: int | None = None  # width times height
    max_dimension_sum: int | None = None  # width + height
    max_side: int | None = None  # the longer edge
    fit_side: int | None = None


# The small preview in the media library's own pages, made like a platform copy.
THUMBNAIL = "thumbnail"
_ALL = frozenset({JPEG, PNG, GIF, WEBP})
# From the adapters' documented limits (channels_app/adapters/*.py, docs/platforms/*.md);
# tests/editorial/media/test_media.py checks that bytes and types still match the adapters.
PLATFORM_IMAGE_LIMITS: dict[str, ImageLimits] = {
    # sandbox.py MAX_IMAGE_BYTES
    "sandbox": ImageLimits(8_000_000, _ALL),
    # mastodon.py DEFAULT_IMAGE_BYTES; the instance's image_matrix_limit default (4096²).
    # HEIC/AVIF are accepted there too, but never produced here.
    "mastodon": ImageLimits(10_485_760, _ALL, max_pixels=16_777_216),
    # bluesky.py MAX_IMAGE_BYTES (app.bsky.embed.images maxSize); the app shows ≤ 2000 px.
    "bluesky": ImageLimits(1_000_000, _ALL, fit_side=2000),
    # threads.py: JPEG/PNG ≤ 8 MB; Threads scales to at most 1440 px wide.
    "threads": ImageLimits(8_000_000, frozenset({JPEG, PNG}), fit_side=1440),
    # facebook.py MAX_IMAGE_BYTES ("static images must be under 10 MB")
    "facebook": ImageLimits(10_000_000, _ALL),
    # instagram.py: JPEG only, ≤ 8 MB; Instagram keeps at most 1440 px of width.
    "instagram": ImageLimits(8_000_000, frozenset({JPEG}), fit_side=1440),
    # x.py MAX_IMAGE_BYTES (5 MiB for tweet_image)
    "x": ImageLimits(5 * 1024 * 1024, _ALL),
    # linkedin.py: no byte limit documented, fewer than 36,152,320 pixels
    "linkedin": ImageLimits(200 * 1024 * 1024, frozenset({JPEG, PNG, GIF}), max_pixels=36_152_319),
    # telegram.py MAX_PHOTO_BYTES; "width and height must not exceed 10000 in total"
    "telegram": ImageLimits(10_000_000, frozenset({JPEG, PNG, WEBP}), max_dimension_sum=10_000),
    # Not a platform: the small preview in the media library's own pages.
    THUMBNAIL: ImageLimits(300_000, frozenset({JPEG, PNG}), max_side=480),
}
_JPEG_QUALITIES = (88, 80, 72, 64, 55)


def needs_derivative(asset: MediaAsset, limits: ImageLimits) -> bool:
    width, height = asset.width or 0, asset.height or 0
    return (
        asset.mime_type not in limits.types
        or asset.size > limits.max_bytes
        or bool(limits.max_pixels and width * height > limits.max_pixels)
        or bool(limits.max_dimension_sum and width + height > limits.max_dimension_sum)
        or bool(limits.max_side and max(width, height) > limits.max_side)
    )


def _target_scale(width: int, height: int, limits: ImageLimits) -> float:
    scale = 1.0
    for side in (limits.max_side, limits.fit_side):
        if side:
            scale = min(scale, side / max(width, height))
    if limits.max_pixels:
        scale = min(scale, math.sqrt(limits.max_pixels / (width * height)))
    if limits.max_dimension_sum:
        scale = min(scale, limits.max_dimension_sum / (width + height))
    return scale


def render_derivative(asset: MediaAsset, limits: ImageLimits) -> tuple[bytes, str, int, int]:
    """Resize keeping the aspect ratio and re-encode until the file fits.

    JPEG unless the image has transparency and the platform takes PNG: transparency is
    flattened onto white only when JPEG is the only choice. JPEG quality steps down first;
    if even the lowest does not fit, the size shrinks by the square root of the overshoot
    (file size grows roughly with the pixel count)."""
    try:
        with asset.file.open("rb") as handle, open_image(handle) as image:
            image.seek(0)  # animations (thumbnails only): the first frame
            decode_image(image)
            icc_profile = image.info.get("icc_profile")
            if image.mode == "CMYK":
                icc_profile = None  # a CMYK profile does not describe the RGB pixels below
            alpha = has_alpha(image)
            with pillow_guard():
                frame = image.convert("RGBA" if alpha else "RGB")
    except RefusedError as refusal:  # only if MEDIA_MAX_IMAGE_PIXELS was lowered since upload
        raise ValidationError(str(refusal)) from None
    as_png = alpha and PNG in limits.types
    if alpha and not as_png:
        background = Image.new("RGB", frame.size, (255, 255, 255))
        background.paste(frame, mask=frame.getchannel("A"))
        frame = background
    options: dict[str, Any] = {"icc_profile": icc_profile} if icc_profile else {}
    scale = _target_scale(frame.width, frame.height, limits)
    for _attempt in range(12):
        size = (max(1, round(frame.width * scale)), max(1, round(frame.height * scale)))
        resized = frame if size == frame.size else frame.resize(size, Image.Resampling.LANCZOS)
        data = b""
        for quality in (None,) if as_png else _JPEG_QUALITIES:
            out = io.BytesIO()
            if as_png:
                resized.save(out, format="PNG", optimize=True, **options)
            else:
                resized.save(out, format="JPEG", quality=quality, optimize=True, **options)
            data = out.getvalue()
            if len(data) <= limits.max_bytes:
                return data, PNG if as_png else JPEG, resized.width, resized.height
        scale *= min(0.9, math.sqrt(limits.max_bytes / len(data)) * 0.95)
    raise ValidationError(_("The image cannot be made small enough for this platform."))


def is_animated(asset: MediaAsset) -> bool:
    if asset.mime_type == JPEG:
        return False
    with asset.file.open("rb") as handle, open_image(handle) as image, pillow_guard():
        return bool(getattr(image, "is_animated", False))
