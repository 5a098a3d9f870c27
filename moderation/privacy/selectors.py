"""Reads of data protection: finding one author's data, the export of an access request,
legal holds."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AuditEntry
from channels_app.models import Channel
from moderation.evidence.selectors import legal_hold
from moderation.models import Author
from moderation.models import BlockEntry
from moderation.models import DataSubjectRequest
from moderation.models import EvidenceRecord
from moderation.models import InboxItem

EXPORT_FORMAT = "sprachrohr-data-subject-export/1"
RETENTION_LAST_RUN_KEY = "moderation.privacy.retention_last_run"


def retention_last_run() -> datetime | None:
    """When the retention task last ran, whether or not it erased anything (``None``: not
    since the cache was emptied)."""
    value = cache.get(RETENTION_LAST_RUN_KEY)
    return datetime.fromisoformat(value) if value else None


def retention_last_erasure() -> AuditEntry | None:
    """The newest retention run that erased something (its audit entry, counts only)."""
    return (
        AuditEntry.objects.filter(action="moderation.privacy.retention_applied")
        .order_by("-sequence")
        .first()
    )


def authors_matching(*, query: str, channels: QuerySet[Channel]) -> QuerySet[Author]:
    """Authors on ``channels`` whose handle, display name, profile address or platform id
    matches ``query`` (case-insensitive; a leading "@" of a handle is ignored), with the
    number of their items and block entries.

    An account pseudonymised by retention or an erasure no longer holds any of these, but
    evidence records (kept longer, with their own copy of the author) may: such an account
    is found through its evidence records that match, by the same rules."""
    query = query.strip()
    if not query:
        return Author.objects.none()
    handle = query.removeprefix("@")
    on_account = (
        Q(handle__iexact=handle)
        | Q(handle__icontains=handle)
        | Q(display_name__icontains=query)
        | Q(profile_url__iexact=query)
        | Q(remote_id=query)
    )
    in_evidence = (
        Q(content__author__handle__icontains=handle)
        | Q(content__author__display_name__icontains=query)
        | Q(content__author__profile_url__iexact=query)
        | Q(author_remote_id=query)
    )
    # Items are never deleted (only erased), so the record's item still leads to the
    # account, pseudonym and all.
    through_evidence = EvidenceRecord.objects.filter(
        in_evidence, channel__in=channels, item__isnull=False
    ).values("item__author_id")
    return (
        Author.objects.filter(
            (on_account & Q(pseudonymised_at__isnull=True)) | Q(pk__in=through_evidence),
            channel__in=channels,
        )
        .select_related("channel__unit")
        .annotate(
            item_count=Count("items", distinct=True),
            block_count=Count("blocks", distinct=True),
        )
        .order_by("channel__name", "handle", "pk")
    )


def evidence_counts(authors: list[Author]) -> dict[int, int]:
    """Evidence records per author: those of the author's items, and those recorded with
    the author's current platform id on the channel (a record outlives the item it
    secured)."""
    if not authors:
        return {}
    condition = Q(item__author_id__in=[a.pk for a in authors])
    by_remote = {(a.channel_id, a.remote_id): a.pk for a in authors}
    for channel_id, remote_id in by_remote:
        condition |= Q(channel_id=channel_id, author_remote_id=remote_id)
    records: dict[int, set[int]] = {a.pk: set() for a in authors}
    for pk, author_id, channel_id, remote_id in EvidenceRecord.objects.filter(
        condition
    ).values_list("pk", "item__author_id", "channel_id", "author_remote_id"):
        if author_id in records:
            records[author_id].add(pk)
        owner = by_remote.get((channel_id, remote_id))
        if owner is not None:
            records[owner].add(pk)
    return {author_pk: len(found) for author_pk, found in records.items()}


def authors_of_request(subject_request: DataSubjectRequest) -> QuerySet[Author]:
    return subject_request.authors.all()


def items_of_authors(authors: QuerySet[Author]) -> QuerySet[InboxItem]:
    return InboxItem.objects.filter(author__in=authors)


def evidence_of_authors(authors: QuerySet[Author]) -> QuerySet[EvidenceRecord]:
    condition = Q(item__author__in=authors)
    for channel_id, remote_id in authors.values_list("channel_id", "remote_id"):
        condition |= Q(channel_id=channel_id, author_remote_id=remote_id)
    return EvidenceRecord.objects.filter(condition).distinct()


def blocks_of_authors(authors: QuerySet[Author]) -> QuerySet[BlockEntry]:
    return BlockEntry.objects.filter(author__in=authors)


def evidence_on_legal_hold(
    records: QuerySet[EvidenceRecord], today: date | None = None
) -> QuerySet[EvidenceRecord]:
    """Records kept whatever their period or an erasure request says (the evidence
    feature's ``legal_hold``: criminally relevant while the deadline for a request to
    prosecute is open, or once a complaint was filed, until the hold is released)."""
    return records.filter(legal_hold(today or timezone.localdate()))


def requests_for_units(unit_ids: set[int]) -> QuerySet[DataSubjectRequest]:
    return (
        DataSubjectRequest.objects.filter(unit_id__in=unit_ids)
        .select_related("unit", "requested_by")
        .annotate(author_count=Count("authors"))
        .order_by("-created_at", "-id")
    )


# --- Export --------------------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def data_subject_export(subject_request: DataSubjectRequest) -> dict[str, Any]:
    """Everything stored about the request's authors: their accounts, items with revisions,
    our replies, internal notes, moderation decisions and flags, evidence records (content
    as secured), block entries with objections. A fixed number of queries, whatever the volume."""
    authors = authors_of_request(subject_request)
    items = list(
        items_of_authors(authors)
        .select_related("channel")
        .prefetch_related("revisions", "replies", "actions__rule", "flags", "notes")
        .order_by("created_at", "pk")
    )
    evidence = list(evidence_of_authors(authors).select_related("channel").order_by("created_at"))
    held = set(evidence_on_legal_hold(evidence_of_authors(authors)).values_list("pk", flat=True))
    blocks = list(
        blocks_of_authors(authors)
        .select_related("channel", "rule")
        .prefetch_related("appeals")
        .order_by("blocked_at")
    )
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "request": {
            "id": subject_request.pk,
            "reference": subject_request.reference,
            "unit": str(subject_request.unit),
            "created_at": _iso(subject_request.created_at),
            "exported_at": _iso(timezone.now()),
        },
        "authors": [
            {
                "channel": author.channel.name,
                "platform": author.channel.platform,
                "platform_id": author.remote_id,
                "handle": author.handle,
                "display_name": author.display_name,
                "profile_url": author.profile_url,
                "first_seen_at": _iso(author.first_seen_at),
                "last_seen_at": _iso(author.last_seen_at),
                "pseudonymised_at": _iso(author.pseudonymised_at),
            }
            for author in authors.select_related("channel")
        ],
        "items": [_item(item) for item in items],
        "evidence": [
            {
                "id": record.pk,
                "channel": record.channel.name,
                "created_at": _iso(record.created_at),
                "retain_until": _iso(record.retain_until),
                "criminally_relevant": record.criminal_relevant,
                "legal_hold": record.pk in held,
                "sha256": record.sha256,
                "content": record.content,
            }
            for record in evidence
        ],
        "blocks": [
            {
                "id": block.pk,
                "channel": block.channel.name,
                "rule": str(block.rule),
                "justification": block.justification,
                "status": block.status,
                "blocked_at": _iso(block.blocked_at),
                "review_due_on": _iso(block.review_due_on),
                "lifted_at": _iso(block.lifted_at),
                "lift_reason": block.lift_reason,
                "appeals": [
                    {
                        "received_at": _iso(appeal.received_at),
                        "text": appeal.text,
                        "decision": appeal.decision,
                        "decided_at": _iso(appeal.decided_at),
                        "reason": appeal.reason,
                    }
                    for appeal in block.appeals.all()
                ],
            }
            for block in blocks
        ],
    }
    data["summary"] = {
        "authors": len(data["authors"]),
        "items": len(items),
        "revisions": sum(len(i["revisions"]) for i in data["items"]),
        "replies": sum(len(i["replies"]) for i in data["items"]),
        "actions": sum(len(i["actions"]) for i in data["items"]),
        "notes": sum(len(i["notes"]) for i in data["items"]),
        "flags": sum(len(i["flags"]) for i in data["items"]),
        "evidence": len(evidence),
        "evidence_on_legal_hold": len(held),
        "blocks": len(blocks),
        "appeals": sum(len(b["appeals"]) for b in data["blocks"]),
    }
    return data


def _item(item: InboxItem) -> dict[str, Any]:
    return {
        "channel": item.channel.name,
        "platform_id": item.remote_id,
        "kind": item.kind,
        "text": item.text,
        "url": item.url,
        "created_at": _iso(item.created_at),
        "edited_at": _iso(item.edited_at),
        "deleted_on_platform_at": _iso(item.remote_deleted_at),
        "status": item.status,
        "erased_at": _iso(item.erased_at),
        "raw": item.raw,
        "revisions": [
            {
                "change": revision.change,
                "previous_text": revision.previous_text,
                "recorded_at": _iso(revision.recorded_at),
            }
            for revision in item.revisions.all()
        ],
        # Our answers to the person (without the names of the staff who wrote them).
        "replies": [
            {"text": reply.text, "status": reply.status, "sent_at": _iso(reply.sent_at)}
            for reply in item.replies.all()
        ],
        "actions": [
            {
                "kind": action.kind,
                "rule": str(action.rule) if action.rule else None,
                "justification": action.justification,
                "status": action.status,
                "created_at": _iso(action.created_at),
            }
            for action in item.actions.all()
        ],
        # Staff's internal notes about the item are data about the person too (Art. 15
        # GDPR); like replies, without the names of the staff who wrote them.
        "notes": [
            {"text": note.text, "created_at": _iso(note.created_at)} for note in item.notes.all()
        ],
        "flags": [
            {
                "kind": flag.kind,
                "code": flag.code,
                "explanation": flag.explanation,
                "evidence": flag.evidence,
                "created_at": _iso(flag.created_at),
            }
            for flag in item.flags.all()
        ],
    }
