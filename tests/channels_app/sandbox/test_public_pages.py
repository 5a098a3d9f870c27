"""The sandbox platform's public pages: a post with its comments and an account's profile,
anonymous, with every text escaped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxPost
from tests.channels_app.sandbox.support import API
from tests.channels_app.sandbox.support import START
from tests.channels_app.sandbox.support import Api
from tests.channels_app.sandbox.support import jpeg_bytes
from tests.channels_app.sandbox.support import token_for

pytestmark = pytest.mark.django_db


def _hostile_post_id() -> str:
    return next(
        f"p{i:04d}"
        for i in range(500)
        if any(c.kind == "hostile_html" for c in simulation.comment_schedule(f"p{i:04d}"))
    )


@dataclass
class Published:
    api: Api
    post_id: str


@pytest.fixture
def published(client: Client) -> Iterator[Published]:
    """A post with markup in its text and an image, four days old, whose simulated comments
    include the markup sample; the tests run at that time."""
    with time_machine.travel(START, tick=False) as traveller:
        api = Api(client, token_for(client)["access_token"])
        image = api.upload(jpeg_bytes(), "r.jpg", alt_text="Rathaus bei Nacht")[1]["id"]
        post = api.post("/posts", {"text": "Bild <b>fett</b>", "media_ids": [image]})[1]
        # Give the post an id whose simulated comments include the markup sample.
        hostile_id = _hostile_post_id()
        SandboxPost.objects.filter(remote_id=post["id"]).update(remote_id=hostile_id)
        traveller.shift(timedelta(days=4))
        yield Published(api, hostile_id)


def _post_page(published: Published) -> str:
    page = Client().get(f"/sandbox/posts/{published.post_id}/")  # anonymous: public
    assert page.status_code == 200
    return page.content.decode()


def test_a_post_page_is_public_and_marked_as_sandbox(published: Published) -> None:
    assert "SANDBOX" in _post_page(published)


def test_markup_in_a_comment_is_escaped(published: Published) -> None:
    html = _post_page(published)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_a_post_page_shows_the_escaped_text_the_image_with_alt_and_headings(
    published: Published,
) -> None:
    html = _post_page(published)
    assert "Bild &lt;b&gt;fett&lt;/b&gt;" in html
    assert 'alt="Rathaus bei Nacht"' in html
    assert "<h1" in html and "<h2" in html


def test_a_hidden_comment_leaves_the_post_page(published: Published) -> None:
    _post_page(published)  # reading the page generates the comments due
    comment = SandboxComment.objects.filter(post__remote_id=published.post_id).first()
    assert comment is not None
    published.api.post(f"/comments/{comment.remote_id}/hide")
    html = Client().get(f"/sandbox/posts/{published.post_id}/").content.decode()
    assert f'id="comment-{comment.remote_id}"' not in html


def test_the_profile_page_shows_the_account_and_its_posts(published: Published) -> None:
    profile = Client().get("/sandbox/@stadt/")
    assert profile.status_code == 200
    text = profile.content.decode()
    assert "@stadt" in text and "Bild &lt;b&gt;fett&lt;/b&gt;" in text
    assert 'alt="Rathaus bei Nacht"' in text


@pytest.mark.parametrize(
    "path", ["/sandbox/@nobody/", "/sandbox/posts/nothing/", "/sandbox/media/nothing"]
)
def test_an_unknown_account_post_or_file_is_404(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_a_deleted_post_has_no_page(client: Client) -> None:
    api = Api(client, token_for(client)["access_token"])
    post = api.post("/posts", {"text": "weg"})[1]
    api.delete(f"/posts/{post['id']}")
    assert client.get(f"/sandbox/posts/{post['id']}/").status_code == 404


def test_a_switched_off_sandbox_serves_neither_pages_nor_api(client: Client, settings: Any) -> None:
    token_for(client)
    settings.SANDBOX_ENABLED = False
    assert client.get("/sandbox/@stadt/").status_code == 404
    assert client.get(f"{API}/me").status_code == 404
