"""Writing the media library: upload, describe, delete (audited), derivatives made on
demand. Stored files never change after upload: only their descriptive metadata does, so a
derivative made once stays valid for the asset's lifetime."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.audit import audit_snapshot
from accounts.audited import audit_about
from accounts.audited import save_audited
from accounts.models import OrgUnit
from accounts.models import User
from channels_app.adapters.base import MediaItem
from editorial.media.derivatives import PLATFORM_IMAGE_LIMITS
from editorial.media.derivatives import THUMBNAIL
from editorial.media.derivatives import is_animated
from editorial.media.derivatives import needs_derivative
from editorial.media.derivatives import render_derivative
from editorial.media.events import media_asset_described
from editorial.media.permissions import _check_may_edit
from editorial.media.processing import FILE_EXTENSIONS
from editorial.media.processing import METADATA_FIELDS
from editorial.media.processing import captions_content
from editorial.media.processing import file_sha256
from editorial.media.processing import inspect_upload
from editorial.media.selectors import media_asset_usage
from editorial.media.selectors import media_item
from editorial.media.selectors import media_public_url
from editorial.models import MediaAsset
from editorial.models import MediaDerivative

# --- Writing --------------------------------------------------------------------------------


def _snapshot(asset: MediaAsset) -> dict[str, Any]:
    return {
        **audit_snapshot(asset, *METADATA_FIELDS),
        "captions_file": asset.captions_file.name or "",
    }


def _original_name(uploaded_file: Any) -> str:
    name = str(getattr(uploaded_file, "name", "") or "upload")
    return name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "upload"


def media_asset_upload(
    *,
    actor: User,
    unit: OrgUnit,
    uploaded_file: Any,
    alt_text: str = "",
    caption: str = "",
    credit: str = "",
    license: str = "",
    rights_note: str = "",
    rights_valid_until: date | None = None,
    captions_file: Any = None,
    request: HttpRequest | None = None,
) -> MediaAsset:
    """Check, clean and store an upload; refuses with ``ValidationError`` keyed by field."""
    _check_may_edit(actor, unit)
    name = _original_name(uploaded_file)
    processed = inspect_upload(uploaded_file, name)
    # The processed copy (memory or a temporary file) is released whatever happens next.
    with processed.file:
        captions: tuple[bytes, str] | None = None
        if captions_file:
            if processed.kind != MediaAsset.Kind.VIDEO:
                raise ValidationError(
                    {"captions_file": _("Subtitles can only be added to videos.")}
                )
            captions = captions_content(captions_file)
        sha256, size = file_sha256(processed.file)
        asset = MediaAsset(
            unit=unit,
            original_name=name,
            kind=processed.kind,
            mime_type=processed.mime_type,
            size=size,
            sha256=sha256,
            width=processed.width,
            height=processed.height,
            duration_seconds=processed.duration_seconds,
            alt_text=alt_text.strip(),
            caption=caption.strip(),
            credit=credit.strip(),
            license=license,
            rights_note=rights_note.strip(),
            rights_valid_until=rights_valid_until,
            uploaded_by=actor,
        )
        # The stored name comes from the detected format, never from the uploader's file name.
        stored_name = f"{uuid.uuid4().hex}.{FILE_EXTENSIONS[processed.mime_type]}"
        try:
            asset.file.save(stored_name, File(processed.file), save=False)
            if captions is not None:
                asset.captions_file.save(
                    f"{uuid.uuid4().hex}.{captions[1]}", ContentFile(captions[0]), save=False
                )
            with transaction.atomic():
                save_audited(
                    asset,
                    action="editorial.media.uploaded",
                    actor=actor,
                    request=request,
                    unit=unit,
                    data={
                        "kind": asset.kind,
                        "mime_type": asset.mime_type,
                        "size": asset.size,
                        "sha256": asset.sha256,
                        "original_name": name,
                    },
                    after=_snapshot,
                )
        except BaseException:
            # Files are not transactional: remove what was written for a row that never came.
            _delete_files([asset.file, asset.captions_file])
            raise
        return asset


def media_asset_update(
    *,
    actor: User,
    asset: MediaAsset,
    request: HttpRequest | None = None,
    **metadata: Any,
) -> MediaAsset:
    """Change the description and rights. ``captions_file``: a file replaces the subtitles,
    ``None`` removes them; leave the key out to keep them."""
    unknown = set(metadata) - {*METADATA_FIELDS, "captions_file"}
    if unknown:
        raise TypeError(f"Not metadata of a media asset: {', '.join(sorted(unknown))}")
    _check_may_edit(actor, asset.unit)
    before = _snapshot(asset)
    old_captions = asset.captions_file.name
    for name in METADATA_FIELDS:
        if name in metadata:
            value = metadata[name]
            setattr(asset, name, value.strip() if isinstance(value, str) else value)
    new_captions_written = False
    if "captions_file" in metadata:
        captions_file = metadata["captions_file"]
        if captions_file:
            if asset.kind != MediaAsset.Kind.VIDEO:
                raise ValidationError(
                    {"captions_file": _("Subtitles can only be added to videos.")}
                )
            content, extension = captions_content(captions_file)
            asset.captions_file.save(
                f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False
            )
            new_captions_written = True
        else:
            # An empty name, not None: the column is NOT NULL.
            asset.captions_file = ""
    after = _snapshot(asset)
    try:
        with transaction.atomic():
            # The uploader's account may have been deleted since (SET_NULL): still valid.
            asset.full_clean(exclude=["uploaded_by"])
            asset.save()
            if after != before:
                audit_about(
                    asset,
                    "editorial.media.updated",
                    actor=actor,
                    request=request,
                    before=before,
                    after=after,
                )
                media_asset_described.send(
                    sender=MediaAsset, asset=asset, actor=actor, request=request
                )
    except BaseException:
        if new_captions_written:
            _delete_files([asset.captions_file])
        raise
    if old_captions and old_captions != asset.captions_file.name:
        transaction.on_commit(lambda: asset.captions_file.storage.delete(old_captions))
    return asset


def media_asset_delete(
    *, actor: User, asset: MediaAsset, request: HttpRequest | None = None
) -> None:
    """Delete an asset nobody uses; its files go once the deletion is committed."""
    _check_may_edit(actor, asset.unit)
    with transaction.atomic():
        # Lock the row so that a post cannot pick the asset up between the check and delete.
        locked = MediaAsset.objects.select_for_update().get(pk=asset.pk)
        uses = media_asset_usage(locked).count()
        if uses:
            raise ValidationError(
                ngettext(
                    "This file is used in %(count)d post and cannot be deleted. Remove it"
                    " from that post first.",
                    "This file is used in %(count)d posts and cannot be deleted. Remove it"
                    " from those posts first.",
                    uses,
                )
                % {"count": uses}
            )
        files = [locked.file, locked.captions_file]
        files += [derivative.file for derivative in locked.derivatives.all()]
        audit_about(
            locked,
            "editorial.media.deleted",
            actor=actor,
            request=request,
            before={**_snapshot(locked), "original_name": locked.original_name},
            data={"sha256": locked.sha256, "kind": locked.kind},
        )
        locked.delete()
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files: Iterable[FieldFile]) -> None:
    for field_file in files:
        if field_file and field_file.name:
            field_file.storage.delete(field_file.name)


def media_derivative_for(asset: MediaAsset, platform: str) -> MediaDerivative | None:
    """The copy of ``asset`` that fits ``platform``, made on first use and then reused;
    ``None`` when the original fits (or cannot be fitted, see below).

    Animations are never flattened for a platform: that would silently publish a still
    where an animation was approved. They are handed over unchanged, and the adapter's
    validation reports them as too large or of the wrong type before review."""
    limits = PLATFORM_IMAGE_LIMITS.get(platform)
    if asset.kind != MediaAsset.Kind.IMAGE or limits is None or not asset.file:
        return None
    existing = MediaDerivative.objects.filter(asset=asset, platform=platform).first()
    if existing is not None:
        return existing
    if not needs_derivative(asset, limits):
        return None
    if platform != THUMBNAIL and is_animated(asset):
        return None
    data, mime_type, width, height = render_derivative(asset, limits)
    derivative = MediaDerivative(
        asset=asset,
        platform=platform,
        mime_type=mime_type,
        size=len(data),
        width=width,
        height=height,
    )
    derivative.file.save(
        f"{uuid.uuid4().hex}.{FILE_EXTENSIONS[mime_type]}", ContentFile(data), save=False
    )
    try:
        with transaction.atomic():
            derivative.full_clean(validate_constraints=False)
            derivative.save()
    except IntegrityError:
        # Another worker made the same derivative at the same moment: use theirs.
        _delete_files([derivative.file])
        return MediaDerivative.objects.get(asset=asset, platform=platform)
    return derivative


def media_item_for(asset: MediaAsset, platform: str) -> MediaItem:
    """What an adapter publishes for ``asset`` on ``platform``: the original, or a derivative
    that fits the platform's limits."""
    derivative = media_derivative_for(asset, platform)
    source: MediaAsset | MediaDerivative = derivative or asset
    # The asset's description, kind and captions; the file and its measures from what is
    # sent. The path is always read from the file (media_item leaves it empty for a missing
    # file): publishing needs the file.
    return replace(
        media_item(asset),
        path=source.file.path,
        mime_type=source.mime_type,
        size=source.size,
        width=source.width,
        height=source.height,
        public_url=media_public_url(asset, platform),
    )
