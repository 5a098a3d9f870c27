# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Public URLs for platforms that fetch media themselves (editorial/media/selectors.py
media_public_url, views.media_public_file_view): signed, anonymous, for a day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from channels_app.adapters.base import MediaItem
from editorial.media.services import media_item_for
from tests.conftest import Org
from tests.editorial.factories import MediaAssetFactory
from tests.editorial.factories import png_bytes
from tests.editorial.media.conftest import status_of
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@dataclass
class Published:
    item: MediaItem
    path: str  # the public URL without the site
    clock: Any  # time_machine's traveller, stopped at the moment the URL was made


@pytest.fixture
def published(org: Org, settings: Any) -> Iterator[Published]:
    settings.SITE_URL = "https://sprachrohr.example"
    asset = MediaAssetFactory(unit=org.press, content=png_bytes(50, 40, (255, 0, 0, 0)))
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        item = media_item_for(asset, "instagram")
        assert item.public_url is not None
        path = item.public_url.removeprefix("https://sprachrohr.example")
        yield Published(item=item, path=path, clock=traveller)


def test_the_public_url_serves_the_platforms_file_to_anyone(
    published: Published, client: Any
) -> None:
    assert published.item.public_url is not None
    assert published.item.public_url.startswith("https://sprachrohr.example/m/")
    response = client.get(published.path)  # anonymous, as Meta's servers fetch it
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"  # Instagram's derivative
    assert b"".join(response.streaming_content) == Path(published.item.path).read_bytes()


def test_a_tampered_public_url_is_not_found(published: Published, client: Any) -> None:
    assert status_of(client, published.path.replace("/m/", "/m/x")) == 404


def test_the_public_url_expires_after_a_day(published: Published, client: Any) -> None:
    published.clock.shift(timedelta(hours=23))
    assert status_of(client, published.path) == 200
    published.clock.shift(timedelta(hours=2))
    assert status_of(client, published.path) == 404  # expired
