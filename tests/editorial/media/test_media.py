"""The media library: upload checks, metadata stripping, derivatives, public URLs, access."""

from __future__ import annotations

import io
import re
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import ngettext
from PIL import Image, ImageCms

from accounts.audit import verify_audit_chain
from accounts.models import AuditEntry, Role
from channels_app.adapters import (
    bluesky,
    facebook,
    instagram,
    linkedin,
    mastodon,
    sandbox,
    telegram,
    threads,
    x,
)
from editorial.media import processing as media_processing
from editorial.media.derivatives import PLATFORM_IMAGE_LIMITS, THUMBNAIL
from editorial.media.processing import media_upload_too_large_message
from editorial.media.selectors import media_asset_usage
from editorial.media.services import media_asset_update, media_asset_upload, media_item_for
from editorial.models import MediaAsset, MediaDerivative, Post, PostMedia, PostVariant, VariantMedia
from tests.conftest import Org, People
from tests.editorial.factories import MediaAssetFactory, png_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def status_of(client: Any, url: str) -> int:
    """GET and read to the end: a file response keeps its file open until it is consumed
    (closing it by hand would also close the test's database connection)."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return int(response.status_code)


def german(function: Callable[..., str], *args: Any) -> str:
    """What the users of the fixtures (all German) are told."""
    with translation.override("de"):
        return function(*args)


# --- Test files ------------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_bilevel_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of the given size, small on disk (a few dozen KB): rows of zeros
    compress to almost nothing, and nothing is ever held as pixels."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def gps_photo() -> bytes:
    """A 40 x 20 JPEG, red left half and blue right half, EXIF orientation 6 ("turn 90°
    clockwise to view"), GPS coordinates, a comment, XMP and an sRGB ICC profile."""
    image = Image.new("RGB", (40, 20), (220, 0, 0))
    image.paste((0, 0, 220), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 18.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=95,
        exif=exif,
        comment=b"Aufnahmeort Rathaus",
        xmp=b"<x:xmpmeta>Standort</x:xmpmeta>",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    return out.getvalue()


def minimal_mp4(*, with_location: bool = True) -> bytes:
    """ftyp + moov (mvhd: 12.5 s; tkhd: 640 x 360; udta with a ©xyz location) + mdat."""
    ftyp = struct.pack(">I", 24) + b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2"
    mvhd_payload = b"\x00" * 12 + struct.pack(">II", 1000, 12_500) + b"\x00" * 80
    mvhd = struct.pack(">I", 8 + len(mvhd_payload)) + b"mvhd" + mvhd_payload
    tkhd_payload = b"\x00" * 76 + struct.pack(">II", 640 << 16, 360 << 16)
    tkhd = struct.pack(">I", 8 + len(tkhd_payload)) + b"tkhd" + tkhd_payload
    trak = struct.pack(">I", 8 + len(tkhd)) + b"trak" + tkhd
    location = b"\x00\x12\x15\xc7+52.5200+013.4050/"
    xyz = struct.pack(">I", 8 + len(location)) + b"\xa9xyz" + location
    udta = struct.pack(">I", 8 + len(xyz)) + b"udta" + xyz if with_location else b""
    body = mvhd + trak + udta
    moov = struct.pack(">I", 8 + len(body)) + b"moov" + body
    mdat = struct.pack(">I", 8 + 64) + b"mdat" + bytes(range(64))
    return ftyp + moov + mdat


def upload_form(org: Org, content: bytes, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "unit": org.press.pk,
        "alt_text": "Die Bürgermeisterin eröffnet die neue Stadtbibliothek.",
        "caption": "Eröffnung der Stadtbibliothek",
        "credit": "Foto: Stadt Musterstadt",
        "license": MediaAsset.License.OWN,
        "rights_note": "Eigene Aufnahme der Pressestelle",
        "rights_valid_until": "2030-12-31",
        "file": SimpleUploadedFile(name, content),
        **extra,
    }


def upload(people: People, org: Org, content: bytes, name: str, **extra: Any) -> MediaAsset:
    return media_asset_upload(
        actor=people.editor,
        unit=org.press,
        uploaded_file=SimpleUploadedFile(name, content),
        alt_text=extra.pop("alt_text", "Ein Bild."),
        **extra,
    )


# --- Upload checks -----------------------------------------------------------------------------


def test_a_non_image_renamed_jpg_is_refused_and_the_input_kept(
    people: People, org: Org, client_for: Any, media_root: Path
) -> None:
    client = client_for(people.editor)
    fake = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"x" * 2000
    response = client.post("/editorial/media/upload/", upload_form(org, fake, "pressefoto.jpg"))

    assert response.status_code == 200
    body = response.content.decode()
    assert german(media_processing._msg_not_media, "pressefoto.jpg") in body
    # Nothing the user typed is lost.
    assert "Die Bürgermeisterin eröffnet die neue Stadtbibliothek." in body
    assert "Foto: Stadt Musterstadt" in body
    assert "2030-12-31" in body
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


def test_upload_limit_is_enforced_in_the_service_too(
    people: People, org: Org, settings: Any
) -> None:
    settings.MEDIA_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError) as refused:
        upload(people, org, b"\xff\xd8" + b"\x00" * (1024 * 1024 + 1), "gross.jpg")
    assert refused.value.message_dict["file"] == [media_upload_too_large_message()]


class _Body:
    """A multipart body of ``file_size`` bytes produced on the fly: ``__len__`` lets requests
    send a Content-Length (the WSGI server does not take chunked request bodies), and the same
    1 MiB block is yielded again and again, so nothing like 200 MB is ever in memory."""

    def __init__(self, fields: dict[str, str], file_size: int, boundary: str) -> None:
        head = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file";'
            ' filename="drohnenflug.mp4"\r\nContent-Type: video/mp4\r\n\r\n'
        )
        self.head = head.encode()
        self.tail = f"\r\n--{boundary}--\r\n".encode()
        self.file_size = file_size
        self.sent = 0

    def __len__(self) -> int:
        return len(self.head) + self.file_size + len(self.tail)

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        block = b"\x00" * (1024 * 1024)
        for _ in range(self.file_size // len(block)):
            self.sent += len(block)
            yield block
        yield self.tail


@pytest.fixture
def count_stored_bytes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Bytes that reached the handler that writes uploads to temporary files."""
    stored: list[int] = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self: TemporaryFileUploadHandler, raw_data: bytes, start: int) -> Any:
        stored.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    return stored


def test_a_200_mb_upload_is_refused_while_it_arrives(
    people: People,
    org: Org,
    client_for: Any,
    live_server: Any,
    media_root: Path,
    count_stored_bytes: list[int],
) -> None:
    session = requests.Session()
    session.trust_env = False  # no proxy between us and the test server
    session.cookies.set("sessionid", client_for(people.editor).cookies["sessionid"].value)
    form_page = session.get(f"{live_server.url}/editorial/media/upload/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.text)
    assert csrf is not None
    boundary = "sprachrohr-test-boundary"
    body = _Body(
        {
            "csrfmiddlewaretoken": csrf.group(1),
            "unit": str(org.press.pk),
            "alt_text": "Drohnenflug über der Baustelle am Hauptbahnhof.",
            "credit": "Video: Stadt Musterstadt",
        },
        200 * 1024 * 1024,
        boundary,
    )

    started = time.monotonic()
    response = session.post(
        f"{live_server.url}/editorial/media/upload/",
        data=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"{live_server.url}/editorial/media/upload/",
        },
        timeout=60,
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert german(media_upload_too_large_message) in response.text
    assert "Drohnenflug über der Baustelle am Hauptbahnhof." in response.text
    assert "Video: Stadt Musterstadt" in response.text
    assert body.sent == 200 * 1024 * 1024  # it was a real 200 MB upload …
    assert sum(count_stored_bytes) == 0  # … of which not one byte was stored
    assert not MediaAsset.objects.exists()
    assert stored_files(media_root) == []
    assert elapsed < 20, f"took {elapsed:.1f} s"


def test_the_upload_stops_at_the_limit_when_the_size_is_not_known_in_advance(
    people: People,
    org: Org,
    client_for: Any,
    settings: Any,
    media_root: Path,
    count_stored_bytes: list[int],
) -> None:
    # 3 MB against a 1 MB limit: the declared body size alone does not prove the file too
    # large (form fields may be up to DATA_UPLOAD_MAX_MEMORY_SIZE), so the handler counts.
    settings.MEDIA_MAX_UPLOAD_MB = 1
    content = b"\xff\xd8\xff" + b"\x00" * (3 * 1024 * 1024)
    response = client_for(people.editor).post(
        "/editorial/media/upload/", upload_form(org, content, "gross.jpg")
    )
    assert german(media_upload_too_large_message) in response.content.decode()
    assert "Die Bürgermeisterin eröffnet die neue Stadtbibliothek." in response.content.decode()
    assert sum(count_stored_bytes) <= 1024 * 1024
    assert not MediaAsset.objects.exists()
    assert stored_files(media_root) == []


# --- Metadata stripping ------------------------------------------------------------------------


def test_gps_and_all_other_metadata_are_stripped_and_orientation_applied(
    people: People, org: Org, client_for: Any
) -> None:
    original = gps_photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS is there

    response = client_for(people.editor).post(
        "/editorial/media/upload/", upload_form(org, original, "IMG_4711.JPG")
    )
    asset = MediaAsset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/editorial/media/{asset.pk}/"

    stored = Path(asset.file.path).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert b"Exif" not in stored and b"GPS" not in stored
    assert b"Aufnahmeort" not in stored and b"xmpmeta" not in stored
    assert b"Kamerahersteller" not in stored
    assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "icc_profile"}
    # The colour profile stays.
    assert image.info["icc_profile"] == Image.open(io.BytesIO(original)).info["icc_profile"]
    # Turned as the orientation tag said: the red left half is now on top.
    assert (image.width, image.height) == (20, 40) == (asset.width, asset.height)
    rgb = image.convert("RGB")
    red, _green, blue = rgb.getpixel((10, 5))  # type: ignore[misc]
    assert red > 180 and blue < 60
    red, _green, blue = rgb.getpixel((10, 35))  # type: ignore[misc]
    assert blue > 180 and red < 60
    # Facts and metadata as entered; the stored name comes from the format, not the upload.
    assert asset.kind == MediaAsset.Kind.IMAGE and asset.mime_type == "image/jpeg"
    assert asset.original_name == "IMG_4711.JPG" and asset.file.name.endswith(".jpg")
    assert asset.size == len(stored)
    assert asset.credit == "Foto: Stadt Musterstadt"
    assert asset.rights_valid_until.isoformat() == "2030-12-31"  # type: ignore[union-attr]


def test_animated_gifs_stay_animated_without_comments(people: People, org: Org) -> None:
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
    asset = upload(people, org, out.getvalue() + b"angehaengte Daten", "animation.gif")
    stored = Path(asset.file.path).read_bytes()
    assert b"Geheimer Kommentar" not in stored and b"angehaengte" not in stored
    with Image.open(asset.file.path) as image:
        assert image.n_frames == 3
        durations = []
        for index in range(3):
            image.seek(index)
            durations.append(image.info["duration"])
    assert durations == [100, 200, 300]


def test_videos_are_recognised_by_content_and_their_location_is_blanked(
    people: People, org: Org
) -> None:
    asset = upload(
        people,
        org,
        minimal_mp4(),
        "clip.bin",
        captions_file=SimpleUploadedFile(
            "untertitel.txt", b"WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n"
        ),
    )
    assert (asset.kind, asset.mime_type) == (MediaAsset.Kind.VIDEO, "video/mp4")
    assert asset.duration_seconds == 12.5
    assert (asset.width, asset.height) == (640, 360)
    stored = Path(asset.file.path).read_bytes()
    assert b"+52.5200" not in stored and b"udta" not in stored
    assert len(stored) == len(minimal_mp4())  # every offset unchanged
    assert asset.captions_file.name.endswith(".vtt")


def test_captions_must_be_webvtt_or_srt_and_only_for_videos(people: People, org: Org) -> None:
    srt = b"1\n00:00:00,000 --> 00:00:02,000\nHallo\n"
    asset = upload(
        people, org, minimal_mp4(), "a.mp4", captions_file=SimpleUploadedFile("u.srt", srt)
    )
    assert asset.captions_file.name.endswith(".srt")

    with pytest.raises(ValidationError) as refused:
        upload(
            people,
            org,
            minimal_mp4(),
            "b.mp4",
            captions_file=SimpleUploadedFile("u.vtt", b"Das sind keine Untertitel."),
        )
    assert "captions_file" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        upload(people, org, png_bytes(), "c.png", captions_file=SimpleUploadedFile("u.vtt", srt))
    assert "captions_file" in refused.value.message_dict


# --- Platform derivatives and public URLs ------------------------------------------------------


def noisy_png(width: int, height: int) -> bytes:
    """A photo-like PNG that does not compress well: gradient plus noise."""
    noise = Image.effect_noise((width, height), 40)
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def test_a_derivative_fits_the_platform_and_is_reused(org: Org) -> None:
    content = noisy_png(3000, 3000)
    asset = MediaAssetFactory(unit=org.press, content=content)
    assert asset.size > bluesky.MAX_IMAGE_BYTES

    item = media_item_for(asset, "bluesky")
    derivative = MediaDerivative.objects.get(asset=asset, platform="bluesky")
    assert item.path == derivative.file.path != asset.file.path
    assert item.size == derivative.size == Path(item.path).stat().st_size
    assert item.size <= bluesky.MAX_IMAGE_BYTES
    assert item.mime_type == "image/jpeg"
    assert item.width == item.height and item.width is not None and item.width <= 2000
    assert item.alt_text == asset.alt_text
    with Image.open(item.path) as stored:
        assert stored.size == (item.width, item.height)

    again = media_item_for(asset, "bluesky")
    assert again.path == item.path
    assert MediaDerivative.objects.filter(asset=asset).count() == 1


def test_the_original_is_used_where_it_fits(org: Org) -> None:
    asset = MediaAssetFactory(unit=org.press)
    item = media_item_for(asset, "mastodon")
    assert item.path == asset.file.path
    assert (item.mime_type, item.size, item.width) == ("image/png", asset.size, asset.width)
    assert not MediaDerivative.objects.exists()


def test_instagram_gets_a_jpeg_with_transparency_on_white(org: Org) -> None:
    asset = MediaAssetFactory(unit=org.press, content=png_bytes(50, 40, (255, 0, 0, 0)))
    item = media_item_for(asset, "instagram")
    assert item.mime_type == "image/jpeg"
    with Image.open(item.path) as image:
        assert image.format == "JPEG" and image.size == (50, 40)
        assert min(image.convert("RGB").getpixel((25, 20))) > 245  # type: ignore[arg-type]
    assert item.public_url and item.public_url.startswith("http")


def test_animations_are_not_flattened_for_a_platform(people: People, org: Org) -> None:
    frames = [Image.new("RGB", (30, 20), (i * 100, 40, 90)) for i in range(2)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    asset = upload(people, org, out.getvalue(), "animation.gif")
    # Instagram takes only JPEG: the adapter reports that; a silent still is not published.
    item = media_item_for(asset, "instagram")
    assert (item.path, item.mime_type) == (asset.file.path, "image/gif")
    assert not MediaDerivative.objects.exists()


def test_webm_is_recognised_by_its_header(people: People, org: Org) -> None:
    webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 64
    asset = upload(people, org, webm, "film.dat")
    assert (asset.kind, asset.mime_type) == (MediaAsset.Kind.VIDEO, "video/webm")
    assert asset.file.name.endswith(".webm")


def test_the_limits_table_matches_the_adapters() -> None:
    expected = {
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
    for platform, (max_bytes, types) in expected.items():
        limits = PLATFORM_IMAGE_LIMITS[platform]
        assert limits.max_bytes == max_bytes, platform
        # Only formats the platform accepts are sent (we never produce HEIC, BMP …).
        assert limits.types <= types, platform
    assert PLATFORM_IMAGE_LIMITS["linkedin"].max_pixels == linkedin.MAX_IMAGE_PIXELS - 1


def test_the_public_url_serves_the_file_and_expires(org: Org, client: Any, settings: Any) -> None:
    settings.SITE_URL = "https://sprachrohr.example"
    asset = MediaAssetFactory(unit=org.press, content=png_bytes(50, 40, (255, 0, 0, 0)))
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        item = media_item_for(asset, "instagram")
        assert item.public_url is not None
        assert item.public_url.startswith("https://sprachrohr.example/m/")
        path = item.public_url.removeprefix("https://sprachrohr.example")

        response = client.get(path)  # anonymous, as Meta's servers fetch it
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"  # Instagram's derivative
        assert b"".join(response.streaming_content) == Path(item.path).read_bytes()
        assert status_of(client, path.replace("/m/", "/m/x")) == 404  # tampered

        traveller.shift(timedelta(hours=23))
        assert status_of(client, path) == 200
        traveller.shift(timedelta(hours=2))
        assert status_of(client, path) == 404  # expired


# --- Pages, permissions, usage, audit ---------------------------------------------------------


def test_another_units_asset_is_not_found_in_pages_and_api(
    people: People, org: Org, client_for: Any, api_client_for: Any
) -> None:
    police_asset = MediaAssetFactory(unit=org.police_press)
    own_asset = MediaAssetFactory(unit=org.social)
    client = client_for(people.editor)
    for url in ("", "file/", "thumbnail/"):
        assert status_of(client, f"/editorial/media/{police_asset.pk}/{url}") == 404
        assert status_of(client, f"/editorial/media/{own_asset.pk}/{url}") == 200
    assert client.post(f"/editorial/media/{police_asset.pk}/delete/").status_code == 404
    listing = client.get("/editorial/media/").content.decode()
    assert own_asset.original_name in listing and police_asset.original_name not in listing

    api = api_client_for(people.editor)
    detail = f"/api/v1/media/{police_asset.pk}/"
    assert api.get(detail).status_code == 404
    assert api.patch(detail, {"alt_text": "x"}, format="json").status_code == 404
    assert api.delete(detail).status_code == 404
    ids = [item["id"] for item in api.get("/api/v1/media/").json()["results"]]
    assert ids == [own_asset.pk]
    assert MediaAsset.objects.filter(pk=police_asset.pk, alt_text="Ein blaues Rechteck.").exists()


def test_who_may_change_what(
    people: People, org: Org, client_for: Any, api_client_for: Any
) -> None:
    asset = MediaAssetFactory(unit=org.press)
    # The auditor of the city sees the asset but may not change it.
    auditor = client_for(people.auditor)
    page = auditor.get(f"/editorial/media/{asset.pk}/")
    assert page.status_code == 200 and b'enctype="multipart/form-data"' not in page.content
    assert auditor.get("/editorial/media/upload/").status_code == 403
    assert auditor.post(f"/editorial/media/{asset.pk}/", {"alt_text": "Neu"}).status_code == 403
    assert auditor.post(f"/editorial/media/{asset.pk}/delete/").status_code == 403
    api = api_client_for(people.auditor)
    assert api.patch(f"/api/v1/media/{asset.pk}/", {"alt_text": "Neu"}).status_code == 403
    assert api.delete(f"/api/v1/media/{asset.pk}/").status_code == 403
    # Anonymous visitors are sent to the login; people without any role are turned away.
    assert Client().get("/editorial/media/").status_code == 302
    assert client_for(UserFactory()).get("/editorial/media/").status_code == 403
    asset.refresh_from_db()
    assert asset.alt_text == "Ein blaues Rechteck."


def test_editing_metadata_is_audited_with_before_and_after(
    people: People, org: Org, client_for: Any
) -> None:
    asset = MediaAssetFactory(unit=org.press, credit="")
    response = client_for(people.editor).post(
        f"/editorial/media/{asset.pk}/",
        {
            "alt_text": "Ein blaues Rechteck auf weißem Grund.",
            "caption": "",
            "credit": "Grafik: Presseamt",
            "license": MediaAsset.License.CC_BY,
            "rights_note": "",
            "rights_valid_until": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    asset.refresh_from_db()
    assert asset.credit == "Grafik: Presseamt" and asset.license == MediaAsset.License.CC_BY
    entry = AuditEntry.objects.get(action="editorial.media.updated")
    assert entry.actor == people.editor and entry.unit == org.press
    assert entry.data["before"]["credit"] == "" and entry.data["after"]["credit"] == (
        "Grafik: Presseamt"
    )
    assert entry.target_id == str(asset.pk)


def test_upload_and_delete_are_audited_and_files_removed(
    people: People,
    org: Org,
    client_for: Any,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    asset = upload(people, org, png_bytes(800, 600), "plakat.png")
    media_item_for(asset, THUMBNAIL)  # a derivative, to be removed with the asset
    assert len(stored_files(media_root)) == 2
    uploaded = AuditEntry.objects.get(action="editorial.media.uploaded")
    assert uploaded.data["sha256"] == asset.sha256 and uploaded.actor == people.editor

    client = client_for(people.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/editorial/media/{asset.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/editorial/media/"
    assert not MediaAsset.objects.exists()
    assert stored_files(media_root) == []
    deleted = AuditEntry.objects.get(action="editorial.media.deleted")
    assert deleted.data["before"]["original_name"] == "plakat.png"
    assert list(verify_audit_chain()) == []


def test_an_asset_in_use_cannot_be_deleted_and_shows_where_it_is_used(
    people: People, org: Org, client_for: Any, api_client_for: Any
) -> None:
    asset = MediaAssetFactory(unit=org.press)
    in_post = Post.objects.create(
        unit=org.press, title="Baustelle Hauptstraße", author=people.editor
    )
    PostMedia.objects.create(post=in_post, asset=asset)
    in_variant = Post.objects.create(unit=org.press, title="Stadtfest", author=people.editor)
    variant = PostVariant.objects.create(
        post=in_variant, channel=org.press_channel, media_override=True
    )
    VariantMedia.objects.create(variant=variant, asset=asset)
    assert set(media_asset_usage(asset)) == {in_post, in_variant}

    client = client_for(people.editor)
    page = client.get(f"/editorial/media/{asset.pk}/").content.decode()
    assert "Baustelle Hauptstraße" in page and "Stadtfest" in page
    assert f'action="/editorial/media/{asset.pk}/delete/"' not in page

    response = client.post(f"/editorial/media/{asset.pk}/delete/", follow=True)
    expected = german(
        lambda: (
            ngettext(
                "This file is used in %(count)d post and cannot be deleted. Remove it"
                " from that post first.",
                "This file is used in %(count)d posts and cannot be deleted. Remove it"
                " from those posts first.",
                2,
            )
            % {"count": 2}
        )
    )
    assert expected in response.content.decode()
    api_response = api_client_for(people.editor).delete(f"/api/v1/media/{asset.pk}/")
    assert api_response.status_code == 409
    assert MediaAsset.objects.filter(pk=asset.pk).exists()
    assert not AuditEntry.objects.filter(action="editorial.media.deleted").exists()


def test_the_list_needs_the_same_number_of_queries_for_3_and_20_assets(
    people: People, org: Org, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(people.editor)
    assets = [MediaAssetFactory(unit=org.press) for _ in range(3)]
    PostMedia.objects.create(
        post=Post.objects.create(unit=org.press, title="T", author=people.editor),
        asset=assets[0],
    )
    client.get("/editorial/media/")  # warm-up: per-process caches (content types, …)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/editorial/media/")
    assert response.content.decode().count('class="media-card"') == 3

    for _ in range(17):
        MediaAssetFactory(unit=org.social, alt_text="")
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = client.get("/editorial/media/")
    assert response.content.decode().count('class="media-card"') == 20


def test_list_filters_and_thumbnails(people: People, org: Org, client_for: Any) -> None:
    big = MediaAssetFactory(
        unit=org.social, content=png_bytes(1200, 800), original_name="rathaus.png"
    )
    MediaAssetFactory(unit=org.press, original_name="logo.png", alt_text="Stadtwappen")
    client = client_for(people.editor)
    body = client.get("/editorial/media/", {"q": "wappen"}).content.decode()
    assert "logo.png" in body and "rathaus.png" not in body
    body = client.get("/editorial/media/", {"unit": org.social.pk}).content.decode()
    assert "rathaus.png" in body and "logo.png" not in body
    assert 'alt="Ein blaues Rechteck."' in body
    body = client.get("/editorial/media/", {"kind": "video"}).content.decode()
    assert "rathaus.png" not in body

    thumbnail = client.get(f"/editorial/media/{big.pk}/thumbnail/")
    assert thumbnail.status_code == 200
    assert thumbnail["Cache-Control"].startswith("private")
    image = Image.open(io.BytesIO(b"".join(thumbnail.streaming_content)))
    assert image.size == (480, 320)


# --- API ---------------------------------------------------------------------------------------


def test_api_upload_update_and_errors(
    people: People, org: Org, api_client_for: Any, media_root: Path
) -> None:
    api = api_client_for(people.editor)
    response = api.post(
        "/api/v1/media/",
        {
            "unit": org.press.pk,
            "file": SimpleUploadedFile("foto.jpg", gps_photo()),
            "alt_text": "Rotes und blaues Feld.",
            "license": "cc0",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["mime_type"], data["width"], data["height"]) == (
        "image",
        "image/jpeg",
        20,
        40,
    )
    assert data["in_use"] is False and data["unit_name"] == org.press.name

    patched = api.patch(
        f"/api/v1/media/{data['id']}/", {"credit": "Foto: Presseamt"}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["credit"] == "Foto: Presseamt"
    assert patched.json()["alt_text"] == "Rotes und blaues Feld."

    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    refused = api.post(
        "/api/v1/media/",
        {"unit": org.press.pk, "file": SimpleUploadedFile("foto.jpg", b"kein Bild")},
        format="multipart",
        **english,
    )
    assert refused.status_code == 400
    with translation.override("en"):
        assert refused.json() == {"file": [media_processing._msg_not_media("foto.jpg")]}

    police = api.post(
        "/api/v1/media/",
        {"unit": org.police_press.pk, "file": SimpleUploadedFile("a.png", png_bytes())},
        format="multipart",
        **english,
    )
    assert police.status_code == 400 and police.json() == {"unit": ["Unknown unit."]}

    approver = UserFactory(roles=[(org.press, Role.APPROVER)])
    forbidden = api_client_for(approver).post(
        "/api/v1/media/",
        {"unit": org.press.pk, "file": SimpleUploadedFile("a.png", png_bytes())},
        format="multipart",
    )
    assert forbidden.status_code == 403
    assert MediaAsset.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_api_stops_oversized_uploads_too(
    people: People, org: Org, api_client_for: Any, settings: Any
) -> None:
    settings.MEDIA_MAX_UPLOAD_MB = 1
    response = api_client_for(people.editor).post(
        "/api/v1/media/",
        {"unit": org.press.pk, "file": SimpleUploadedFile("gross.jpg", b"\0" * 3 * 1024 * 1024)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    with translation.override("en"):
        assert response.json() == {"file": [media_upload_too_large_message()]}


def test_captions_can_be_replaced_and_removed(
    people: People, org: Org, client_for: Any, api_client_for: Any, media_root: Path
) -> None:
    asset = upload(people, org, minimal_mp4(), "clip.mp4")
    api = api_client_for(people.editor)
    url = f"/api/v1/media/{asset.pk}/"
    vtt = SimpleUploadedFile("u.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n")
    replaced = api.patch(url, {"captions_file": vtt}, format="multipart")
    assert replaced.status_code == 200 and replaced.json()["has_captions"] is True
    wrong = SimpleUploadedFile("u.vtt", b"keine Untertitel")
    refused = api.patch(url, {"captions_file": wrong}, format="multipart")
    assert refused.status_code == 400 and "captions_file" in refused.json()

    response = client_for(people.editor).post(
        f"/editorial/media/{asset.pk}/",
        {"alt_text": "Drohnenflug über der Baustelle.", "remove_captions": "on"},
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert not asset.captions_file and asset.alt_text == "Drohnenflug über der Baustelle."
    media_asset_update(
        actor=people.editor,
        asset=asset,
        captions_file=SimpleUploadedFile("u.srt", b"1\n00:00:00,000 --> 00:00:01,000\nHallo\n"),
    )
    assert asset.captions_file.name.endswith(".srt")


def test_the_api_is_in_the_openapi_schema(people: People, client_for: Any) -> None:
    schema = client_for(people.editor).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = schema.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/media/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/media/{id}/"])
    assert "multipart/form-data" in paths["/api/v1/media/"]["post"]["requestBody"]["content"]
