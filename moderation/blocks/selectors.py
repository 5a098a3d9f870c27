"""Reads of the block register: the entries a user may see (filtered, O(page)), what is due
for review, the to-dos on the platforms, an item's author's block, and what is past its
retention."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.db.models import Exists
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Role
from accounts.models import User
from channels_app.models import Channel
from moderation.common.permissions import channels_for_reading
from moderation.common.selectors import settings_for_units
from moderation.models import Author
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from moderation.models import BlockReview
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import ModerationAction

S = BlockEntry.Status
P = BlockEntry.PlatformStatus

# A platform call due longer ago than this and not carried out was lost (a worker died, the
# broker dropped the message): the sweep queues it again.
STALE_PENDING = timedelta(minutes=10)


class Filter:
    ACTIVE = "active"
    LIFTED = "lifted"
    DUE = "due"
    TODO = "todo"  # something to do by hand, or failed, on the platform
    ALL = "all"

    CHOICES = (ACTIVE, DUE, TODO, LIFTED, ALL)


def _with_relations(blocks: QuerySet[BlockEntry]) -> QuerySet[BlockEntry]:
    return blocks.select_related(
        "channel__unit",
        "author",
        "rule__netiquette",
        "blocked_by",
        "lifted_by",
        "platform_confirmed_by",
        "item",
    )


def blocks_for_user(user: User) -> QuerySet[BlockEntry]:
    """Every entry on a channel the user may read (community managers and auditors)."""
    return _with_relations(
        BlockEntry.objects.filter(channel_id__in=channels_for_reading(user).values("pk"))
    )


def block_for_user(user: User, pk: int) -> BlockEntry | None:
    return blocks_for_user(user).filter(pk=pk).first()


def blocks_filtered(
    user: User, *, status: str = Filter.ACTIVE, channel_id: int | None = None
) -> QuerySet[BlockEntry]:
    """The register as a list: active (newest first), due for review (oldest date first),
    platform to-dos, lifted, or everything."""
    blocks = blocks_for_user(user)
    if channel_id is not None:
        blocks = blocks.filter(channel_id=channel_id)
    today = timezone.localdate()
    if status == Filter.ACTIVE:
        return blocks.filter(status=S.ACTIVE).order_by("-blocked_at", "-pk")
    if status == Filter.DUE:
        return blocks.filter(status=S.ACTIVE, review_due_on__lte=today).order_by(
            "review_due_on", "pk"
        )
    if status == Filter.TODO:
        return blocks.filter(platform_status__in=[P.MANUAL, P.FAILED]).order_by(
            "-blocked_at", "-pk"
        )
    if status == Filter.LIFTED:
        return blocks.filter(status=S.LIFTED).order_by("-lifted_at", "-pk")
    return blocks.order_by("-blocked_at", "-pk")


@dataclass(frozen=True)
class RegisterCounts:
    active: int
    due: int
    todo: int


def register_counts(user: User, *, channel_id: int | None = None) -> RegisterCounts:
    """The numbers behind the filter tabs, in one query."""
    blocks = BlockEntry.objects.filter(channel_id__in=channels_for_reading(user).values("pk"))
    if channel_id is not None:
        blocks = blocks.filter(channel_id=channel_id)
    today = timezone.localdate()
    counts = blocks.aggregate(
        active=Count("pk", filter=Q(status=S.ACTIVE)),
        due=Count("pk", filter=Q(status=S.ACTIVE, review_due_on__lte=today)),
        todo=Count("pk", filter=Q(platform_status__in=[P.MANUAL, P.FAILED])),
    )
    return RegisterCounts(**counts)


def readable_channels(user: User) -> QuerySet[Channel]:
    return channels_for_reading(user).select_related("unit").order_by("unit__path", "name")


def active_block_of(author: Author) -> BlockEntry | None:
    return (
        BlockEntry.objects.filter(author=author, channel_id=author.channel_id, status=S.ACTIVE)
        .select_related("rule__netiquette", "blocked_by")
        .first()
    )


def active_block_for_item(item: InboxItem) -> BlockEntry | None:
    """The active block of the item's author on the item's channel, if any."""
    return (
        BlockEntry.objects.filter(
            author_id=item.author_id, channel_id=item.channel_id, status=S.ACTIVE
        )
        .select_related("rule__netiquette", "blocked_by")
        .first()
    )


def blocks_due_for_review(today: date) -> QuerySet[BlockEntry]:
    """Active blocks whose review date has come and whose reminder for that date has not
    gone out yet."""
    return (
        BlockEntry.objects.filter(status=S.ACTIVE, review_due_on__lte=today)
        .filter(Q(review_reminded_on__isnull=True) | ~Q(review_reminded_on=F("review_due_on")))
        .select_related("channel__unit", "author")
        .order_by("review_due_on", "pk")
    )


def blocks_platform_stale(now: datetime) -> QuerySet[BlockEntry]:
    """Platform calls that should have run by now: pending, not claimed, and due (queued, or
    their retry's time) more than ``STALE_PENDING`` ago; or claimed by a worker that died
    that long ago. A call waiting for its retry is not stale, however old the entry."""
    cutoff = now - STALE_PENDING
    unclaimed = Q(platform_claimed_at__isnull=True)
    return BlockEntry.objects.filter(platform_status=P.PENDING).filter(
        Q(platform_claimed_at__lt=cutoff)
        | unclaimed & Q(platform_next_attempt_at__lt=cutoff)
        # An entry without a time is never waiting for anything.
        | unclaimed & Q(platform_next_attempt_at__isnull=True)
    )


def community_managers_for(channel: Channel) -> QuerySet[User]:
    """Who acts on the channel: community managers of its unit or a unit above."""
    return User.objects.filter(
        is_active=True,
        role_assignments__role=Role.COMMUNITY_MANAGER,
        role_assignments__unit_id__in=channel.unit.ancestor_ids,
    ).distinct()


def block_decision(block: BlockEntry) -> ModerationAction | None:
    """The moderation decision the block rests on (with why hiding was not enough); none for
    an entry made before every block was a decision."""
    return (
        ModerationAction.objects.filter(kind=ModerationAction.Kind.BLOCK, details__block=block.pk)
        .order_by("pk")
        .first()
    )


def block_reviews(block: BlockEntry) -> QuerySet[BlockReview]:
    return block.reviews.select_related("reviewed_by").order_by("-reviewed_at", "-pk")


def block_appeals(block: BlockEntry) -> QuerySet[BlockAppeal]:
    return block.appeals.select_related("recorded_by", "decided_by").order_by("-received_at", "-pk")


def appeals_for_user(user: User) -> QuerySet[BlockAppeal]:
    return BlockAppeal.objects.filter(
        block__channel_id__in=channels_for_reading(user).values("pk")
    ).select_related("block__channel", "block__blocked_by", "recorded_by", "decided_by")


@dataclass(frozen=True)
class HistoryEvent:
    """One line of an entry's history, newest first on the page."""

    at: datetime
    kind: str  # blocked, platform, review, appeal, decision, lifted
    who: User | None
    text: str
    extra: dict[str, Any] = field(default_factory=dict)


def block_history(
    block: BlockEntry, reviews: list[BlockReview], appeals: list[BlockAppeal]
) -> list[HistoryEvent]:
    """What happened to the entry, from its own rows (the audit log has the same, with
    before/after; this is the register's readable account)."""
    events = [HistoryEvent(block.blocked_at, "blocked", block.blocked_by, block.justification)]
    if block.platform_done_at is not None and block.platform_status == P.DONE:
        events.append(
            HistoryEvent(block.platform_done_at, "platform", block.platform_confirmed_by, "")
        )
    events.extend(
        HistoryEvent(
            review.reviewed_at,
            "review",
            review.reviewed_by,
            review.justification,
            {"next_due_on": review.next_due_on, "previous_due_on": review.previous_due_on},
        )
        for review in reviews
    )
    for appeal in appeals:
        events.append(HistoryEvent(appeal.received_at, "appeal", appeal.recorded_by, appeal.text))
        if appeal.decided_at is not None:
            events.append(
                HistoryEvent(
                    appeal.decided_at,
                    "decision",
                    appeal.decided_by,
                    appeal.reason,
                    {"decision": appeal.get_decision_display()},
                )
            )
    if block.lifted_at is not None:
        events.append(HistoryEvent(block.lifted_at, "lifted", block.lifted_by, block.lift_reason))
    return sorted(events, key=lambda event: event.at, reverse=True)


def evidence_of_register_entries(records: QuerySet[EvidenceRecord]) -> QuerySet[EvidenceRecord]:
    """Of ``records``, those a block entry rests on. They stay as long as the entry is in the
    register (active, or lifted and within the unit's ``block_retention_days``), whatever
    their own date says: the register documents a restriction with them, and a block kept
    by its reviews may last longer than any evidence period."""
    return records.filter(Exists(BlockEntry.objects.filter(evidence=OuterRef("pk"))))


def blocks_past_retention(now: datetime) -> QuerySet[BlockEntry]:
    """Lifted entries kept longer than their unit's ``block_retention_days`` after the
    unblocking: the one rule, applied by the privacy feature's retention run, which deletes
    them. Two queries for the units' settings, then one for the result."""
    lifted_channels = (
        Channel.objects.filter(blocks__status=S.LIFTED).select_related("unit").distinct()
    )
    channel_units = {channel.pk: channel.unit for channel in lifted_channels}
    settings = settings_for_units({unit.pk: unit for unit in channel_units.values()}.values())
    condition = Q(pk__in=[])
    for channel_id, unit in channel_units.items():
        days = settings[unit.pk].block_retention_days
        condition |= Q(channel_id=channel_id, lifted_at__lt=now - timedelta(days=days))
    return BlockEntry.objects.filter(condition, status=S.LIFTED)
