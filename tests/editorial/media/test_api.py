# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The media API (editorial/media/api.py, serializers.py): upload, update, refusals, captions,
schema. Who may see and change which asset: test_library.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from rest_framework.response import Response

from accounts.models import Role
from editorial.media import processing as media_processing
from editorial.media.processing import media_upload_too_large_message
from editorial.models import MediaAsset
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import png_bytes
from tests.editorial.media.conftest import gps_photo
from tests.editorial.media.conftest import minimal_mp4
from tests.editorial.media.conftest import stored_files
from tests.editorial.media.conftest import upload
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


# --- Upload and update -------------------------------------------------------------------------


@pytest.fixture
def uploaded(people: People, org: Org, api_client_for: Any) -> Response:
    return api_client_for(people.editor).post(  # type: ignore[no-any-return]
        "/api/v1/media/",
        {
            "unit": org.press.pk,
            "file": SimpleUploadedFile("foto.jpg", gps_photo()),
            "alt_text": "Rotes und blaues Feld.",
            "license": "cc0",
        },
        format="multipart",
    )


def test_the_api_uploads_a_file_and_describes_it(uploaded: Response) -> None:
    assert uploaded.status_code == 201, uploaded.content
    data = uploaded.json()
    assert (data["kind"], data["mime_type"], data["width"], data["height"]) == (
        "image",
        "image/jpeg",
        20,
        40,
    )


def test_a_new_asset_is_not_in_use_and_names_its_unit(org: Org, uploaded: Response) -> None:
    data = uploaded.json()
    assert data["in_use"] is False and data["unit_name"] == org.press.name


def test_the_api_updates_only_the_fields_sent(
    people: People, api_client_for: Any, uploaded: Response
) -> None:
    patched = api_client_for(people.editor).patch(
        f"/api/v1/media/{uploaded.json()['id']}/", {"credit": "Foto: Presseamt"}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["credit"] == "Foto: Presseamt"
    assert patched.json()["alt_text"] == "Rotes und blaues Feld."


# --- Refusals ----------------------------------------------------------------------------------


def test_the_api_refuses_a_file_that_is_no_media(
    people: People, org: Org, api_client_for: Any, media_root: Path
) -> None:
    refused = api_client_for(people.editor).post(
        "/api/v1/media/",
        {"unit": org.press.pk, "file": SimpleUploadedFile("foto.jpg", b"kein Bild")},
        format="multipart",
        **ENGLISH,
    )
    assert refused.status_code == 400
    with translation.override("en"):
        assert refused.json() == {"file": [media_processing._msg_not_media("foto.jpg")]}
    assert not MediaAsset.objects.exists()
    assert stored_files(media_root) == []


def test_the_api_refuses_another_authoritys_unit(
    people: People, org: Org, api_client_for: Any, media_root: Path
) -> None:
    police = api_client_for(people.editor).post(
        "/api/v1/media/",
        {"unit": org.police_press.pk, "file": SimpleUploadedFile("a.png", png_bytes())},
        format="multipart",
        **ENGLISH,
    )
    assert police.status_code == 400 and police.json() == {"unit": ["Unknown unit."]}
    assert not MediaAsset.objects.exists()
    assert stored_files(media_root) == []


def test_an_approver_may_not_upload_through_the_api(
    org: Org, api_client_for: Any, media_root: Path
) -> None:
    approver = UserFactory(roles=[(org.press, Role.APPROVER)])
    forbidden = api_client_for(approver).post(
        "/api/v1/media/",
        {"unit": org.press.pk, "file": SimpleUploadedFile("a.png", png_bytes())},
        format="multipart",
    )
    assert forbidden.status_code == 403
    assert not MediaAsset.objects.exists()
    assert stored_files(media_root) == []


def test_api_stops_oversized_uploads_too(
    people: People, org: Org, api_client_for: Any, settings: Any
) -> None:
    settings.MEDIA_MAX_UPLOAD_MB = 1
    response = api_client_for(people.editor).post(
        "/api/v1/media/",
        {"unit": org.press.pk, "file": SimpleUploadedFile("gross.jpg", b"\0" * 3 * 1024 * 1024)},
        format="multipart",
        **ENGLISH,
    )
    assert response.status_code == 400
    with translation.override("en"):
        assert response.json() == {"file": [media_upload_too_large_message()]}


# --- Captions ----------------------------------------------------------------------------------


@pytest.fixture
def video(people: People, org: Org) -> MediaAsset:
    return upload(people, org, minimal_mp4(), "clip.mp4")


def test_the_api_sets_captions(people: People, api_client_for: Any, video: MediaAsset) -> None:
    vtt = SimpleUploadedFile("u.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n")
    replaced = api_client_for(people.editor).patch(
        f"/api/v1/media/{video.pk}/", {"captions_file": vtt}, format="multipart"
    )
    assert replaced.status_code == 200 and replaced.json()["has_captions"] is True


def test_the_api_refuses_captions_that_are_none(
    people: People, api_client_for: Any, video: MediaAsset
) -> None:
    wrong = SimpleUploadedFile("u.vtt", b"keine Untertitel")
    refused = api_client_for(people.editor).patch(
        f"/api/v1/media/{video.pk}/", {"captions_file": wrong}, format="multipart"
    )
    assert refused.status_code == 400 and "captions_file" in refused.json()


# --- Schema ------------------------------------------------------------------------------------


def test_the_api_is_in_the_openapi_schema(people: People, client_for: Any) -> None:
    schema = client_for(people.editor).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = schema.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/media/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/media/{id}/"])
    assert "multipart/form-data" in paths["/api/v1/media/"]["post"]["requestBody"]["content"]
