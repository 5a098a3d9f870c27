"""The sandbox platform's media: uploads checked by their real format, alt texts, the limits
per post, and the public address of a file."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from channels_app.sandbox.models import SandboxMedia
from tests.channels_app.sandbox.support import API
from tests.channels_app.sandbox.support import MP4
from tests.channels_app.sandbox.support import Api
from tests.channels_app.sandbox.support import jpeg_bytes
from tests.channels_app.sandbox.support import token_for

pytestmark = pytest.mark.django_db


def test_an_image_is_stored_with_its_alt_text_and_real_type(api: Api) -> None:
    status, image = api.upload(jpeg_bytes(), "rathaus.jpg", alt_text="Das Rathaus")
    assert status == 201
    assert (image["type"], image["alt_text"]) == ("image", "Das Rathaus")
    assert SandboxMedia.objects.get(remote_id=image["id"]).mime_type == "image/jpeg"


def test_a_video_is_stored_as_a_video(api: Api) -> None:
    status, video = api.upload(MP4, "film.mp4")
    assert (status, video["type"]) == (201, "video")


def test_text_named_like_an_image_is_refused(api: Api) -> None:
    status, body = api.upload(b"Das ist nur Text.", "foto.jpg")
    assert (status, body["error"]) == (422, "unsupported_media")


def test_a_broken_image_is_refused(api: Api) -> None:
    broken = jpeg_bytes()[:40]
    assert api.upload(broken, "kaputt.jpg")[1]["error"] == "unsupported_media"


def test_alt_text_is_limited_to_1500_characters(api: Api) -> None:
    status, body = api.upload(jpeg_bytes(), "rathaus.jpg", alt_text="a" * 1501)
    assert (status, body["error"]) == (422, "alt_text_too_long")
    assert api.upload(jpeg_bytes(), "rathaus.jpg", alt_text="a" * 1500)[0] == 201


def test_an_upload_without_a_file_is_400(api: Api) -> None:
    missing = api.client.post(f"{API}/media", {"alt_text": "x"}, **api.auth)
    assert missing.status_code == 400


@pytest.fixture
def images(api: Api) -> list[str]:
    return [api.upload(jpeg_bytes(), f"{i}.jpg")[1]["id"] for i in range(5)]


def test_a_post_takes_at_most_four_images(api: Api, images: list[str]) -> None:
    assert api.post("/posts", {"text": "5", "media_ids": images})[1]["error"] == "invalid_media"
    status, post = api.post("/posts", {"text": "4", "media_ids": images[:4]})
    assert status == 201
    assert [m["id"] for m in post["media"]] == images[:4]


def test_a_post_takes_images_or_a_video_not_both(api: Api, images: list[str]) -> None:
    video = api.upload(MP4, "film.mp4")[1]["id"]
    mixed = api.post("/posts", {"text": "mix", "media_ids": [images[0], video]})
    assert mixed[1]["error"] == "invalid_media"
    assert api.post("/posts", {"text": "video", "media_ids": [video]})[0] == 201


def test_a_file_belongs_to_one_post_only(api: Api, images: list[str]) -> None:
    api.post("/posts", {"text": "4", "media_ids": images[:4]})
    assert api.post("/posts", {"text": "again", "media_ids": [images[0]]})[0] == 422


def test_the_public_address_serves_the_file_with_its_type(
    api: Api, client: Client, images: list[str]
) -> None:
    _status, post = api.post("/posts", {"text": "4", "media_ids": images[:4]})
    response = client.get(urlsplit(post["media"][0]["url"]).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == jpeg_bytes()  # type: ignore[attr-defined]
    response.close()


def test_media_of_another_account_cannot_be_used(client: Client) -> None:
    city = Api(client, token_for(client, "stadt")["access_token"])
    police = Api(client, token_for(client, "polizei")["access_token"])
    image = city.upload(jpeg_bytes(), "a.jpg")[1]["id"]
    assert police.post("/posts", {"text": "x", "media_ids": [image]})[0] == 422
