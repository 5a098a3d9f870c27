"""The block register: block an author on a channel, review, lift, record and decide an
objection, and carry each change out on the platform.

A block is always a moderation decision of kind block, taken through
``moderation.actions.services.action_take`` (the actions panel and the register's pages and
API alike): it rests on a rule of the Netiquette in force for the channel's unit, has a
justification, the answer why hiding is not enough and an evidence record of the item that
led to it; the entry adds a review date within ``reviews.MAX_REVIEW_MONTHS``. At most one
block per author and channel is active.

The platform side runs in a Celery task after the commit (``tasks.block_on_platform``,
``tasks.unblock_on_platform``), never in the request: the entry's ``platform_status`` says
whether the platform matches the register (blocked while the entry is active, unblocked once
lifted): PENDING (queued or being retried), DONE, FAILED (with the reason; staff may retry or
do it by hand), or MANUAL where the platform's API offers no block (or no unblock) at all:
a to-do for staff, confirmed in the register once done. A failure never loses the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.db.models import F
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.audit import audit_snapshot
from accounts.errors import ConflictError
from accounts.errors import DomainError
from accounts.errors import ErrorCode
from accounts.models import User
from accounts.notifications import notify
from channels_app.adapters.errors import NotSupportedError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import TransientError
from channels_app.services import channel_block_author
from channels_app.services import channel_unblock_author
from channels_app.services import platform_author_blocking
from moderation.blocks.permissions import user_is_second_person
from moderation.blocks.permissions import user_may_manage_block
from moderation.blocks.reviews import review_date_checked
from moderation.blocks.selectors import blocks_due_for_review
from moderation.blocks.selectors import blocks_platform_stale
from moderation.blocks.selectors import community_managers_for
from moderation.models import Author
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from moderation.models import BlockReview
from moderation.models import ModerationAction

S = BlockEntry.Status
P = BlockEntry.PlatformStatus
D = BlockAppeal.Decision

# Transient platform failures (5xx, timeouts, rate limits) are retried this often, then the
# entry is marked FAILED with the reason; staff can retry from the register.
MAX_PLATFORM_ATTEMPTS = 5
RETRY_DELAYS = (60.0, 300.0, 900.0, 3600.0)
# A worker that claimed a platform call and died: its claim lapses after this.
CLAIM_LEASE = timedelta(minutes=10)


class BlockStateError(DomainError):
    code = ErrorCode.INVALID_TRANSITION


def _snapshot(block: BlockEntry) -> dict[str, Any]:
    return audit_snapshot(
        block,
        "channel",
        "author",
        "item",
        "rule",
        "evidence",
        "justification",
        "status",
        "review_due_on",
        "platform_status",
        "blocked_on_platform",
        "lift_reason",
    )


def _audit(
    action: str,
    block: BlockEntry,
    *,
    actor: User | None,
    request: HttpRequest | None,
    before: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    target: Any = None,
) -> None:
    audit_log(
        action=action,
        actor=actor,
        request=request,
        target=target if target is not None else block,
        unit=block.channel.unit,
        before=before,
        after=_snapshot(block),
        data=data,
    )


def _lock(block: BlockEntry) -> BlockEntry:
    return (
        BlockEntry.objects.select_for_update(of=("self",))
        .select_related("channel__unit", "author", "rule__netiquette", "item")
        .get(pk=block.pk)
    )


def _require_manager(actor: User, block: BlockEntry) -> None:
    if not user_may_manage_block(actor, block):
        raise PermissionDenied(_("Only a community manager of the channel's unit may do this."))


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _queue_platform(block: BlockEntry) -> None:
    from moderation.blocks.tasks import block_on_platform
    from moderation.blocks.tasks import unblock_on_platform

    task = block_on_platform if block.status == S.ACTIVE else unblock_on_platform
    block_id = block.pk
    transaction.on_commit(lambda: task.delay(block_id))


# --- Blocking --------------------------------------------------------------------------------


@transaction.atomic
def block_create(
    *,
    decision: ModerationAction,
    review_due_on: date | None = None,
    request: HttpRequest | None = None,
) -> BlockEntry:
    """The register's side of a decision to block the item's author on the item's channel.

    A block is always a moderation decision: called only by
    ``moderation.actions.services.action_take`` (kind block), in its transaction, after it
    checked who acts, the rule in force, the justification and why hiding is not enough, and
    recorded (or was given) the evidence. The entry rests on the decision's rule,
    justification and evidence. Refused while the author is already blocked there (409) and
    for a review date out of bounds. The platform block is queued after the commit, or shown
    as a to-do where the platform's API cannot block."""
    if decision.kind != ModerationAction.Kind.BLOCK or decision.rule is None:
        raise ValueError("A block entry needs a decision of kind block with its rule.")
    item, rule, evidence, actor = decision.item, decision.rule, decision.evidence, decision.actor
    if evidence is None:
        raise ValidationError(
            {"evidence": _("Record the evidence of the item before blocking its author.")}
        )
    author = Author.objects.select_for_update().get(pk=item.author_id)
    if evidence.channel_id != item.channel_id or evidence.author_remote_id != author.remote_id:
        raise ValidationError({"evidence": _("The evidence record is not of this author.")})
    review_due_on = review_date_checked(review_due_on, today=timezone.localdate())
    if BlockEntry.objects.filter(
        author=author, channel_id=item.channel_id, status=S.ACTIVE
    ).exists():
        raise ConflictError(_("This author is already blocked on this channel."))
    can_block = platform_author_blocking(item.channel.platform).block
    now = timezone.now()
    block = BlockEntry(
        channel=item.channel,
        author=author,
        item=item,
        rule=rule,
        justification=decision.justification,
        evidence=evidence,
        blocked_by=actor,
        review_due_on=review_due_on,
        blocked_at=now,
        platform_status=P.PENDING if can_block else P.MANUAL,
        platform_next_attempt_at=now if can_block else None,
        platform_error=""
        if can_block
        else _("The platform offers no block in its API: block the author by hand there."),
    )
    block.full_clean()
    try:
        with transaction.atomic():
            block.save()
    except IntegrityError:
        # A concurrent request blocked the same author first (unique_active_block).
        raise ConflictError(_("This author is already blocked on this channel.")) from None
    _audit(
        "moderation.blocks.blocked",
        block,
        actor=actor,
        request=request,
        data={
            "author": author.pk,  # the id, not the handle: audit entries outlive an erasure
            "rule": rule.number,
            "netiquette_version": rule.netiquette.version,
            "evidence": evidence.pk,
            "decision": decision.pk,
        },
    )
    if can_block:
        _queue_platform(block)
    return block


# --- Reviewing and lifting -------------------------------------------------------------------


@transaction.atomic
def block_review(
    *,
    actor: User,
    block: BlockEntry,
    justification: str,
    review_due_on: date | None = None,
    request: HttpRequest | None = None,
) -> BlockEntry:
    """Keep the block: why it is still needed, and the next review date (within the
    maximum from today)."""
    block = _lock(block)
    _require_manager(actor, block)
    if block.status != S.ACTIVE:
        raise BlockStateError(_("Only an active block can be reviewed."))
    justification = _text(justification, "justification", _("Say why the block is still needed."))
    next_due = review_date_checked(review_due_on, today=timezone.localdate())
    before = _snapshot(block)
    review = BlockReview(
        block=block,
        reviewed_by=actor,
        previous_due_on=block.review_due_on,
        next_due_on=next_due,
        justification=justification,
    )
    review.full_clean()
    review.save()
    block.review_due_on = next_due
    block.reviewed_at = review.reviewed_at
    block.save(update_fields=["review_due_on", "reviewed_at"])
    _audit(
        "moderation.blocks.reviewed",
        block,
        actor=actor,
        request=request,
        before=before,
        data={"review": review.pk, "justification": justification},
    )
    return block


def _lift(block: BlockEntry, *, actor: User, reason: str) -> None:
    """Mark a locked, active block lifted and set what the platform must do."""
    block.status = S.LIFTED
    block.lifted_by = actor
    block.lifted_at = timezone.now()
    block.lift_reason = reason
    block.platform_confirmed_by = None
    block.platform_attempts = 0
    if platform_author_blocking(block.channel.platform).unblock:
        # Also after a block that never reached the platform (pending, failed): unblocking
        # is idempotent there, and it undoes a block whose answer was lost. A claim held by
        # a running block call stays: that call sees the change and unblocks after it.
        block.platform_status = P.PENDING
        block.platform_error = ""
        # Now, also when a retry of the block call was waiting: the unblock must not wait.
        block.platform_next_attempt_at = block.lifted_at
    else:
        block.platform_status = P.MANUAL
        block.platform_error = _(
            "The platform offers no unblock in its API: lift the block by hand there."
        )
        block.platform_next_attempt_at = None
    block.save(
        update_fields=[
            "status",
            "lifted_by",
            "lifted_at",
            "lift_reason",
            "platform_confirmed_by",
            "platform_attempts",
            "platform_status",
            "platform_error",
            "platform_next_attempt_at",
        ]
    )
    if block.platform_status == P.PENDING:
        _queue_platform(block)


@transaction.atomic
def block_lift(
    *, actor: User, block: BlockEntry, reason: str, request: HttpRequest | None = None
) -> BlockEntry:
    """Unblock, with the reason; the platform unblock is queued (or a to-do by hand)."""
    block = _lock(block)
    _require_manager(actor, block)
    if block.status != S.ACTIVE:
        raise BlockStateError(_("This author is not blocked any more."))
    reason = _text(reason, "reason", _("Say why the block is lifted."))
    before = _snapshot(block)
    _lift(block, actor=actor, reason=reason)
    _audit("moderation.blocks.lifted", block, actor=actor, request=request, before=before)
    return block


# --- The platform side -----------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformOutcome:
    """What a platform run did: ``done``, ``failed``, ``manual``, ``retry`` (transient,
    again in ``retry_in`` seconds) or ``skipped`` (nothing pending, or another worker)."""

    state: str
    retry_in: float | None = None


def _claim(block_id: int, now: datetime) -> bool:
    """Take the pending call if it is due (a retry not before its time, so a second message
    for the entry cannot bring the retry forward) and nobody holds it."""
    unclaimed_and_due = Q(platform_claimed_at__isnull=True) & (
        Q(platform_next_attempt_at__isnull=True) | Q(platform_next_attempt_at__lte=now)
    )
    return bool(
        BlockEntry.objects.filter(pk=block_id, platform_status=P.PENDING)
        .filter(unclaimed_and_due | Q(platform_claimed_at__lt=now - CLAIM_LEASE))
        .update(platform_claimed_at=now, platform_attempts=F("platform_attempts") + 1)
    )


def _platform_call(block: BlockEntry) -> None:
    channel = block.channel
    support = platform_author_blocking(channel.platform)
    author_id = block.author.remote_id
    if block.status == S.ACTIVE:
        if not support.block:
            raise NotSupportedError(_("The platform offers no block in its API."))
        comment_id = block.item.remote_id if block.item is not None else ""
        channel_block_author(channel, author_id, comment_remote_id=comment_id)
    else:
        if not support.unblock:
            raise NotSupportedError(_("The platform offers no unblock in its API."))
        channel_unblock_author(channel, author_id)


def block_platform_sync(block_id: int) -> PlatformOutcome:
    """Carry the entry's current state (blocked or lifted) out on the platform, once.

    Idempotent: only a PENDING entry is claimed (atomically, so two workers never call the
    platform for the same entry at once), and block/unblock are idempotent at the platforms.
    If the entry is lifted while the block call runs, the result is not written over the
    lift: the claim is released and the run goes again, now unblocking."""
    for _round in range(3):
        now = timezone.now()
        if not _claim(block_id, now):
            return PlatformOutcome("skipped")
        block = BlockEntry.objects.select_related("channel__unit", "author", "item").get(
            pk=block_id
        )
        direction = block.status
        outcome, values = _run_platform_call(block)
        with transaction.atomic():
            written = BlockEntry.objects.filter(
                pk=block_id, platform_claimed_at=now, status=direction
            ).update(platform_claimed_at=None, **values)
            if not written:
                # Lifted (or blocked again) meanwhile: let the next round do the new state.
                BlockEntry.objects.filter(pk=block_id, platform_claimed_at=now).update(
                    platform_claimed_at=None
                )
                continue
            if outcome.state in ("done", "failed", "manual"):
                block.refresh_from_db()
                _audit_platform(block, outcome.state, direction)
        return outcome
    return PlatformOutcome("skipped")


def _run_platform_call(block: BlockEntry) -> tuple[PlatformOutcome, dict[str, Any]]:
    blocking = block.status == S.ACTIVE
    try:
        _platform_call(block)
    except NotSupportedError as error:
        what = (
            _("block the author by hand there") if blocking else _("lift the block by hand there")
        )
        return PlatformOutcome("manual"), {
            "platform_status": P.MANUAL,
            "platform_error": f"{error.message} ({what})",
            "platform_next_attempt_at": None,
        }
    except TransientError as error:
        if block.platform_attempts < MAX_PLATFORM_ATTEMPTS:
            delay = (
                error.retry_after
                or RETRY_DELAYS[min(block.platform_attempts, len(RETRY_DELAYS)) - 1]
            )
            # Kept on the entry: the claim waits for it and the sweep does not count the
            # call as lost before it.
            return PlatformOutcome("retry", retry_in=delay), {
                "platform_error": error.message,
                "platform_next_attempt_at": timezone.now() + timedelta(seconds=delay),
            }
        return PlatformOutcome("failed"), {
            "platform_status": P.FAILED,
            "platform_error": error.message,
            "platform_next_attempt_at": None,
        }
    except PlatformError as error:
        return PlatformOutcome("failed"), {
            "platform_status": P.FAILED,
            "platform_error": error.message,
            "platform_next_attempt_at": None,
        }
    return PlatformOutcome("done"), {
        "platform_status": P.DONE,
        "platform_error": "",
        "platform_next_attempt_at": None,
        "platform_done_at": timezone.now(),
        "blocked_on_platform": blocking,
    }


def _audit_platform(block: BlockEntry, state: str, direction: str) -> None:
    action = {
        "done": "moderation.blocks.platform_done",
        "failed": "moderation.blocks.platform_failed",
        "manual": "moderation.blocks.platform_failed",
    }[state]
    _audit(
        action,
        block,
        actor=None,
        request=None,
        data={
            "direction": "block" if direction == S.ACTIVE else "unblock",
            "attempts": block.platform_attempts,
            "reason": block.platform_error,
        },
    )


@transaction.atomic
def block_platform_retry(
    *, actor: User, block: BlockEntry, request: HttpRequest | None = None
) -> BlockEntry:
    """Try the platform again after a failure (or a call that never ran)."""
    block = _lock(block)
    _require_manager(actor, block)
    stale = blocks_platform_stale(timezone.now()).filter(pk=block.pk).exists()
    if block.platform_status != P.FAILED and not stale:
        raise BlockStateError(_("Nothing to retry: the platform step is not failed."))
    before = _snapshot(block)
    block.platform_status = P.PENDING
    block.platform_attempts = 0
    block.platform_claimed_at = None
    block.platform_next_attempt_at = timezone.now()
    block.save(
        update_fields=[
            "platform_status",
            "platform_attempts",
            "platform_claimed_at",
            "platform_next_attempt_at",
        ]
    )
    _audit("moderation.blocks.platform_retried", block, actor=actor, request=request, before=before)
    _queue_platform(block)
    return block


@transaction.atomic
def block_platform_confirm(
    *, actor: User, block: BlockEntry, request: HttpRequest | None = None
) -> BlockEntry:
    """Staff did the to-do by hand on the platform (blocked, or unblocked once lifted)."""
    block = _lock(block)
    _require_manager(actor, block)
    if block.platform_status not in (P.MANUAL, P.FAILED):
        raise BlockStateError(_("There is nothing to do by hand for this entry."))
    before = _snapshot(block)
    block.platform_status = P.DONE
    block.platform_error = ""
    block.platform_confirmed_by = actor
    block.platform_done_at = timezone.now()
    block.platform_next_attempt_at = None
    block.save(
        update_fields=[
            "platform_status",
            "platform_error",
            "platform_confirmed_by",
            "platform_done_at",
            "platform_next_attempt_at",
        ]
    )
    _audit(
        "moderation.blocks.platform_confirmed",
        block,
        actor=actor,
        request=request,
        before=before,
        data={"direction": "block" if block.status == S.ACTIVE else "unblock"},
    )
    return block


def blocks_platform_requeue() -> int:
    """Sweep: queue again the platform calls that were lost (overdue and never run, or a
    dead worker's claim lapsed). A call waiting for its retry is not lost. The claim in the
    task decides, so a double queue does no harm."""
    from moderation.blocks.tasks import block_on_platform

    ids = list(blocks_platform_stale(timezone.now()).values_list("pk", flat=True)[:500])
    for block_id in ids:
        block_on_platform.delay(block_id)
    return len(ids)


# --- Reviews due -----------------------------------------------------------------------------


def block_review_reminders_send(today: date | None = None) -> int:
    """Notify the community managers of each channel's unit once per due review: the entry
    remembers the review date it reminded of (claimed with a conditional update, so two
    beat runs never remind twice); a new review date brings a new reminder."""
    today = today or timezone.localdate()
    sent = 0
    for block in blocks_due_for_review(today):
        with transaction.atomic():
            claimed = (
                BlockEntry.objects.filter(pk=block.pk, status=S.ACTIVE)
                .filter(
                    Q(review_reminded_on__isnull=True) | ~Q(review_reminded_on=block.review_due_on)
                )
                .update(review_reminded_on=block.review_due_on)
            )
            if not claimed:
                continue
            # Not the blocked person's handle: notifications are kept, and the register's
            # retention does not reach them; the link leads to the entry.
            notify(
                recipients=community_managers_for(block.channel),
                kind="moderation.block_review_due",
                context={
                    "channel": block.channel.name,
                    "due": block.review_due_on.isoformat(),
                },
                link=f"/moderation/blocks/{block.pk}/",
                unit=block.channel.unit,
            )
            sent += 1
    return sent


# --- Objections ------------------------------------------------------------------------------


@transaction.atomic
def block_appeal_record(
    *,
    actor: User,
    block: BlockEntry,
    text: str,
    received_on: date,
    request: HttpRequest | None = None,
) -> BlockAppeal:
    """Record the author's objection as received (by message, letter, e-mail); it is then
    decided by a second person. One open objection per block at a time."""
    block = _lock(block)
    _require_manager(actor, block)
    if block.status != S.ACTIVE:
        raise BlockStateError(_("The author is not blocked any more: nothing to object to."))
    text = _text(text, "text", _("Enter the objection as the author wrote it."))
    if received_on is None:
        raise ValidationError({"received_on": _("Enter the date the objection was received.")})
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": _("The date received cannot be in the future.")})
    if received_on < timezone.localtime(block.blocked_at).date():
        raise ValidationError({"received_on": _("The objection cannot predate the block.")})
    if block.appeals.filter(decision=D.OPEN).exists():
        raise ConflictError(_("An objection to this block is still waiting for its decision."))
    received_at = (
        timezone.now()
        if received_on == today
        else timezone.make_aware(datetime.combine(received_on, time(12, 0)))
    )
    appeal = BlockAppeal(block=block, received_at=received_at, text=text, recorded_by=actor)
    appeal.full_clean()
    appeal.save()
    _audit(
        "moderation.blocks.appeal_recorded",
        block,
        actor=actor,
        request=request,
        data={"appeal": appeal.pk, "received_on": received_on.isoformat()},
    )
    return appeal


@transaction.atomic
def block_appeal_decide(
    *,
    actor: User,
    appeal: BlockAppeal,
    decision: str,
    reason: str,
    request: HttpRequest | None = None,
) -> BlockAppeal:
    """Decide an objection: the block is upheld (it stays, the objection is rejected) or
    lifted (the objection is granted; the lift reason says so). Only a second person: never
    the one who blocked, never the one who recorded the objection."""
    appeal = BlockAppeal.objects.select_for_update().get(pk=appeal.pk)
    block = _lock(appeal.block)
    appeal.block = block
    _require_manager(actor, block)
    if not user_is_second_person(actor, appeal):
        raise PermissionDenied(
            _(
                "An objection is decided by a second person: not by whoever blocked the author"
                " or recorded the objection."
            )
        )
    if appeal.decision != D.OPEN:
        raise BlockStateError(_("This objection has already been decided."))
    if decision not in (D.UPHELD, D.LIFTED):
        raise ValidationError({"decision": _("Choose whether the block stays or is lifted.")})
    reason = _text(reason, "reason", _("Give the reason of the decision."))
    if block.status != S.ACTIVE and decision == D.UPHELD:
        raise BlockStateError(_("The block has been lifted meanwhile: it cannot be upheld."))
    appeal.decision = decision
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.reason = reason
    appeal.full_clean()
    appeal.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
    before = _snapshot(block)
    if decision == D.LIFTED and block.status == S.ACTIVE:
        _lift(
            block,
            actor=actor,
            reason=_("Lifted on objection: %(reason)s") % {"reason": reason},
        )
        _audit("moderation.blocks.lifted", block, actor=actor, request=request, before=before)
    _audit(
        "moderation.blocks.appeal_decided",
        block,
        actor=actor,
        request=request,
        before=before,
        data={"appeal": appeal.pk, "decision": decision, "reason": reason},
    )
    return appeal
