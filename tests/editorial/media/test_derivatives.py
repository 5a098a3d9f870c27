# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Platform derivatives (editorial/media/derivatives.py, services.media_item_for): the original
where it fits, otherwise a converted copy within the platform's limits, made once."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import pytest
from PIL import Image

from channels_app.adapters import bluesky
from channels_app.adapters import facebook
from channels_app.adapters import instagram
from channels_app.adapters import linkedin
from channels_app.adapters import mastodon
from channels_app.adapters import sandbox
from channels_app.adapters import telegram
from channels_app.adapters import threads
from channels_app.adapters import x
from channels_app.adapters.base import MediaItem
from editorial.media.derivatives import PLATFORM_IMAGE_LIMITS
from editorial.media.services import media_item_for
from editorial.models import MediaAsset
from editorial.models import MediaDerivative
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import MediaAssetFactory
from tests.editorial.factories import png_bytes
from tests.editorial.media.conftest import upload
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@functools.cache
def noisy_png(width: int, height: int) -> bytes:
    """A photo-like PNG that does not compress well: gradient plus noise (made once: over a
    second for 3000 x 3000)."""
    noise = Image.effect_noise((width, height), 40)
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


# --- A photo too large for Bluesky -----------------------------------------------------------


@pytest.fixture
def large_photo(org: Org) -> MediaAsset:
    asset = MediaAssetFactory(unit=org.press, content=noisy_png(3000, 3000))
    assert asset.size > bluesky.MAX_IMAGE_BYTES
    return asset  # type: ignore[no-any-return]


@pytest.fixture
def bluesky_item(large_photo: MediaAsset) -> MediaItem:
    return media_item_for(large_photo, "bluesky")


def test_a_derivative_fits_the_platform(large_photo: MediaAsset, bluesky_item: MediaItem) -> None:
    derivative = MediaDerivative.objects.get(asset=large_photo, platform="bluesky")
    assert bluesky_item.path == derivative.file.path != large_photo.file.path
    assert bluesky_item.size == derivative.size == Path(bluesky_item.path).stat().st_size
    assert bluesky_item.size <= bluesky.MAX_IMAGE_BYTES
    assert bluesky_item.mime_type == "image/jpeg"
    width, height = bluesky_item.width, bluesky_item.height
    assert width == height and width is not None and width <= 2000
    with Image.open(bluesky_item.path) as stored:
        assert stored.size == (width, height)
    assert bluesky_item.alt_text == large_photo.alt_text


def test_a_derivative_is_reused(large_photo: MediaAsset, bluesky_item: MediaItem) -> None:
    again = media_item_for(large_photo, "bluesky")
    assert again.path == bluesky_item.path
    assert MediaDerivative.objects.filter(asset=large_photo).count() == 1


# --- Other cases -------------------------------------------------------------------------------


def test_the_original_is_used_where_it_fits(org: Org) -> None:
    asset = MediaAssetFactory(unit=org.press)
    item = media_item_for(asset, "mastodon")
    assert item.path == asset.file.path
    assert (item.mime_type, item.size, item.width) == ("image/png", asset.size, asset.width)
    assert not MediaDerivative.objects.exists()


@pytest.fixture
def instagram_item(org: Org) -> MediaItem:
    asset = MediaAssetFactory(unit=org.press, content=png_bytes(50, 40, (255, 0, 0, 0)))
    return media_item_for(asset, "instagram")


def test_instagram_gets_a_jpeg_with_transparency_on_white(instagram_item: MediaItem) -> None:
    assert instagram_item.mime_type == "image/jpeg"
    with Image.open(instagram_item.path) as image:
        assert image.format == "JPEG" and image.size == (50, 40)
        assert min(image.convert("RGB").getpixel((25, 20))) > 245  # type: ignore[arg-type]


def test_instagram_gets_a_public_url(instagram_item: MediaItem) -> None:
    assert instagram_item.public_url and instagram_item.public_url.startswith("http")


def test_animations_are_not_flattened_for_a_platform(people: People, org: Org) -> None:
    frames = [Image.new("RGB", (30, 20), (i * 100, 40, 90)) for i in range(2)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    asset = upload(people, org, out.getvalue(), "animation.gif")
    # Instagram takes only JPEG: the adapter reports that; a silent still is not published.
    item = media_item_for(asset, "instagram")
    assert (item.path, item.mime_type) == (asset.file.path, "image/gif")
    assert not MediaDerivative.objects.exists()


# --- The limits table --------------------------------------------------------------------------

ADAPTER_LIMITS = {
    "sandbox": (sandbox.MAX_IMAGE_BYTES, sandbox.IMAGE_TYPES),
    "mastodon": (mastodon.DEFAULT_IMAGE_BYTES, mastodon.DEFAULT_IMAGE_TYPES),
    "bluesky": (bluesky.MAX_IMAGE_BYTES, bluesky.IMAGE_TYPES),
    "threads": (threads.MAX_IMAGE_BYTES, threads.IMAGE_TYPES),
    "facebook": (facebook.MAX_IMAGE_BYTES, facebook.IMAGE_TYPES),
    "instagram": (instagram.MAX_IMAGE_BYTES, instagram.IMAGE_TYPES),
    "x": (x.MAX_IMAGE_BYTES, x.IMAGE_TYPES),
    "linkedin": (linkedin.MAX_IMAGE_BYTES, linkedin.IMAGE_TYPES),
    "telegram": (telegram.MAX_PHOTO_BYTES, telegram.PHOTO_TYPES),
}


@pytest.mark.parametrize("platform", ADAPTER_LIMITS)
def test_the_byte_limit_matches_the_adapter(platform: str) -> None:
    assert PLATFORM_IMAGE_LIMITS[platform].max_bytes == ADAPTER_LIMITS[platform][0]


@pytest.mark.parametrize("platform", ADAPTER_LIMITS)
def test_only_formats_the_platform_accepts_are_sent(platform: str) -> None:
    # We never produce HEIC, BMP …
    assert PLATFORM_IMAGE_LIMITS[platform].types <= ADAPTER_LIMITS[platform][1]


def test_the_linkedin_pixel_limit_stays_below_the_adapters() -> None:
    assert PLATFORM_IMAGE_LIMITS["linkedin"].max_pixels == linkedin.MAX_IMAGE_PIXELS - 1
