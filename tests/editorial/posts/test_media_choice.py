# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Choosing images and videos on the post form and on a channel's own version: the media
library's assets as checkboxes, or, while the library has none for the user's units, a hint
with the way to it instead of an empty group."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from editorial.models import Post
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.editorial.factories import MediaAssetFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

HINT = re.compile(r'<p class="media-hint"[^>]*>.*?</p>', re.S)


def _post_form(people: People) -> str:
    return login(Client(), people.editor).get(reverse("posts:create")).content.decode()


def _variant_form(people: People, post: Post) -> str:
    variant = post.variants.get()
    url = reverse("posts:variant_edit", kwargs={"pk": post.pk, "variant_pk": variant.pk})
    return login(Client(), people.editor).get(url).content.decode()


def _media_checkboxes(html: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="media"[^>]*>', html)


def test_without_media_the_post_form_points_to_the_media_library(people: People) -> None:
    html = _post_form(people)
    (hint,) = HINT.findall(html)
    assert f'href="{reverse("media:list")}"' in hint
    assert not _media_checkboxes(html)
    assert not re.search(r'<div id="id_media">\s*</div>', html)  # no empty group


def test_with_media_the_post_form_offers_them(org: Org, people: People) -> None:
    MediaAssetFactory(unit=org.press)
    html = _post_form(people)
    assert len(_media_checkboxes(html)) == 1
    assert not HINT.findall(html)


def test_without_media_a_channels_version_points_to_the_media_library(
    people: People, make_draft: Callable[..., Post]
) -> None:
    html = _variant_form(people, make_draft())
    (hint,) = HINT.findall(html)
    assert f'href="{reverse("media:list")}"' in hint
    assert not _media_checkboxes(html)


def test_with_media_a_channels_version_offers_them(
    org: Org, people: People, make_draft: Callable[..., Post]
) -> None:
    MediaAssetFactory(unit=org.press)
    html = _variant_form(people, make_draft())
    assert len(_media_checkboxes(html)) == 1
    assert not HINT.findall(html)
