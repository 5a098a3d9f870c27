"""Data protection: retention of commenters' data, and data-subject requests (access and
erasure) for one author across the channels a user may moderate.

What erasure removes and what it keeps (documented on the privacy page as well):

- Items: the text, the raw platform payload and the item's address are emptied and
  ``erased_at`` set. Kept for statistics: channel, kind, timestamps, status, priority, the
  platform ids of the item and its thread (so that the item is not ingested again as new),
  response times, and the kinds and codes of flags.
- Revisions: the earlier text and payload are emptied; the kind of change and when stay.
- Flags: the explanation and the matched words (``evidence``) are emptied.
- Authors: handle, name, profile address and platform id are replaced by a pseudonym once
  none of their items, and no block entry, holds personal data any more.
- Our own replies, moderation decisions and internal notes are the authority's records and
  stay; our replies lose the author's name (display name, its longer words, handle) with
  the item. Staff write notes knowing that they are kept (they should not quote commenters).
- Evidence records and block entries (with their objections) have their own, longer periods
  and are deleted when those pass, unless a legal hold applies; an evidence record a block
  entry still in the register rests on stays with the entry.

Nothing personal is written to the audit log: counts and ids only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Value
from django.db.models.functions import Cast
from django.db.models.functions import Concat
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.audited import audit_about
from accounts.errors import ConflictError
from accounts.models import OrgUnit
from accounts.models import User
from channels_app.models import Channel
from moderation.blocks.selectors import blocks_past_retention
from moderation.blocks.selectors import evidence_of_register_entries
from moderation.common.selectors import settings_for_units
from moderation.models import Author
from moderation.models import BlockEntry
from moderation.models import DataSubjectRequest
from moderation.models import EvidenceRecord
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InternalNote
from moderation.models import ItemRevision
from moderation.models import Reply
from moderation.privacy.selectors import RETENTION_LAST_RUN_KEY
from moderation.privacy.selectors import authors_of_request
from moderation.privacy.selectors import blocks_of_authors
from moderation.privacy.selectors import data_subject_export
from moderation.privacy.selectors import evidence_of_authors
from moderation.privacy.selectors import evidence_on_legal_hold
from moderation.privacy.selectors import items_of_authors

BATCH = 500
# Items whose handling ended without ``closed_at`` (answered, no action) count from their
# last change.
_FINISHED = (
    InboxItem.Status.ANSWERED,
    InboxItem.Status.NO_ACTION,
    InboxItem.Status.CLOSED,
)
# Items still to be worked on (new, open, waiting) that nobody touched for the unit's period
# and this much longer are abandoned, not in progress: erased too, counted from their last
# activity (a change, a reply, a note), unless snoozed to a later day. A year, so that
# matters that recur yearly or wait on a long procedure are not cut short.
STALE_GRACE_DAYS = 365
_STILL_TO_DO = (InboxItem.Status.NEW, InboxItem.Status.OPEN, InboxItem.Status.PENDING)


def _abandoned(cutoff: datetime, now: datetime) -> Q:
    """Items still to be worked on without activity since ``cutoff``."""
    return (
        Q(status__in=_STILL_TO_DO, updated_at__lt=cutoff)
        & (Q(last_responded_at__isnull=True) | Q(last_responded_at__lt=cutoff))
        & (Q(snoozed_until__isnull=True) | Q(snoozed_until__lt=now))
        & ~Q(Exists(InternalNote.objects.filter(item=OuterRef("pk"), created_at__gte=cutoff)))
    )


def _pseudonym() -> Concat:
    """``pseudonym-<row id>``: unique per channel as the platform id was, and naming nobody
    (the row id leads only to rows that no longer hold personal data). Counts of distinct
    authors stay right after erasure."""
    return Concat(Value("pseudonym-"), Cast("pk", output_field=CharField()))


@dataclass
class ErasureCounts:
    items: int = 0
    revisions: int = 0
    replies: int = 0
    flags: int = 0
    authors: int = 0
    evidence: int = 0
    blocks: int = 0
    appeals: int = 0
    kept_evidence: list[int] = field(default_factory=list)
    kept_blocks: list[int] = field(default_factory=list)

    def changed(self) -> bool:
        """Whether anything was erased, pseudonymised or deleted (records kept on a legal
        hold change nothing)."""
        return any(
            (
                self.items,
                self.revisions,
                self.replies,
                self.flags,
                self.authors,
                self.evidence,
                self.blocks,
                self.appeals,
            )
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "revisions": self.revisions,
            "replies": self.replies,
            "flags": self.flags,
            "authors": self.authors,
            "evidence": self.evidence,
            "blocks": self.blocks,
            "appeals": self.appeals,
            "kept_evidence": self.kept_evidence,
            "kept_blocks": self.kept_blocks,
        }


def _erase_item_ids(item_ids: list[int], counts: ErasureCounts, now: datetime) -> None:
    for start in range(0, len(item_ids), BATCH):
        chunk = item_ids[start : start + BATCH]
        # An item and its revisions and flags are erased together or not at all.
        with transaction.atomic():
            counts.items += InboxItem.objects.filter(pk__in=chunk, erased_at__isnull=True).update(
                text="", raw={}, url="", erased_at=now, updated_at=now
            )
            counts.replies += _pseudonymise_replies(chunk)
            counts.revisions += (
                ItemRevision.objects.filter(item_id__in=chunk)
                .exclude(previous_text="", raw={})
                .update(previous_text="", raw={})
            )
            counts.flags += (
                Flag.objects.filter(item_id__in=chunk)
                .exclude(explanation="", evidence={})
                .update(explanation="", evidence={})
            )


def names_removed(text: str, names: Iterable[str]) -> str:
    """``text`` with each of ``names`` (whole words, ignoring case) replaced by "[…]":
    longest first, so a full name goes before its parts. Names shorter than three characters
    are left alone (they would take bits of other words)."""
    for name in sorted({n.strip() for n in names if len(n.strip()) >= 3}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[…]", text, flags=re.IGNORECASE)
    return text


def _pseudonymise_replies(item_ids: list[int]) -> int:
    """Our replies to the items lose the author's name: a saved reply's {name} put the
    display name in, staff may have added the handle or the surname. Replaced: the display
    name, each of its words of four letters or more, the handle with and without "@"."""
    changed = []
    for pk, text, display_name, handle in Reply.objects.filter(item_id__in=item_ids).values_list(
        "pk", "text", "item__author__display_name", "item__author__handle"
    ):
        names = [display_name, handle, f"@{handle}" if handle else ""]
        names += [word for word in display_name.split() if len(word) >= 4]
        cleaned = names_removed(text, names)
        if cleaned != text:
            changed.append(Reply(pk=pk, text=cleaned))
    Reply.objects.bulk_update(changed, ["text"])
    return len(changed)


def _pseudonymise(authors: QuerySet[Author], counts: ErasureCounts, now: datetime) -> None:
    """Authors none of whose items holds personal data and who have no block entry."""
    ready = (
        authors.filter(pseudonymised_at__isnull=True)
        .exclude(Exists(InboxItem.objects.filter(author=OuterRef("pk"), erased_at__isnull=True)))
        .exclude(Exists(BlockEntry.objects.filter(author=OuterRef("pk"))))
    )
    while True:
        batch = list(ready.values_list("pk", flat=True)[:BATCH])
        if not batch:
            return
        counts.authors += Author.objects.filter(pk__in=batch).update(
            remote_id=_pseudonym(),
            handle="",
            display_name="",
            profile_url="",
            pseudonymised_at=now,
        )


def _delete_evidence(records: QuerySet[EvidenceRecord], counts: ErasureCounts) -> None:
    ids = list(records.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        deleted, _per_model = EvidenceRecord.objects.filter(
            pk__in=ids[start : start + BATCH]
        ).delete()
        counts.evidence += deleted


def _evidence_kept(records: QuerySet[EvidenceRecord], today: date) -> list[int]:
    """Of ``records`` (due for deletion), the ids kept: on a legal hold, or resting under a
    block entry still in the register."""
    kept = evidence_on_legal_hold(records, today) | evidence_of_register_entries(records)
    return sorted(set(kept.values_list("pk", flat=True)))


def _delete_blocks(blocks: QuerySet[BlockEntry], counts: ErasureCounts) -> None:
    ids = list(blocks.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        _total, per_model = BlockEntry.objects.filter(pk__in=ids[start : start + BATCH]).delete()
        counts.blocks += per_model.get("moderation.BlockEntry", 0)
        counts.appeals += per_model.get("moderation.BlockAppeal", 0)


# --- Retention ---------------------------------------------------------------------------------


def _units_with_channels() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(pk__in=Channel.objects.values("unit_id")))


def retention_run_record(at: datetime) -> None:
    """Remember when retention last ran, for the overview page (in the cache: a run that
    erased nothing leaves no audit entry)."""
    cache.set(RETENTION_LAST_RUN_KEY, at.isoformat(), timeout=None)


def retention_apply(*, now: datetime | None = None) -> dict[str, Any]:
    """Erase what each unit's retention periods no longer allow to keep. Idempotent: a
    second run finds nothing; one audit entry per run that changed something, with counts
    only. Each batch commits
    on its own (no transaction around the run): a first run over years of data holds no
    lock for long, and a run stopped halfway leaves the rest to the next hour."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = ErasureCounts()
    units = _units_with_channels()
    unit_settings = settings_for_units(units)
    for unit in units:
        cutoff = now - timedelta(days=unit_settings[unit.pk].retention_days)
        stale_cutoff = cutoff - timedelta(days=STALE_GRACE_DAYS)
        due = InboxItem.objects.filter(channel__unit=unit, erased_at__isnull=True).filter(
            Q(closed_at__lt=cutoff)
            | Q(closed_at__isnull=True, status__in=_FINISHED, updated_at__lt=cutoff)
            | _abandoned(stale_cutoff, now)
        )
        _erase_item_ids(list(due.values_list("pk", flat=True)), counts, now)
    # The block register's own rule (lifted longer ago than the unit's period).
    _delete_blocks(blocks_past_retention(now), counts)
    # Evidence carries its own date (set from the unit's period when it was recorded, and
    # moved out to the prosecution deadline when it became criminally relevant); after the
    # block entries, so that the evidence of an entry deleted just now goes too.
    expired = EvidenceRecord.objects.filter(retain_until__lt=today)
    counts.kept_evidence = _evidence_kept(expired, today)
    _delete_evidence(expired.exclude(pk__in=counts.kept_evidence), counts)
    _pseudonymise(Author.objects.filter(items__isnull=False).distinct(), counts, now)
    summary = counts.as_dict()
    # An hourly entry saying "nothing" would bury the runs that erased something.
    if counts.changed():
        audit_log(
            action="moderation.privacy.retention_applied",
            actor_label="system",
            data={"counts": summary, "units": len(units)},
        )
    retention_run_record(now)
    return summary


# --- Data-subject requests ---------------------------------------------------------------------


@transaction.atomic
def data_subject_request_create(
    *,
    actor: User,
    unit: OrgUnit,
    kind: str,
    authors: Iterable[Author],
    reference: str = "",
    received_on: date | None = None,
    request: HttpRequest | None = None,
) -> DataSubjectRequest:
    """Record a request for the chosen authors (found by the caller among the channels the
    actor may handle), received on ``received_on`` (default today): the answer is due a
    month later. The request keeps no content of its own; audited with ids only."""
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise ValidationError({"received_on": _("A request cannot be received in the future.")})
    subject_request = DataSubjectRequest(
        unit=unit,
        kind=kind,
        reference=reference.strip(),
        requested_by=actor,
        received_on=received_on,
    )
    subject_request.full_clean()
    subject_request.save()
    authors = list(authors)
    subject_request.authors.set(authors)
    audit_log(
        action="moderation.privacy.request_recorded",
        actor=actor,
        request=request,
        target=subject_request,
        unit=unit,
        data={
            "kind": kind,
            "authors": sorted(author.pk for author in authors),
            "received_on": received_on.isoformat(),
            "due_on": subject_request.due_on.isoformat(),
        },
    )
    return subject_request


def _complete(
    subject_request: DataSubjectRequest,
    *,
    part: str,
    summary: dict[str, Any],
    completed_at: datetime,
    action: str,
    actor: User,
    request: HttpRequest | None,
) -> None:
    """Keep what was done (``part``: its counts) in the request's summary, mark the request
    completed, and audit it with the counts only: never the data itself."""
    subject_request.completed_at = completed_at
    subject_request.summary = {**subject_request.summary, part: summary}
    subject_request.save(update_fields=["completed_at", "summary"])
    audit_about(subject_request, action, actor=actor, request=request, data={"counts": summary})


@transaction.atomic
def data_subject_export_record(
    *, actor: User, subject_request: DataSubjectRequest, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Everything stored about the request's authors, as JSON-ready data. Audited with
    counts only; the request is completed by its first export."""
    export = data_subject_export(subject_request)
    _complete(
        subject_request,
        part="export",
        summary=dict(export["summary"]),
        completed_at=subject_request.completed_at or timezone.now(),
        action="moderation.privacy.access_exported",
        actor=actor,
        request=request,
    )
    return export


@transaction.atomic
def data_subject_erase(
    *, actor: User, subject_request: DataSubjectRequest, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Erase the request's authors as retention would, at once: items, revisions, flags,
    evidence records and block entries (with objections). Kept, and named in the summary:
    evidence on a legal hold (criminally relevant while the deadline for a request to
    prosecute is open, or after a complaint was filed, until the hold is released), active
    blocks (the register documents a restriction still in force: lift it first) and the
    evidence records they rest on."""
    if subject_request.kind != DataSubjectRequest.Kind.ERASURE:
        raise ConflictError(_("Only an erasure request erases data."))
    now = timezone.now()
    today = timezone.localdate(now)
    authors = authors_of_request(subject_request)
    counts = ErasureCounts()
    _erase_item_ids(list(items_of_authors(authors).values_list("pk", flat=True)), counts, now)
    blocks = blocks_of_authors(authors)
    counts.kept_blocks = list(
        blocks.filter(status=BlockEntry.Status.ACTIVE).values_list("pk", flat=True)
    )
    _delete_blocks(blocks.exclude(pk__in=counts.kept_blocks), counts)
    evidence = evidence_of_authors(authors)
    counts.kept_evidence = _evidence_kept(evidence, today)
    _delete_evidence(evidence.exclude(pk__in=counts.kept_evidence), counts)
    _pseudonymise(authors, counts, now)
    summary = counts.as_dict()
    _complete(
        subject_request,
        part="erasure",
        summary=summary,
        completed_at=now,
        action="moderation.privacy.erased",
        actor=actor,
        request=request,
    )
    return summary
