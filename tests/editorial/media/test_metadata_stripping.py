# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""What is removed from an upload before it is stored (editorial/media/processing.py): EXIF
and GPS, comments, XMP, appended data, a video's location; what stays: colour profile,
orientation (applied), animation."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from editorial.models import MediaAsset
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.media.conftest import gps_photo
from tests.editorial.media.conftest import minimal_mp4
from tests.editorial.media.conftest import upload
from tests.editorial.media.conftest import upload_form
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# --- A photo with GPS coordinates, uploaded through the page -----------------------------------


@dataclass
class Stored:
    asset: MediaAsset
    content: bytes
    image: Image.Image


@pytest.fixture
def photo() -> bytes:
    original = gps_photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS is there
    return original


@pytest.fixture
def stored_photo(people: People, org: Org, client_for: Any, photo: bytes) -> Stored:
    response = client_for(people.editor).post(
        "/editorial/media/upload/", upload_form(org, photo, "IMG_4711.JPG")
    )
    assert response.status_code == 302
    asset = MediaAsset.objects.get()
    content = Path(asset.file.path).read_bytes()
    return Stored(asset=asset, content=content, image=Image.open(io.BytesIO(content)))


def test_exif_gps_comment_and_xmp_are_stripped(stored_photo: Stored) -> None:
    assert dict(stored_photo.image.getexif()) == {}
    assert b"Exif" not in stored_photo.content and b"GPS" not in stored_photo.content
    assert b"Aufnahmeort" not in stored_photo.content
    assert b"xmpmeta" not in stored_photo.content
    assert b"Kamerahersteller" not in stored_photo.content


def test_only_jfif_facts_and_the_colour_profile_remain(stored_photo: Stored, photo: bytes) -> None:
    allowed = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "icc_profile"}
    assert set(stored_photo.image.info) <= allowed
    original_profile = Image.open(io.BytesIO(photo)).info["icc_profile"]
    assert stored_photo.image.info["icc_profile"] == original_profile


def test_the_exif_orientation_is_applied(stored_photo: Stored) -> None:
    # Turned as the orientation tag said: the red left half is now on top.
    image, asset = stored_photo.image, stored_photo.asset
    assert (image.width, image.height) == (20, 40) == (asset.width, asset.height)
    rgb = image.convert("RGB")
    red, _green, blue = rgb.getpixel((10, 5))  # type: ignore[misc]
    assert red > 180 and blue < 60
    red, _green, blue = rgb.getpixel((10, 35))  # type: ignore[misc]
    assert blue > 180 and red < 60


def test_the_file_is_stored_as_what_it_is_not_as_it_was_named(stored_photo: Stored) -> None:
    asset = stored_photo.asset
    assert asset.kind == MediaAsset.Kind.IMAGE and asset.mime_type == "image/jpeg"
    assert asset.original_name == "IMG_4711.JPG" and asset.file.name.endswith(".jpg")
    assert asset.size == len(stored_photo.content)  # the stripped file's


def test_the_metadata_entered_is_kept(stored_photo: Stored) -> None:
    asset = stored_photo.asset
    assert asset.credit == "Foto: Stadt Musterstadt"
    assert asset.rights_valid_until.isoformat() == "2030-12-31"  # type: ignore[union-attr]


# --- Animated GIFs -----------------------------------------------------------------------------


@pytest.fixture
def stored_gif(people: People, org: Org) -> MediaAsset:
    frames = [Image.new("RGB", (30, 20), (i * 100, 40, 200 - i * 80)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(
        out,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=b"Geheimer Kommentar",
    )
    return upload(people, org, out.getvalue() + b"angehaengte Daten", "animation.gif")


def test_gif_comments_and_appended_data_are_stripped(stored_gif: MediaAsset) -> None:
    stored = Path(stored_gif.file.path).read_bytes()
    assert b"Geheimer Kommentar" not in stored and b"angehaengte" not in stored


def test_animated_gifs_keep_their_frames_and_timing(stored_gif: MediaAsset) -> None:
    with Image.open(stored_gif.file.path) as image:
        assert image.n_frames == 3
        durations = []
        for index in range(3):
            image.seek(index)
            durations.append(image.info["duration"])
    assert durations == [100, 200, 300]


# --- Videos ------------------------------------------------------------------------------------


def test_a_videos_location_is_blanked_without_moving_any_offset(people: People, org: Org) -> None:
    asset = upload(people, org, minimal_mp4(), "clip.bin")
    stored = Path(asset.file.path).read_bytes()
    assert b"+52.5200" not in stored and b"udta" not in stored
    assert len(stored) == len(minimal_mp4())  # every offset unchanged
