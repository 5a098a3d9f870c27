"""Reads of the media library: assets a user may see, where an asset is used, signed
public links."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from editorial.models import MediaAsset
from editorial.models import MediaDerivative
from editorial.models import Post
from editorial.models import PostMedia
from editorial.models import VariantMedia

PUBLIC_URL_MAX_AGE = timedelta(hours=24)
_PUBLIC_URL_SALT = "editorial.media.public-url"


def media_assets_for_user(
    user: User, *, query: str = "", kind: str = "", unit_id: int | None = None
) -> QuerySet[MediaAsset]:
    """Assets of the units where the user holds any role, and of the units below them."""
    assets = MediaAsset.objects.filter(unit_id__in=unit_ids_for_roles(user, Role.values))
    if query:
        assets = assets.filter(
            Q(original_name__icontains=query)
            | Q(alt_text__icontains=query)
            | Q(caption__icontains=query)
            | Q(credit__icontains=query)
        )
    if kind:
        assets = assets.filter(kind=kind)
    if unit_id:
        path = OrgUnit.objects.filter(pk=unit_id).values("path")[:1]
        assets = assets.filter(unit__path__startswith=path)
    in_use = Exists(PostMedia.objects.filter(asset=OuterRef("pk"))) | Exists(
        VariantMedia.objects.filter(asset=OuterRef("pk"))
    )
    return assets.select_related("unit", "uploaded_by").annotate(in_use=in_use)


def media_assets_viewable_by(user: User) -> QuerySet[MediaAsset]:
    """Assets whose files the user may see: the library's (``media_assets_for_user``) and
    those in a post the user can see, which may come from a unit above the user's (an
    approver must see exactly the images of the post they approve)."""
    unit_ids = unit_ids_for_roles(user, Role.values)
    in_visible_post = Exists(
        PostMedia.objects.filter(asset=OuterRef("pk"), post__unit_id__in=unit_ids)
    ) | Exists(
        VariantMedia.objects.filter(asset=OuterRef("pk"), variant__post__unit_id__in=unit_ids)
    )
    return MediaAsset.objects.filter(Q(unit_id__in=unit_ids) | in_visible_post)


def media_asset_usage(asset: MediaAsset) -> QuerySet[Post]:
    """Posts that use the asset, in the post itself or in one channel's own media."""
    return (
        Post.objects.filter(Q(post_media__asset=asset) | Q(variants__variant_media__asset=asset))
        .distinct()
        .select_related("unit")
        .order_by("-created_at")
    )


def media_public_url(asset: MediaAsset, platform: str) -> str:
    """A URL anyone can fetch for ``PUBLIC_URL_MAX_AGE`` (Instagram and Threads download
    media themselves). Signed, so it cannot be guessed or altered to reach another file."""
    token = signing.TimestampSigner(salt=_PUBLIC_URL_SALT).sign_object(
        {"a": asset.pk, "p": platform}
    )
    return f"{settings.SITE_URL}{reverse('media:public_file', args=[token])}"


def media_public_file(token: str) -> tuple[FieldFile, str] | None:
    """The file and MIME type behind a public URL, or ``None`` if invalid or expired."""
    try:
        value = signing.TimestampSigner(salt=_PUBLIC_URL_SALT).unsign_object(
            token, max_age=PUBLIC_URL_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(value, dict) or not isinstance(value.get("a"), int):
        return None
    asset = MediaAsset.objects.filter(pk=value["a"]).first()
    if asset is None or not asset.file:
        return None
    derivative = MediaDerivative.objects.filter(asset=asset, platform=value.get("p")).first()
    if derivative is not None:
        return derivative.file, derivative.mime_type
    return asset.file, asset.mime_type


def media_item(asset: MediaAsset) -> MediaItem:
    """The asset as an adapter sees it: the original file, as validation checks it
    (publishing may send a derivative, ``media_item_for``)."""
    return MediaItem(
        path=asset.file.path if asset.file else "",
        mime_type=asset.mime_type,
        kind=MediaKind(asset.kind),
        size=asset.size,
        alt_text=asset.alt_text,
        width=asset.width,
        height=asset.height,
        duration_seconds=asset.duration_seconds,
        captions_path=asset.captions_file.path if asset.captions_file else None,
    )
