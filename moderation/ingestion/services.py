"""Ingestion: pull comments, mentions and direct messages of every channel into the inbox.

One ``IngestCursor`` per channel and stream says where the next poll starts. A run:

1. is claimed atomically (``cursors_dispatch_due`` by the beat, ``cursor_fetch_now`` by a
   person): the claim time is the run's token; a run that finds another token on the row
   (a second delivery of its message, a run taking over an abandoned claim) stops before
   storing anything, so two runs never store the same page;
2. fetches a page after the stored position through ``channels_app.services``;
3. stores it in ONE transaction together with the new position (``_page_store``): a crash
   between fetch and commit leaves the old position, the page comes again, and the unique
   (channel, remote id) makes storing it twice impossible; nothing is skipped;
4. stops on an error: a rate limit or outage sets ``not_before`` (Retry-After) and keeps the
   position; an authentication error marks the channel as publishing does; an endpoint the
   platform does not offer marks the stream "not available" once (audited), and the
   dispatcher leaves it alone from then on.

Items the account wrote itself (our own replies, ``RemoteComment.by_account``) are NOT
stored: they are nobody's work, and the replies written in Sprachrohr are ``Reply`` rows of
the conversation already. A reply of a citizen to one of ours keeps ``parent_remote_id``.

Edits are kept as ``ItemRevision`` (EDITED, with the text before); hides and shows by the
platform as HIDDEN/UNHIDDEN; deletions as DELETED, setting ``remote_deleted_at`` while the
text stays (it may be evidence). A deletion of an item never stored is ignored: there is
nothing to answer, and storing a citizen's deleted words would serve no purpose.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from functools import partial

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.errors import ConflictError
from accounts.models import User
from channels_app.adapters.base import CommentPage
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import TransientError
from channels_app.models import Channel
from channels_app.services import channel_fetch_stream
from editorial.models import PostVariant
from moderation.flags.services import flags_raise
from moderation.ingestion.storable import bounded
from moderation.ingestion.storable import storable_raw
from moderation.ingestion.storable import storable_text
from moderation.ingestion.storable import storable_url
from moderation.models import Author
from moderation.models import InboxItem
from moderation.models import IngestCursor
from moderation.models import ItemRevision
from moderation.service_levels.services import items_set_deadlines
from moderation.service_levels.services import storm_check

logger = logging.getLogger(__name__)

Stream = IngestCursor.Stream
# Channels whose streams are polled: a paused channel (publishing paused by staff) still
# receives comments; a disconnected one has no credentials, one needing reconnection fails.
INGESTING_STATUSES = (Channel.Status.ACTIVE, Channel.Status.ERROR, Channel.Status.PAUSED)
# Longer than a run of MAX_PAGES_PER_RUN slow pages: only then is a claim taken over.
CLAIM_LEASE = timedelta(seconds=getattr(settings, "INGEST_CLAIM_LEASE_SECONDS", 600))
# Pages per run: a backlog is worked off in turns, so one busy channel cannot hold a worker.
MAX_PAGES_PER_RUN = getattr(settings, "INGEST_MAX_PAGES_PER_RUN", 20)
# Without a Retry-After, a failed stream is polled again after the poll interval.
KINDS = {
    "comment": InboxItem.Kind.COMMENT,
    "mention": InboxItem.Kind.MENTION,
    "message": InboxItem.Kind.MESSAGE,
}


class LostClaimError(Exception):
    """Another run holds the stream now: this one stores nothing more."""


# --- Cursors ---------------------------------------------------------------------------------


def cursors_ensure(*, channels: Iterable[Channel] | None = None) -> int:
    """One cursor per stream for every channel that is polled (new channels included);
    returns how many were created. Idempotent and safe under concurrency (the unique
    (channel, stream) absorbs a concurrent insert)."""
    if channels is None:
        channel_ids = list(
            Channel.objects.filter(status__in=INGESTING_STATUSES).values_list("pk", flat=True)
        )
    else:
        channel_ids = [c.pk for c in channels]
    existing = set(
        IngestCursor.objects.filter(channel_id__in=channel_ids).values_list("channel_id", "stream")
    )
    missing = [
        IngestCursor(channel_id=channel_id, stream=stream)
        for channel_id in channel_ids
        for stream in Stream.values
        if (channel_id, stream) not in existing
    ]
    IngestCursor.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def _due(now: datetime) -> Q:
    poll = timedelta(seconds=settings.MODERATION_POLL_SECONDS)
    return (
        Q(unavailable=False, channel__status__in=INGESTING_STATUSES)
        & (Q(not_before__isnull=True) | Q(not_before__lte=now))
        & (Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - poll))
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
    )


def cursors_dispatch_due(*, limit: int = 500) -> list[int]:
    """Claim every stream that is due and queue one ``ingest_stream`` per claim.

    The rows are locked with SKIP LOCKED and claimed in the same transaction, so two
    dispatchers running at once claim disjoint sets; the tasks are queued after commit."""
    from moderation.ingestion.tasks import ingest_stream  # tasks import this module

    cursors_ensure()
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            IngestCursor.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_due(now))
            .order_by(F("last_run_at").asc(nulls_first=True), "pk")
            .values_list("pk", flat=True)[:limit]
        )
        IngestCursor.objects.filter(pk__in=ids).update(claimed_at=now)
        for cursor_id in ids:
            transaction.on_commit(partial(ingest_stream.delay, cursor_id))
    return ids


@transaction.atomic
def cursor_fetch_now(*, actor: User, cursor: IngestCursor) -> IngestCursor:
    """A person asks for an immediate poll ("fetch now"). Refused while a run holds the
    stream or the platform asked to wait (its Retry-After is honoured for people too). A
    stream "not available" is checked once more: a setting may have changed since."""
    from moderation.ingestion.tasks import ingest_stream

    now = timezone.now()
    locked = IngestCursor.objects.select_for_update().select_related("channel").get(pk=cursor.pk)
    if locked.channel.status not in INGESTING_STATUSES:
        raise ConflictError(
            _("The channel is not connected (%(status)s): connect it first.")
            % {"status": locked.channel.get_status_display()}
        )
    if locked.claimed_at is not None and locked.claimed_at >= now - CLAIM_LEASE:
        raise ConflictError(_("This stream is being fetched right now."))
    if locked.not_before is not None and locked.not_before > now:
        raise ConflictError(
            _("The platform asked to wait until %(time)s before asking again.")
            % {"time": date_format(timezone.localtime(locked.not_before), "SHORT_DATETIME_FORMAT")}
        )
    locked.claimed_at = now
    locked.save(update_fields=["claimed_at"])
    transaction.on_commit(lambda: ingest_stream.delay(locked.pk))
    return locked


# --- One run ---------------------------------------------------------------------------------


def stream_ingest(*, cursor_id: int, session: requests.Session | None = None) -> str:
    """Run a claimed stream: fetch and store pages until the platform has no more (or
    ``MAX_PAGES_PER_RUN``); returns what happened (for logs and tests)."""
    token = timezone.now()
    # Take the claim over with this run's own token: a second delivery of the same message
    # takes it from the first run, which then stops at its next store (LostClaimError).
    if not IngestCursor.objects.filter(pk=cursor_id, claimed_at__isnull=False).update(
        claimed_at=token
    ):
        return "not_claimed"
    cursor = IngestCursor.objects.select_related("channel__unit").get(pk=cursor_id)
    channel = cursor.channel
    if channel.status not in INGESTING_STATUSES:
        # Disconnected or waiting for reconnection since the claim: nothing to ask (and a
        # call without credentials must not mark a disconnected channel as failing).
        _release(cursor_id, token)
        return "channel_inactive"
    position = cursor.cursor or None
    stored_any = False
    more = False
    try:
        for _page in range(MAX_PAGES_PER_RUN):
            try:
                page = channel_fetch_stream(channel, cursor.stream, position, session=session)
            except NotSupportedError as error:
                _unavailable(cursor_id, token, error.message)
                return "unavailable"
            except AuthenticationError as error:
                # The channel is marked for reconnection (channel_fetch_stream); the stream
                # waits for that like every stream of the channel.
                _failed(cursor_id, token, error.message)
                return "authentication"
            except TransientError as error:
                wait = error.retry_after
                _failed(
                    cursor_id,
                    token,
                    error.message,
                    not_before=timezone.now() + timedelta(seconds=wait) if wait else None,
                )
                return "transient"
            except PlatformError as error:
                _failed(cursor_id, token, error.message)
                return "failed"
            stored = _page_store(cursor_id, token, position, page)
            stored_any = stored_any or bool(stored.created)
            position = page.next_cursor or position
            more = page.has_more
            if not more:
                break
    except LostClaimError:
        return "lost_claim"
    except Exception:
        # A bug or an answer of an unexpected shape: recorded, and the claim released so
        # that the next turn tries again (nothing was stored past the last committed page).
        logger.exception("Ingesting stream %s failed unexpectedly", cursor_id)
        _failed(cursor_id, token, _("An unexpected error occurred while fetching."))
        return "error"
    finally:
        if stored_any:
            storm_check(channel=channel)
    _succeeded(cursor_id, token, more=more)
    return "ok"


def _locked(cursor_id: int, token: datetime) -> IngestCursor:
    cursor = IngestCursor.objects.select_for_update().select_related("channel").get(pk=cursor_id)
    if cursor.claimed_at != token:
        raise LostClaimError(cursor_id)
    return cursor


@transaction.atomic
def _page_store(
    cursor_id: int, token: datetime, position: str | None, page: CommentPage
) -> StoreResult:
    cursor = _locked(cursor_id, token)
    if (cursor.cursor or None) != position:
        raise LostClaimError(cursor_id)  # defensive: only the token holder moves it
    result = items_store(channel=cursor.channel, items=page.items, removed=page.removed)
    update = ["items_total"]
    if page.next_cursor:
        cursor.cursor = page.next_cursor
        update.append("cursor")
    cursor.items_total += len(result.created)
    cursor.save(update_fields=update)
    if result.created or result.edited:
        flags_raise(items=[*result.created, *result.edited])
    if result.created:
        items_set_deadlines(items=result.created)
    return result


@transaction.atomic
def _succeeded(cursor_id: int, token: datetime, *, more: bool = False) -> None:
    """``more``: the run stopped at its page limit with a backlog left; the stream is due
    again at the next dispatch instead of after the poll interval."""
    cursor = _locked(cursor_id, token)
    now = timezone.now()
    cursor.last_success_at = now
    cursor.last_run_at = now - timedelta(seconds=settings.MODERATION_POLL_SECONDS) if more else now
    cursor.last_error = ""
    cursor.not_before = None
    cursor.claimed_at = None
    cursor.unavailable, cursor.unavailable_reason = False, ""
    cursor.save(
        update_fields=[
            "last_run_at",
            "last_success_at",
            "last_error",
            "not_before",
            "claimed_at",
            "unavailable",
            "unavailable_reason",
        ]
    )


@transaction.atomic
def _release(cursor_id: int, token: datetime) -> None:
    IngestCursor.objects.filter(pk=cursor_id, claimed_at=token).update(claimed_at=None)


@transaction.atomic
def _failed(
    cursor_id: int, token: datetime, message: str, *, not_before: datetime | None = None
) -> None:
    try:
        cursor = _locked(cursor_id, token)
    except LostClaimError:
        return
    cursor.last_run_at = timezone.now()
    cursor.last_error = message[:2000]
    cursor.not_before = not_before
    cursor.claimed_at = None
    cursor.save(update_fields=["last_run_at", "last_error", "not_before", "claimed_at"])
    logger.info("Ingesting %s failed: %s", cursor, message)


@transaction.atomic
def _unavailable(cursor_id: int, token: datetime, reason: str) -> None:
    """Reported once: the audit entry is written when the stream becomes unavailable, not
    again when a person's "fetch now" finds it still so."""
    try:
        cursor = _locked(cursor_id, token)
    except LostClaimError:
        return
    was_unavailable = cursor.unavailable
    cursor.last_run_at = timezone.now()
    cursor.unavailable, cursor.unavailable_reason = True, reason[:2000]
    cursor.last_error = ""
    cursor.claimed_at = None
    cursor.save(
        update_fields=[
            "last_run_at",
            "unavailable",
            "unavailable_reason",
            "last_error",
            "claimed_at",
        ]
    )
    if not was_unavailable:
        audit_log(
            action="moderation.ingestion.stream_unavailable",
            target=cursor.channel,
            unit=cursor.channel.unit,
            data={"stream": cursor.stream, "reason": cursor.unavailable_reason},
        )


# --- Storing ---------------------------------------------------------------------------------


@dataclass
class StoreResult:
    created: list[InboxItem] = field(default_factory=list)
    edited: list[InboxItem] = field(default_factory=list)
    revisions: list[ItemRevision] = field(default_factory=list)


def _last_by_id(items: Iterable[RemoteComment]) -> dict[str, RemoteComment]:
    """One entry per remote id (the last wins: a feed may list an item twice)."""
    return {item.remote_id: item for item in items if item.remote_id and not item.by_account}


@transaction.atomic
def items_store(
    *,
    channel: Channel,
    items: Sequence[RemoteComment],
    removed: Sequence[RemoteComment] = (),
) -> StoreResult:
    """Store a page of a channel's items: new ones inserted, known ones compared (edited,
    hidden, shown), ``removed`` (and items flagged ``deleted``) recorded as deleted.

    Race-safe without locks: items are inserted with ON CONFLICT DO NOTHING and read back;
    a row another run inserted first (the same item in the comments and the mentions
    stream) is then compared like any known item, so it is never stored twice."""
    live = _last_by_id(item for item in items if not item.deleted)
    gone = _last_by_id([*removed, *(item for item in items if item.deleted)])
    for remote_id in gone:
        live.pop(remote_id, None)
    result = StoreResult()
    if not live and not gone:
        return result
    known = {
        item.remote_id: item
        for item in InboxItem.objects.filter(
            channel=channel, remote_id__in=[*live, *gone]
        ).select_related("channel")
    }
    fresh = {remote_id: item for remote_id, item in live.items() if remote_id not in known}
    if fresh:
        created, raced = _insert(channel, fresh)
        result.created = created
        known.update(raced)
    changed: dict[int, InboxItem] = {}
    now = timezone.now()
    for remote_id, remote in live.items():
        existing = known.get(remote_id)
        if existing is not None and _apply_changes(existing, remote, now, result):
            changed[existing.pk] = existing
    for remote_id, remote in gone.items():
        existing = known.get(remote_id)
        if existing is not None and existing.remote_deleted_at is None:
            result.revisions.append(
                ItemRevision(
                    item=existing,
                    change=ItemRevision.Change.DELETED,
                    previous_text=existing.text,
                    raw=storable_raw(remote.raw),
                    recorded_at=now,
                )
            )
            existing.remote_deleted_at = now
            existing.updated_at = now
            changed[existing.pk] = existing
    if changed:
        InboxItem.objects.bulk_update(
            list(changed.values()),
            ["text", "raw", "edited_at", "remote_hidden", "remote_deleted_at", "updated_at"],
        )
    ItemRevision.objects.bulk_create(result.revisions)
    return result


def _apply_changes(
    item: InboxItem, remote: RemoteComment, now: datetime, result: StoreResult
) -> bool:
    """Compare a known item with what the platform shows now; record what changed."""
    changed = False
    text = storable_text(remote.text)
    # An item whose author's data was erased (retention, erasure request) is not filled
    # with personal data again by a later edit.
    if text != item.text and item.erased_at is None:
        result.revisions.append(
            ItemRevision(
                item=item,
                change=ItemRevision.Change.EDITED,
                previous_text=item.text,
                raw=item.raw,
                recorded_at=now,
            )
        )
        item.text = text
        item.raw = storable_raw(remote.raw)
        item.edited_at = remote.edited_at or now
        result.edited.append(item)
        changed = True
    if remote.is_hidden != item.remote_hidden:
        result.revisions.append(
            ItemRevision(
                item=item,
                change=ItemRevision.Change.HIDDEN
                if remote.is_hidden
                else ItemRevision.Change.UNHIDDEN,
                previous_text=item.text,
                raw=storable_raw(remote.raw),
                recorded_at=now,
            )
        )
        item.remote_hidden = remote.is_hidden
        changed = True
    if changed:
        item.updated_at = now
    return changed


def _authors(channel: Channel, items: Iterable[RemoteComment], now: datetime) -> dict[str, int]:
    """Upsert the authors of ``items`` (names and handles as the platform shows them now);
    remote id → pk."""
    rows: dict[str, Author] = {}
    for item in items:
        # Keyed by the stored id: two raw ids may become one (an unstorable code point).
        rows[bounded(item.author_id, 255)] = Author(
            channel=channel,
            remote_id=bounded(item.author_id, 255),
            handle=bounded(item.author_handle, 255),
            display_name=bounded(item.author_name, 255),
            profile_url=storable_url(item.author_url),
            first_seen_at=now,
            last_seen_at=now,
        )
    # In key order: two runs upserting overlapping authors take the row locks in the same
    # order, so they wait for each other instead of deadlocking.
    Author.objects.bulk_create(
        [rows[key] for key in sorted(rows)],
        update_conflicts=True,
        unique_fields=["channel", "remote_id"],
        update_fields=["handle", "display_name", "profile_url", "last_seen_at"],
    )
    return dict(
        Author.objects.filter(
            channel=channel, remote_id__in=[a.remote_id for a in rows.values()]
        ).values_list("remote_id", "pk")
    )


def _insert(
    channel: Channel, fresh: dict[str, RemoteComment]
) -> tuple[list[InboxItem], dict[str, InboxItem]]:
    """Insert ``fresh`` items; returns (created, raced): those this call inserted, and those
    a concurrent run inserted first (recognised by ``ingested_at``, this call's stamp)."""
    stamp = timezone.now()
    authors = _authors(channel, fresh.values(), stamp)
    post_ids = {item.post_remote_id for item in fresh.values() if item.post_remote_id}
    variants = dict(
        PostVariant.objects.filter(channel=channel, remote_id__in=post_ids).values_list(
            "remote_id", "pk"
        )
    )
    rows = []
    for remote_id, remote in fresh.items():
        rows.append(
            InboxItem(
                channel=channel,
                remote_id=remote_id[:255],
                kind=KINDS.get(str(remote.kind), InboxItem.Kind.COMMENT),
                variant_id=variants.get(remote.post_remote_id),
                post_remote_id=remote.post_remote_id[:255],
                parent_remote_id=remote.parent_remote_id[:255],
                author_id=authors[bounded(remote.author_id, 255)],
                text=storable_text(remote.text),
                url=storable_url(remote.url),
                raw=storable_raw(remote.raw),
                created_at=remote.created_at or stamp,
                ingested_at=stamp,
                updated_at=stamp,
                edited_at=remote.edited_at,
                remote_hidden=remote.is_hidden,
            )
        )
    rows.sort(key=lambda row: row.remote_id)  # lock order, as for the authors
    InboxItem.objects.bulk_create(rows, ignore_conflicts=True)
    created: list[InboxItem] = []
    raced: dict[str, InboxItem] = {}
    for item in InboxItem.objects.filter(channel=channel, remote_id__in=list(fresh)).select_related(
        "channel"
    ):
        if item.ingested_at == stamp:
            created.append(item)
        else:
            raced[item.remote_id] = item
    _link_parents(channel, created)
    return created, raced


def _link_parents(channel: Channel, created: list[InboxItem]) -> None:
    """Thread context both ways: a new item finds its parent, and items that arrived before
    their parent (another page, another stream) find it now."""
    if not created:
        return
    by_remote = {item.remote_id: item for item in created}
    wanted = {item.parent_remote_id for item in created if item.parent_remote_id}
    parents = dict(
        InboxItem.objects.filter(channel=channel, remote_id__in=wanted).values_list(
            "remote_id", "pk"
        )
    )
    linked = []
    for item in created:
        parent_id = parents.get(item.parent_remote_id)
        if parent_id is not None and parent_id != item.pk:
            item.parent_id = parent_id
            linked.append(item)
    for orphan in InboxItem.objects.filter(
        channel=channel, parent__isnull=True, parent_remote_id__in=list(by_remote)
    ).exclude(pk__in=[item.pk for item in linked]):
        orphan.parent_id = by_remote[orphan.parent_remote_id].pk
        linked.append(orphan)
    if linked:
        InboxItem.objects.bulk_update(linked, ["parent"])
