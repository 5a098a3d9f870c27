# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The media library as a whole (editorial/media/permissions.py, selectors.py, services.py):
who sees and changes what, where an asset is used, deleting, and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils.translation import ngettext

from accounts.audit import verify_audit_chain
from accounts.models import AuditEntry
from editorial.media.derivatives import THUMBNAIL
from editorial.media.selectors import media_asset_usage
from editorial.media.services import media_item_for
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostMedia
from editorial.models import PostVariant
from editorial.models import VariantMedia
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import MediaAssetFactory
from tests.editorial.factories import png_bytes
from tests.editorial.media.conftest import Edited
from tests.editorial.media.conftest import german
from tests.editorial.media.conftest import status_of
from tests.editorial.media.conftest import stored_files
from tests.editorial.media.conftest import upload
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

UNCHANGED_ALT_TEXT = "Ein blaues Rechteck."  # the factory's


# --- Another authority's assets ----------------------------------------------------------------


@dataclass
class Assets:
    police: MediaAsset
    own: MediaAsset  # of the Social-Media-Team, below the editor's Presseamt


@pytest.fixture
def assets(org: Org) -> Assets:
    return Assets(
        police=MediaAssetFactory(unit=org.police_press), own=MediaAssetFactory(unit=org.social)
    )


PAGES = ("", "file/", "thumbnail/")


def test_another_units_asset_is_not_found_in_the_pages(
    people: People, client_for: Any, assets: Assets
) -> None:
    client = client_for(people.editor)
    for url in PAGES:
        assert status_of(client, f"/editorial/media/{assets.police.pk}/{url}") == 404
    assert client.post(f"/editorial/media/{assets.police.pk}/delete/").status_code == 404
    assert MediaAsset.objects.filter(pk=assets.police.pk).exists()


def test_a_sub_units_asset_is_shown_in_the_pages(
    people: People, client_for: Any, assets: Assets
) -> None:
    client = client_for(people.editor)
    for url in PAGES:
        assert status_of(client, f"/editorial/media/{assets.own.pk}/{url}") == 200


def test_the_list_page_shows_only_the_units_assets(
    people: People, client_for: Any, assets: Assets
) -> None:
    listing = client_for(people.editor).get("/editorial/media/").content.decode()
    assert assets.own.original_name in listing and assets.police.original_name not in listing


def test_another_units_asset_is_not_found_in_the_api(
    people: People, api_client_for: Any, assets: Assets
) -> None:
    api = api_client_for(people.editor)
    detail = f"/api/v1/media/{assets.police.pk}/"
    assert api.get(detail).status_code == 404
    assert api.patch(detail, {"alt_text": "x"}, format="json").status_code == 404
    assert api.delete(detail).status_code == 404
    assert MediaAsset.objects.filter(pk=assets.police.pk, alt_text=UNCHANGED_ALT_TEXT).exists()


def test_the_api_lists_only_the_units_assets(
    people: People, api_client_for: Any, assets: Assets
) -> None:
    ids = [
        item["id"] for item in api_client_for(people.editor).get("/api/v1/media/").json()["results"]
    ]
    assert ids == [assets.own.pk]


# --- Roles -------------------------------------------------------------------------------------


@pytest.fixture
def asset(org: Org) -> MediaAsset:
    return MediaAssetFactory(unit=org.press)  # type: ignore[no-any-return]


def test_an_auditor_sees_an_asset_without_the_edit_form(
    people: People, client_for: Any, asset: MediaAsset
) -> None:
    page = client_for(people.auditor).get(f"/editorial/media/{asset.pk}/")
    assert page.status_code == 200 and b'enctype="multipart/form-data"' not in page.content


def test_an_auditor_may_not_upload(people: People, client_for: Any) -> None:
    assert client_for(people.auditor).get("/editorial/media/upload/").status_code == 403


def test_an_auditor_may_not_change_or_delete_through_the_pages(
    people: People, client_for: Any, asset: MediaAsset
) -> None:
    auditor = client_for(people.auditor)
    assert auditor.post(f"/editorial/media/{asset.pk}/", {"alt_text": "Neu"}).status_code == 403
    assert auditor.post(f"/editorial/media/{asset.pk}/delete/").status_code == 403
    asset.refresh_from_db()
    assert asset.alt_text == UNCHANGED_ALT_TEXT


def test_an_auditor_may_not_change_or_delete_through_the_api(
    people: People, api_client_for: Any, asset: MediaAsset
) -> None:
    api = api_client_for(people.auditor)
    assert api.patch(f"/api/v1/media/{asset.pk}/", {"alt_text": "Neu"}).status_code == 403
    assert api.delete(f"/api/v1/media/{asset.pk}/").status_code == 403
    asset.refresh_from_db()
    assert asset.alt_text == UNCHANGED_ALT_TEXT


def test_anonymous_visitors_are_sent_to_the_login(org: Org) -> None:
    assert Client().get("/editorial/media/").status_code == 302


def test_people_without_a_role_are_turned_away(client_for: Any) -> None:
    assert client_for(UserFactory()).get("/editorial/media/").status_code == 403


# --- Where an asset is used --------------------------------------------------------------------


@dataclass
class InUse:
    asset: MediaAsset
    in_post: Post  # the asset is among the post's media
    in_variant: Post  # the asset is among the media of one of the post's variants


@pytest.fixture
def in_use(people: People, org: Org) -> InUse:
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
    return InUse(asset=asset, in_post=in_post, in_variant=in_variant)


def test_usage_counts_posts_and_variant_media(in_use: InUse) -> None:
    assert set(media_asset_usage(in_use.asset)) == {in_use.in_post, in_use.in_variant}


def test_the_page_shows_where_an_asset_is_used(
    people: People, client_for: Any, in_use: InUse
) -> None:
    page = client_for(people.editor).get(f"/editorial/media/{in_use.asset.pk}/").content.decode()
    assert "Baustelle Hauptstraße" in page and "Stadtfest" in page
    # … and offers no delete button.
    assert f'action="/editorial/media/{in_use.asset.pk}/delete/"' not in page


def test_an_asset_in_use_cannot_be_deleted_through_the_page(
    people: People, client_for: Any, in_use: InUse
) -> None:
    response = client_for(people.editor).post(
        f"/editorial/media/{in_use.asset.pk}/delete/", follow=True
    )
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
    assert MediaAsset.objects.filter(pk=in_use.asset.pk).exists()
    assert not AuditEntry.objects.filter(action="editorial.media.deleted").exists()


def test_an_asset_in_use_cannot_be_deleted_through_the_api(
    people: People, api_client_for: Any, in_use: InUse
) -> None:
    api_response = api_client_for(people.editor).delete(f"/api/v1/media/{in_use.asset.pk}/")
    assert api_response.status_code == 409
    assert MediaAsset.objects.filter(pk=in_use.asset.pk).exists()
    assert not AuditEntry.objects.filter(action="editorial.media.deleted").exists()


# --- Uploading and deleting --------------------------------------------------------------------


@pytest.fixture
def uploaded(people: People, org: Org, media_root: Path) -> MediaAsset:
    asset = upload(people, org, png_bytes(800, 600), "plakat.png")
    media_item_for(asset, THUMBNAIL)  # a derivative, to be removed with the asset
    assert len(stored_files(media_root)) == 2
    return asset


@pytest.fixture
def delete_response(
    people: People,
    client_for: Any,
    uploaded: MediaAsset,
    django_capture_on_commit_callbacks: Any,
) -> HttpResponse:
    with django_capture_on_commit_callbacks(execute=True):
        return client_for(people.editor).post(  # type: ignore[no-any-return]
            f"/editorial/media/{uploaded.pk}/delete/"
        )


def test_an_upload_is_audited_with_its_checksum(people: People, uploaded: MediaAsset) -> None:
    entry = AuditEntry.objects.get(action="editorial.media.uploaded")
    assert entry.data["sha256"] == uploaded.sha256 and entry.actor == people.editor


def test_deleting_removes_the_asset_and_all_its_files(
    delete_response: HttpResponse, media_root: Path
) -> None:
    assert delete_response.status_code == 302
    assert delete_response["Location"] == "/editorial/media/"
    assert not MediaAsset.objects.exists()
    assert stored_files(media_root) == []


def test_deleting_is_audited_with_what_was_deleted_in_an_intact_chain(
    delete_response: HttpResponse,
) -> None:
    deleted = AuditEntry.objects.get(action="editorial.media.deleted")
    assert deleted.data["before"]["original_name"] == "plakat.png"
    assert list(verify_audit_chain()) == []


# --- Editing -----------------------------------------------------------------------------------


def test_editing_metadata_is_audited_by_whom_and_where(
    people: People, org: Org, edited_through_the_page: Edited
) -> None:
    entry = AuditEntry.objects.get(action="editorial.media.updated")
    assert entry.actor == people.editor and entry.unit == org.press
    assert entry.target_id == str(edited_through_the_page.asset.pk)


def test_editing_metadata_is_audited_with_before_and_after(
    edited_through_the_page: Edited,
) -> None:
    entry = AuditEntry.objects.get(action="editorial.media.updated")
    assert entry.data["before"]["credit"] == "" and entry.data["after"]["credit"] == (
        "Grafik: Presseamt"
    )
