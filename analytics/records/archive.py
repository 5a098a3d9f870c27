"""The records export's ZIP: what it holds and how it is written.

Layout (documented in docs/analytics.md, "Records export"; the JSON's schema is
``docs/records-export.schema.json``)::

    manifest.json            SHA-256 and size of every other file, schema version, scope
    records.json             the posts with approvals, variants, media, metrics, moderation
                             decisions, the audit entries about them and the latest checkpoints
    index.html               self-contained overview linking every post PDF and media file
    posts/<post id>.pdf      one accessible PDF per post
    media/<asset id>/<name>  the original files (and subtitles) as uploaded
    audit/checkpoints.txt    the signed audit checkpoints as e-mailed (``audit_verify --anchor``)

Everything is read in batches of posts (``selectors.posts_with_records``) and streamed into
the ZIP, so memory stays flat however many posts and media an export has; only the JSON
records are kept until the end."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import IO
from typing import Any
from zipfile import ZIP_DEFLATED
from zipfile import ZIP_STORED
from zipfile import ZipFile
from zipfile import ZipInfo

from django.conf import settings
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.audit_checkpoints.selectors import latest_checkpoints
from analytics.common.pdf import StoredFile
from analytics.common.pdf import file_url
from analytics.common.pdf import render_pdf
from analytics.metrics.selectors import latest_snapshots
from analytics.models import POST_METRIC_FIELDS
from analytics.models import PostMetricSnapshot
from analytics.models import RecordsExport
from analytics.records import selectors
from analytics.records.json_records import SCHEMA_VERSION
from analytics.records.json_records import audit_record
from analytics.records.json_records import captions_path
from analytics.records.json_records import channel_record
from analytics.records.json_records import checkpoint_record
from analytics.records.json_records import media_path
from analytics.records.json_records import media_record
from analytics.records.json_records import person
from analytics.records.json_records import post_pdf_path
from analytics.records.json_records import post_record
from analytics.records.json_records import scope_record
from analytics.records.json_records import scoped_variants
from analytics.records.json_records import time_text
from analytics.records.json_records import variant_assets
from analytics.records.json_records import variant_text
from editorial.models import Approval
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostVariant
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import ModerationAction

MANIFEST_FILE = "manifest.json"
RECORDS_FILE = "records.json"
INDEX_FILE = "index.html"
CHECKPOINTS_FILE = "audit/checkpoints.txt"
BATCH_SIZE = 25
# The images WeasyPrint draws into a post's PDF; other media (videos) are listed there.
PDF_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# Already compressed: deflating them again costs time for nothing.
_STORED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp4", ".mov", ".webm")


@dataclass
class _ZipWriter:
    """Writes members and remembers each one's SHA-256 and size for the manifest."""

    zip: ZipFile
    date_time: tuple[int, int, int, int, int, int]
    files: list[dict[str, Any]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def _info(self, name: str) -> ZipInfo:
        info = ZipInfo(name, date_time=self.date_time)
        info.compress_type = ZIP_STORED if name.lower().endswith(_STORED_SUFFIXES) else ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def add(self, name: str, chunks: Iterable[bytes]) -> None:
        if name in self.names:  # a media file shared by several posts is filed once
            return
        digest = hashlib.sha256()
        size = 0
        with self.zip.open(self._info(name), "w", force_zip64=True) as member:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                member.write(chunk)
        self.names.add(name)
        self.files.append({"path": name, "sha256": digest.hexdigest(), "size": size})


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def _file_chunks(field_file: Any) -> Iterator[bytes]:
    with field_file.open("rb") as handle:
        yield from iter(lambda: handle.read(1024 * 1024), b"")


@dataclass(frozen=True)
class VariantView:
    """One channel's variant as the post's PDF shows it."""

    variant: PostVariant
    text: str
    assets: list[MediaAsset]
    metrics: list[tuple[str, int | None]]
    snapshot: PostMetricSnapshot | None


def _label(name: str) -> Any:
    field = PostMetricSnapshot._meta.get_field(name)
    return getattr(field, "verbose_name", name)


def _metric_rows(snapshot: PostMetricSnapshot | None) -> list[tuple[str, int | None]]:
    if snapshot is None:
        return []
    return [(str(_label(name)), getattr(snapshot, name)) for name in POST_METRIC_FIELDS]


def _post_pdf(
    export: RecordsExport,
    post: Post,
    variants: list[VariantView],
    actions: list[ModerationAction],
    language: str,
) -> bytes:
    assets = {asset.pk: asset for view in variants for asset in view.assets}
    files = {
        f"media-{asset.pk}": StoredFile(asset.file)
        for asset in assets.values()
        if asset.mime_type in PDF_IMAGE_TYPES
    }
    summary: dict[str, int] = {}
    for action in actions:
        label = str(action.get_kind_display())
        summary[label] = summary.get(label, 0) + 1
    return render_pdf(
        "analytics/records/post_pdf.html",
        {
            "export": export,
            "post": post,
            "approvals": list(post.approvals.all()),
            "actions": actions,
            "moderation_summary": sorted(summary.items()),
            # Per channel its variant and each medium with the PDF's address of the image
            # (empty: not drawn, e.g. a video).
            "variants": [
                (
                    view,
                    [
                        (
                            asset,
                            file_url(f"media-{asset.pk}") if f"media-{asset.pk}" in files else "",
                        )
                        for asset in view.assets
                    ],
                )
                for view in variants
            ],
        },
        language=language,
        files=files,
    )


ProgressCallback = Callable[[int, int], None]


@dataclass
class _Batch:
    """One batch of posts with what their records need, read in a fixed number of queries."""

    posts: list[Post]
    snapshots: dict[int, PostMetricSnapshot]
    actions: list[ModerationAction]

    @classmethod
    def read(cls, post_ids: list[int], variants: Any) -> _Batch:
        posts = selectors.posts_with_records(post_ids, variants)
        variant_ids = [v.pk for post in posts for v in scoped_variants(post)]
        return cls(
            posts=posts,
            snapshots=latest_snapshots(variant_ids),
            actions=selectors.moderation_actions(variant_ids),
        )

    def actions_of(self, post: Post) -> list[ModerationAction]:
        variant_ids = {v.pk for v in scoped_variants(post)}
        return [a for a in self.actions if a.item.variant_id in variant_ids]

    def audited_objects(self) -> dict[type[Model], Iterable[int]]:
        """Every object of the batch whose audit entries belong to the record."""
        variants = [v for post in self.posts for v in scoped_variants(post)]
        return {
            Post: [post.pk for post in self.posts],
            PostVariant: [v.pk for v in variants],
            Approval: [a.pk for post in self.posts for a in post.approvals.all()],
            MediaAsset: {link.asset_id for post in self.posts for link in post.post_media.all()}
            | {link.asset_id for v in variants for link in v.variant_media.all()},
            InboxItem: {action.item_id for action in self.actions},
            ModerationAction: [action.pk for action in self.actions],
            EvidenceRecord: {a.evidence_id for a in self.actions if a.evidence_id is not None},
        }


@dataclass
class _ArchiveBuilder:
    export: RecordsExport
    writer: _ZipWriter
    language: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    media: dict[int, dict[str, Any]] = field(default_factory=dict)
    channels: dict[int, dict[str, Any]] = field(default_factory=dict)
    audit: dict[int, dict[str, Any]] = field(default_factory=dict)

    def add_asset(self, asset: MediaAsset) -> None:
        if asset.pk in self.media:
            return
        self.media[asset.pk] = media_record(asset)
        self.writer.add(media_path(asset), _file_chunks(asset.file))
        if asset.captions_file:
            self.writer.add(captions_path(asset), _file_chunks(asset.captions_file))

    def add_post(self, post: Post, batch: _Batch) -> None:
        actions = batch.actions_of(post)
        views = []
        for variant in scoped_variants(post):
            self.channels.setdefault(variant.channel_id, channel_record(variant.channel))
            snapshot = batch.snapshots.get(variant.pk)
            views.append(
                VariantView(
                    variant=variant,
                    text=variant_text(variant, post),
                    assets=variant_assets(variant, post),
                    metrics=_metric_rows(snapshot),
                    snapshot=snapshot,
                )
            )
        for link in post.post_media.all():
            self.add_asset(link.asset)
        for view in views:
            for asset in view.assets:
                self.add_asset(asset)
        pdf = _post_pdf(self.export, post, views, actions, self.language)
        self.writer.add(post_pdf_path(post.pk), [pdf])
        self.posts.append(post_record(post, batch.snapshots, actions))

    def add_audit_entries(self, batch: _Batch) -> None:
        for entry in selectors.audit_entries_about(batch.audited_objects()):
            self.audit.setdefault(entry.sequence, audit_record(entry))


def write_archive(
    export: RecordsExport, target: IO[bytes], *, on_progress: ProgressCallback
) -> int:
    """The export's ZIP into ``target``; ``on_progress(done, total)`` after each post.
    Returns the number of posts."""
    language = export.requested_by.language or settings.LANGUAGE_CODE
    created = timezone.localtime(export.started_at or timezone.now())
    writer = _ZipWriter(ZipFile(target, "w", allowZip64=True), created.timetuple()[:6])
    builder = _ArchiveBuilder(export=export, writer=writer, language=language)
    post_ids = selectors.post_ids_in_scope(export)
    total = len(post_ids)
    on_progress(0, total)
    variants = selectors.published_variants(export)
    for start in range(0, total, BATCH_SIZE):
        batch = _Batch.read(post_ids[start : start + BATCH_SIZE], variants)
        with translation.override(language):
            for post in batch.posts:
                builder.add_post(post, batch)
                on_progress(len(builder.posts), total)
        builder.add_audit_entries(batch)

    checkpoints = [checkpoint_record(c) for c in latest_checkpoints()]
    if checkpoints:
        text = "\n\n".join(c["text"] for c in checkpoints) + "\n"
        writer.add(CHECKPOINTS_FILE, [text.encode("utf-8")])
    scope = scope_record(export)
    channels = sorted(builder.channels.values(), key=lambda c: c["id"])
    records = {
        "schema_version": SCHEMA_VERSION,
        "export": {
            "id": export.pk,
            "created_at": time_text(created),
            "created_by": person(export.requested_by),
            "scope": scope,
            "time_zone": settings.TIME_ZONE,
        },
        "channels": channels,
        "posts": builder.posts,
        "media": sorted(builder.media.values(), key=lambda m: m["id"]),
        "audit_entries": [builder.audit[key] for key in sorted(builder.audit)],
        "audit_checkpoints": checkpoints,
    }
    writer.add(RECORDS_FILE, [_json_bytes(records)])
    writer.add(INDEX_FILE, [_index_html(export, records, language, bool(checkpoints))])
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "export_id": export.pk,
        "created_at": time_text(created),
        "created_by": person(export.requested_by),
        "scope": scope,
        "posts": total,
        "hash_algorithm": "sha256",
        "files": writer.files,
    }
    writer.add(MANIFEST_FILE, [_json_bytes(manifest)])
    writer.zip.close()
    return total


def _index_html(
    export: RecordsExport, records: dict[str, Any], language: str, with_checkpoints: bool
) -> bytes:
    channels = {channel["id"]: channel for channel in records["channels"]}
    with translation.override(language):
        return render_to_string(
            "analytics/records/archive_index.html",
            {
                "language": language,
                "records": records,
                "posts": [
                    (post, [(channels[v["channel_id"]], v) for v in post["variants"]])
                    for post in records["posts"]
                ],
                "media": records["media"],
                "checkpoints_file": CHECKPOINTS_FILE if with_checkpoints else "",
                "title": _("Records export %(number)s") % {"number": export.pk},
            },
        ).encode("utf-8")
