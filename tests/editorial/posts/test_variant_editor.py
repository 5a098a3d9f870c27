# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""A channel's own version: starts from the post's text, labels every control, and has the
post editor's live check (the same counting and accessibility hints) for its one channel."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from channels_app.models import Platform
from editorial.models import MediaAsset
from editorial.models import Post
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

URL = "https://www.musterstadt.de/buergerbuero"


@pytest.fixture
def on_x(org: Org, make_draft: Callable[..., Post]) -> Post:
    x = ChannelFactory(name="X", platform=Platform.X, unit=org.press)
    return make_draft(text=f"Das Bürgerbüro hat geöffnet: {URL}", channels=[x])


def _page(people: People, post: Post) -> str:
    variant = post.variants.get()
    url = f"/editorial/posts/{post.pk}/variants/{variant.pk}/"
    return login(Client(), people.editor).get(url).content.decode()


def _check(people: People, post: Post, **data: object) -> dict[str, list[dict[str, object]]]:
    variant = post.variants.get()
    url = f"/editorial/posts/{post.pk}/variants/{variant.pk}/preview/"
    response = login(Client(), people.editor).post(url, data)
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_the_channels_text_starts_from_the_posts_text(people: People, on_x: Post) -> None:
    html = _page(people, on_x)
    assert re.search(r"<textarea[^>]*>\s*Das Bürgerbüro hat geöffnet: " + re.escape(URL), html)


def test_the_page_has_the_live_check_of_its_channel(people: People, on_x: Post) -> None:
    html = _page(people, on_x)
    variant = on_x.variants.get()
    assert f'data-preview-url="/editorial/posts/{on_x.pk}/variants/{variant.pk}/preview/"' in html
    assert 'id="preview-counts"' in html
    assert "/static/js/editor.js" in html or "js/editor" in html


def test_every_control_has_a_label(
    people: People, make_image: Callable[..., MediaAsset], make_draft: Callable[..., Post]
) -> None:
    make_image(alt_text="Das Rathaus")
    html = _page(people, make_draft())
    controls = re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', html)
    assert controls
    for control in controls:
        assert f'for="{control}"' in html, control


def test_the_live_check_counts_as_the_platform_does(people: People, on_x: Post) -> None:
    (count,) = _check(people, on_x, text_override="Kurz: " + URL)["channels"]
    assert count["length"] == len("Kurz: ") + 23  # X counts a URL as 23
    assert count["limit"] == 280


def test_an_empty_own_text_is_checked_as_the_posts_text(people: People, on_x: Post) -> None:
    (count,) = _check(people, on_x, text_override="")["channels"]
    assert count["length"] == len("Das Bürgerbüro hat geöffnet: ") + 23


def test_the_live_check_gives_the_accessibility_hints(people: People, on_x: Post) -> None:
    problems = _check(people, on_x, text_override="Neu #bahnhofstrassesperrung")["problems"]
    assert "hashtag_camelcase" in {p["code"] for p in problems}


def test_only_editors_of_the_post_may_use_the_live_check(people: People, on_x: Post) -> None:
    variant = on_x.variants.get()
    url = f"/editorial/posts/{on_x.pk}/variants/{variant.pk}/preview/"
    assert login(Client(), people.approver).post(url, {}).status_code == 403
