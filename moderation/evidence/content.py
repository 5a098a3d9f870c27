"""What an evidence record holds, and its hash.

The record's ``content`` is self-contained JSON (it outlives the item's erasure and any
later edit on the platform), screenshot-free:

- ``format``: ``"sprachrohr-evidence/1"``;
- ``recorded_at`` / ``recorded_by``: when and by whom it was secured;
- ``unit``, ``channel``: whose page, which platform account;
- ``item``: the text exactly as the platform sent it, kind, platform URL, absolute times
  (each as ``{"utc": ISO 8601, "europe_berlin": ISO 8601 with offset}``), whether the
  platform reported it hidden or deleted, and the raw platform payload;
- ``author``: platform id, handle, display name, profile URL;
- ``thread``: our post (remote id, text, URL) and the parent chain from the top down;
- ``revisions``: earlier texts and platform-side deletions or hidings;
- ``flags``: the automatic findings with their explanation.

**Hash.** ``sha256`` is the SHA-256 (hex) of the *canonical JSON* of ``content``:
``json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` encoded
as UTF-8, i.e. keys sorted at every level, no whitespace, non-ASCII characters as they are.
Anyone can recompute it from the exported JSON package (the ``content`` member) with any
JSON library that sorts keys and writes compact UTF-8, and compare it with ``sha256``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import User
from moderation.models import InboxItem

FORMAT = "sprachrohr-evidence/1"
BERLIN = ZoneInfo("Europe/Berlin")
HASH_RULE = (
    'SHA-256 over json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))'
    " encoded as UTF-8"
)
# How far up a reply chain the thread is recorded (a platform's own limit is far lower).
MAX_PARENTS = 50


def canonical_json(content: Any) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def content_hash(content: Any) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def normalised(content: Any) -> Any:
    """``content`` as the database gives it back (dates as strings, tuples as lists), so
    that the hash computed before saving matches the one recomputed later."""
    return json.loads(json.dumps(content, ensure_ascii=False, default=str))


def moment(value: datetime | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {
        "utc": value.astimezone(ZoneInfo("UTC")).isoformat(),
        "europe_berlin": value.astimezone(BERLIN).isoformat(),
    }


def _author(item: InboxItem) -> dict[str, Any]:
    author = item.author
    return {
        "remote_id": author.remote_id,
        "handle": author.handle,
        "display_name": author.display_name,
        "profile_url": author.profile_url,
        "pseudonymised": author.pseudonymised_at is not None,
    }


def _parents(item: InboxItem) -> list[dict[str, Any]]:
    chain: list[dict[str, Any]] = []
    seen = {item.pk}
    parent = item.parent
    while parent is not None and parent.pk not in seen and len(chain) < MAX_PARENTS:
        seen.add(parent.pk)
        chain.append(
            {
                "remote_id": parent.remote_id,
                "text": parent.text,
                "url": parent.url,
                "created_at": moment(parent.created_at),
                "author": _author(parent),
            }
        )
        parent = parent.parent
    chain.reverse()
    return chain


def _our_post(item: InboxItem) -> dict[str, Any]:
    post: dict[str, Any] = {"remote_id": item.post_remote_id, "text": None, "url": None}
    variant = item.variant
    if variant is None and item.post_remote_id:
        # Ingestion links the item to our post where it knows it; else find it by its id.
        from editorial.models import PostVariant

        variant = (
            PostVariant.objects.filter(channel_id=item.channel_id, remote_id=item.post_remote_id)
            .select_related("post")
            .first()
        )
    if variant is not None:
        post["text"] = variant.text_override or variant.post.text
        post["url"] = variant.remote_url
        post["remote_id"] = variant.remote_id or item.post_remote_id
    return post


def evidence_content(item: InboxItem, *, actor: User, recorded_at: datetime) -> dict[str, Any]:
    """Everything about the item, as JSON-ready values (see the module docstring)."""
    channel = item.channel
    unit = channel.unit
    content = {
        "format": FORMAT,
        "recorded_at": moment(recorded_at),
        "recorded_by": {"id": actor.pk, "name": str(actor), "email": actor.email},
        "unit": {"id": unit.pk, "name": unit.name},
        "channel": {
            "id": channel.pk,
            "name": channel.name,
            "platform": channel.platform,
            "account_id": channel.account_id,
            "handle": channel.handle,
        },
        "item": {
            "id": item.pk,
            "remote_id": item.remote_id,
            "kind": item.kind,
            "text": item.text,
            "url": item.url,
            "created_at": moment(item.created_at),
            "ingested_at": moment(item.ingested_at),
            "edited_at": moment(item.edited_at),
            "remote_deleted_at": moment(item.remote_deleted_at),
            "remote_hidden": item.remote_hidden,
            "raw": item.raw,
        },
        "author": _author(item),
        "thread": {
            "post": _our_post(item),
            "parent_remote_id": item.parent_remote_id,
            "parents": _parents(item),
        },
        "revisions": [
            {
                "change": revision.change,
                "previous_text": revision.previous_text,
                "raw": revision.raw,
                "recorded_at": moment(revision.recorded_at),
            }
            for revision in item.revisions.all()
        ],
        "flags": [
            {
                "kind": flag.kind,
                "code": flag.code,
                "explanation": flag.explanation,
                "evidence": flag.evidence,
                "score": flag.score,
                "created_at": moment(flag.created_at),
                "dismissed_at": moment(flag.dismissed_at),
            }
            for flag in item.flags.all()
        ],
    }
    return normalised(content)
