"""What records.json holds: one function per kind of record, each returning the JSON the
schema ``docs/records-export.schema.json`` describes, and the paths of the files in the ZIP
the records name. Times are Berlin time with their offset; a figure ``None`` stays ``null``
("not provided by this platform")."""

from __future__ import annotations

import re
from datetime import date
from datetime import datetime
from typing import Any

from django.utils import timezone

from accounts.audit import audit_action_label
from accounts.audit_checkpoints.services import checkpoint_text
from accounts.models import AuditCheckpoint
from accounts.models import AuditEntry
from accounts.models import User
from analytics.models import POST_METRIC_FIELDS
from analytics.models import PostMetricSnapshot
from analytics.models import RecordsExport
from channels_app.models import Channel
from editorial.models import Approval
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostVariant
from moderation.models import ModerationAction

SCHEMA_VERSION = "1.1"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name that is the same on every system an e-file may unpack it on."""
    cleaned = _UNSAFE.sub("_", name).strip("._")[:80]
    return cleaned or "file"


def media_path(asset: MediaAsset) -> str:
    return f"media/{asset.pk}/{safe_name(asset.original_name)}"


def captions_path(asset: MediaAsset) -> str:
    return f"media/{asset.pk}/captions.vtt"


def post_pdf_path(post_id: int) -> str:
    return f"posts/{post_id}.pdf"


def time_text(value: datetime | None) -> str | None:
    """An instant in Berlin time with its offset (unambiguous, and what the office reads)."""
    return timezone.localtime(value).isoformat() if value is not None else None


def day_text(value: date) -> str:
    return value.isoformat()


def person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.full_name, "email": user.email}


# --- The JSON records ---------------------------------------------------------------------------


def channel_record(channel: Channel) -> dict[str, Any]:
    return {
        "id": channel.pk,
        "name": channel.name,
        "platform": channel.platform,
        "handle": channel.handle,
        "profile_url": channel.profile_url,
        "unit": {"id": channel.unit_id, "name": channel.unit.name},
        "sandbox": channel.is_sandbox,
    }


def media_record(asset: MediaAsset) -> dict[str, Any]:
    return {
        "id": asset.pk,
        "file": media_path(asset),
        "original_name": asset.original_name,
        "kind": asset.kind,
        "mime_type": asset.mime_type,
        "size": asset.size,
        "sha256": asset.sha256,
        "width": asset.width,
        "height": asset.height,
        "alt_text": asset.alt_text,
        "caption": asset.caption,
        "captions_file": captions_path(asset) if asset.captions_file else None,
        "credit": asset.credit,
        "license": asset.license,
        "rights_note": asset.rights_note,
        "rights_valid_until": day_text(asset.rights_valid_until)
        if asset.rights_valid_until
        else None,
    }


def variant_text(variant: PostVariant, post: Post) -> str:
    return variant.text_override or post.text


def variant_assets(variant: PostVariant, post: Post) -> list[MediaAsset]:
    """What the channel showed: its own media when it has them, else the post's."""
    links = variant.variant_media.all() if variant.media_override else post.post_media.all()
    return [link.asset for link in links]


def metrics_record(snapshot: PostMetricSnapshot | None) -> dict[str, Any] | None:
    """The newest reading; a figure ``null`` is one the platform does not provide."""
    if snapshot is None:
        return None
    return {
        "age_hours": snapshot.age_bucket,
        "taken_at": time_text(snapshot.taken_at),
        "insights_off": snapshot.insights_off,
        **{name: getattr(snapshot, name) for name in POST_METRIC_FIELDS},
    }


def approval_record(approval: Approval, post: Post) -> dict[str, Any]:
    return {
        "id": approval.pk,
        "approver": person(approval.approver),
        "decision": approval.decision,
        "created_at": time_text(approval.created_at),
        "content_hash": approval.content_hash,
        # The approval covers exactly what went out when its hash is the post's final one.
        "covers_approved_content": bool(post.approved_hash)
        and approval.content_hash == post.approved_hash,
        "is_current": approval.is_current,
        "is_emergency": approval.is_emergency,
        "comment": approval.comment,
    }


def action_record(action: ModerationAction) -> dict[str, Any]:
    """A decision on a reply. The reply's text and author are not copied (data
    minimisation): the evidence record it cites holds them, referenced by id and hash."""
    item = action.item
    rule = action.rule
    evidence = action.evidence
    return {
        "id": action.pk,
        "variant_id": item.variant_id,
        "item": {
            "id": item.pk,
            "kind": item.kind,
            "remote_id": item.remote_id,
            "url": item.url,
            "created_at": time_text(item.created_at),
        },
        "kind": action.kind,
        "status": action.status,
        "rule": None
        if rule is None
        else {
            "id": rule.pk,
            "number": rule.number,
            "title": rule.title,
            "netiquette_id": rule.netiquette_id,
            "netiquette_version": rule.netiquette.version,
        },
        "justification": action.justification,
        "why_not_milder": action.why_not_milder,
        "actor": person(action.actor),
        "created_at": time_text(action.created_at),
        "finished_at": time_text(action.finished_at),
        "evidence": None
        if evidence is None
        else {
            "id": evidence.pk,
            "sha256": evidence.sha256,
            "created_at": time_text(evidence.created_at),
        },
    }


def audit_record(entry: AuditEntry) -> dict[str, Any]:
    target_type = entry.target_type
    return {
        "sequence": entry.sequence,
        "created_at": time_text(entry.created_at),
        "action": entry.action,
        "action_label": audit_action_label(entry.action),
        "actor": entry.actor_label,
        "target_type": f"{target_type.app_label}.{target_type.model}" if target_type else None,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "unit_id": entry.unit_id,
        "data": entry.data,
        "previous_hash": entry.previous_hash,
        "entry_hash": entry.entry_hash,
        "key_id": entry.key_id,
    }


def checkpoint_record(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    return {
        "sequence": checkpoint.sequence,
        "entry_hash": checkpoint.entry_hash,
        "created_at": time_text(checkpoint.created_at),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
        "text": checkpoint_text(checkpoint),
    }


def post_record(
    post: Post,
    snapshots: dict[int, PostMetricSnapshot],
    actions: list[ModerationAction],
) -> dict[str, Any]:
    variants = scoped_variants(post)
    return {
        "id": post.pk,
        "title": post.title,
        "unit": {"id": post.unit_id, "name": post.unit.name},
        "topic": post.topic.name if post.topic else None,
        "author": person(post.author),
        "created_at": time_text(post.created_at),
        "status": post.status,
        "text": post.text,
        "website_link": post.website_link,
        "content_warning": post.content_warning,
        "is_emergency": post.is_emergency,
        "approved_at": time_text(post.approved_at),
        "approved_hash": post.approved_hash or None,
        "approvals": [approval_record(a, post) for a in post.approvals.all()],
        "media": [link.asset_id for link in post.post_media.all()],
        "variants": [
            {
                "id": variant.pk,
                "channel_id": variant.channel_id,
                "sandbox": variant.channel.is_sandbox,
                "status": variant.status,
                "published_at": time_text(variant.published_at),
                "remote_id": variant.remote_id,
                "remote_url": variant.remote_url,
                "text": variant_text(variant, post),
                "own_text": bool(variant.text_override),
                "media": [asset.pk for asset in variant_assets(variant, post)],
                "metrics": metrics_record(snapshots.get(variant.pk)),
            }
            for variant in variants
        ],
        "moderation": [action_record(action) for action in actions],
        "pdf": post_pdf_path(post.pk),
    }


def scoped_variants(post: Post) -> list[PostVariant]:
    """The post's variants in the export's scope (``selectors.posts_with_records``)."""
    return post.variants_in_scope  # type: ignore[attr-defined]


def scope_record(export: RecordsExport) -> dict[str, Any]:
    return {
        "unit": {"id": export.unit_id, "name": export.unit.name},
        "channel": channel_record(export.channel) if export.channel else None,
        "period": {"start": day_text(export.period_start), "end": day_text(export.period_end)},
    }
