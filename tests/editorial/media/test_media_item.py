"""media_item (editorial/media/selectors.py): an asset as an adapter sees it, for validation;
media_item_for builds on it for publishing (tests in test_derivatives.py)."""

from __future__ import annotations

import pytest

from channels_app.adapters.base import MediaKind
from editorial.media.selectors import media_item
from tests.conftest import Org
from tests.editorial.factories import MediaAssetFactory

pytestmark = pytest.mark.django_db


def test_the_item_is_the_original_file_with_its_description(org: Org) -> None:
    asset = MediaAssetFactory(unit=org.press, alt_text="Das Rathaus")
    item = media_item(asset)
    assert item.path == asset.file.path
    assert (item.mime_type, item.size, item.width, item.height) == (
        asset.mime_type,
        asset.size,
        asset.width,
        asset.height,
    )
    assert item.kind == MediaKind.IMAGE
    assert item.alt_text == "Das Rathaus"
    assert item.captions_path is None
    assert item.public_url is None


def test_an_asset_without_a_file_has_an_empty_path(org: Org) -> None:
    asset = MediaAssetFactory(unit=org.press)
    asset.file = None
    assert media_item(asset).path == ""
