# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""What an upload must be to be accepted (editorial/media/processing.py, upload.py): files in
disguise, decompression bombs, pixel and size limits (while the upload arrives:
test_upload_streaming.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from editorial.media import processing as media_processing
from editorial.media.processing import media_upload_too_large_message
from editorial.models import MediaAsset
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.media.conftest import ALT_TEXT
from tests.editorial.media.conftest import german
from tests.editorial.media.conftest import gps_photo
from tests.editorial.media.conftest import huge_bilevel_png
from tests.editorial.media.conftest import minimal_mp4
from tests.editorial.media.conftest import stored_files
from tests.editorial.media.conftest import upload
from tests.editorial.media.conftest import upload_form
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

# --- Files in disguise -------------------------------------------------------------------------


@pytest.fixture
def fake_jpg_response(people: People, org: Org, client_for: Any) -> HttpResponse:
    """A PDF named ``pressefoto.jpg`` sent through the upload page."""
    fake = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"x" * 2000
    return client_for(people.editor).post(  # type: ignore[no-any-return]
        "/editorial/media/upload/", upload_form(org, fake, "pressefoto.jpg")
    )


def test_a_non_image_renamed_jpg_is_refused_with_a_message(
    fake_jpg_response: HttpResponse,
) -> None:
    assert fake_jpg_response.status_code == 200
    body = fake_jpg_response.content.decode()
    assert german(media_processing._msg_not_media, "pressefoto.jpg") in body


def test_a_refused_upload_keeps_what_the_user_typed(fake_jpg_response: HttpResponse) -> None:
    body = fake_jpg_response.content.decode()
    assert ALT_TEXT in body
    assert "Foto: Stadt Musterstadt" in body
    assert "2030-12-31" in body


def test_a_refused_upload_stores_nothing(fake_jpg_response: HttpResponse, media_root: Path) -> None:
    assert not MediaAsset.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"GIF89a" + b"\x00" * 20, "kaputt.gif"),  # a GIF header, nothing behind it
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "foto.mp4"),
        (b"\x1a\x45\xdf\xa3\x42\x82\x88matroska" + b"\x00" * 64, "film.webm"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png"),
        (gps_photo()[:600], "abgeschnitten.jpg"),  # truncated: damaged, not a 500
    ],
)
def test_other_files_in_disguise_are_refused(
    people: People, org: Org, content: bytes, name: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        upload(people, org, content, name)
    assert "file" in refused.value.message_dict
    assert not MediaAsset.objects.exists()


# --- Recognised by content, not by name ----------------------------------------------------


def test_webm_is_recognised_by_its_header(people: People, org: Org) -> None:
    webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 64
    asset = upload(people, org, webm, "film.dat")
    assert (asset.kind, asset.mime_type) == (MediaAsset.Kind.VIDEO, "video/webm")
    assert asset.file.name.endswith(".webm")


def test_an_mp4_is_recognised_as_video_whatever_its_name(people: People, org: Org) -> None:
    asset = upload(people, org, minimal_mp4(), "clip.bin")
    assert (asset.kind, asset.mime_type) == (MediaAsset.Kind.VIDEO, "video/mp4")


def test_the_duration_and_size_of_a_video_are_read(people: People, org: Org) -> None:
    asset = upload(people, org, minimal_mp4(), "clip.bin")
    assert asset.duration_seconds == 12.5
    assert (asset.width, asset.height) == (640, 360)


# --- Decompression bombs and pixel limits ------------------------------------------------------


def test_a_decompression_bomb_is_refused(people: People, org: Org, client_for: Any) -> None:
    # 20,000 x 20,000 = 400 million pixels: beyond twice Pillow's own limit, so Pillow
    # itself raises while opening; 100 KB on disk.
    bomb = huge_bilevel_png(20_000, 20_000)
    assert len(bomb) < 200_000
    response = client_for(people.editor).post(
        "/editorial/media/upload/", upload_form(org, bomb, "plakat.png")
    )
    assert german(media_processing._msg_bomb) in response.content.decode()
    assert not MediaAsset.objects.exists()


def test_an_image_over_the_configured_pixel_limit_is_refused(
    people: People, org: Org, settings: Any
) -> None:
    # 8,000 x 8,000 = 64 million pixels: under Pillow's limit, over MEDIA_MAX_IMAGE_PIXELS.
    settings.MEDIA_MAX_IMAGE_PIXELS = 40_000_000
    with pytest.raises(ValidationError) as refused:
        upload(people, org, huge_bilevel_png(8000, 8000), "plan.png")
    assert refused.value.message_dict["file"] == [media_processing._msg_too_many_pixels(8000, 8000)]


# --- Upload size -------------------------------------------------------------------------------


def test_upload_limit_is_enforced_in_the_service_too(
    people: People, org: Org, settings: Any
) -> None:
    settings.MEDIA_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError) as refused:
        upload(people, org, b"\xff\xd8" + b"\x00" * (1024 * 1024 + 1), "gross.jpg")
    assert refused.value.message_dict["file"] == [media_upload_too_large_message()]
