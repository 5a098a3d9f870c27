# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The media library's pages (editorial/media/views.py): upload, edit, list, thumbnails."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostMedia
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import MediaAssetFactory
from tests.editorial.factories import png_bytes
from tests.editorial.media.conftest import Edited
from tests.editorial.media.conftest import gps_photo
from tests.editorial.media.conftest import minimal_mp4
from tests.editorial.media.conftest import upload
from tests.editorial.media.conftest import upload_form
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_uploading_leads_to_the_new_assets_page(people: People, org: Org, client_for: Any) -> None:
    response = client_for(people.editor).post(
        "/editorial/media/upload/", upload_form(org, gps_photo(), "IMG_4711.JPG")
    )
    asset = MediaAsset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/editorial/media/{asset.pk}/"


def test_the_edit_page_saves_the_metadata(edited_through_the_page: Edited) -> None:
    response, asset = edited_through_the_page.response, edited_through_the_page.asset
    assert response.status_code == 302, response.context["form"].errors
    assert asset.credit == "Grafik: Presseamt" and asset.license == MediaAsset.License.CC_BY


def test_the_edit_page_removes_captions(people: People, org: Org, client_for: Any) -> None:
    asset = upload(
        people,
        org,
        minimal_mp4(),
        "clip.mp4",
        captions_file=SimpleUploadedFile("u.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n"),
    )
    assert asset.captions_file
    response = client_for(people.editor).post(
        f"/editorial/media/{asset.pk}/",
        {"alt_text": "Drohnenflug über der Baustelle.", "remove_captions": "on"},
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert not asset.captions_file and asset.alt_text == "Drohnenflug über der Baustelle."


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


# --- Filters and thumbnails --------------------------------------------------------------------


@pytest.fixture
def big(org: Org) -> MediaAsset:
    """A large image of the Social-Media-Team, next to a logo of the Presseamt."""
    MediaAssetFactory(unit=org.press, original_name="logo.png", alt_text="Stadtwappen")
    return MediaAssetFactory(  # type: ignore[no-any-return]
        unit=org.social, content=png_bytes(1200, 800), original_name="rathaus.png"
    )


def test_the_list_searches_the_alt_text(people: People, client_for: Any, big: MediaAsset) -> None:
    body = client_for(people.editor).get("/editorial/media/", {"q": "wappen"}).content.decode()
    assert "logo.png" in body and "rathaus.png" not in body


def test_the_list_filters_by_unit(
    people: People, org: Org, client_for: Any, big: MediaAsset
) -> None:
    body = (
        client_for(people.editor).get("/editorial/media/", {"unit": org.social.pk}).content.decode()
    )
    assert "rathaus.png" in body and "logo.png" not in body
    assert 'alt="Ein blaues Rechteck."' in body


def test_the_list_filters_by_kind(people: People, client_for: Any, big: MediaAsset) -> None:
    body = client_for(people.editor).get("/editorial/media/", {"kind": "video"}).content.decode()
    assert "rathaus.png" not in body


def test_the_thumbnail_is_scaled_down_and_private(
    people: People, client_for: Any, big: MediaAsset
) -> None:
    thumbnail = client_for(people.editor).get(f"/editorial/media/{big.pk}/thumbnail/")
    assert thumbnail.status_code == 200
    assert thumbnail["Cache-Control"].startswith("private")
    image = Image.open(io.BytesIO(b"".join(thumbnail.streaming_content)))
    assert image.size == (480, 320)
