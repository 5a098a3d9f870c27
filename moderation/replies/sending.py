"""Sending replies exactly once, as the publishing engine publishes posts.

- A task claims its reply with one conditional UPDATE (queued and due → sending), so two
  workers, or a task and a redelivered copy of it, never send one reply twice.
- The platform sees the reply's idempotency key on every attempt. Where it deduplicates by
  it (``reply_deduplicates``: the sandbox, Mastodon, Bluesky), a retry after a lost answer
  is safe and returns the first reply. Elsewhere a lost answer (timeout after the request
  left, a worker that died while sending) is never followed by a blind resend: the reply is
  looked up where the platform allows it (``can_find_reply``), else it waits for a person
  (NEEDS_CHECK).
- Transient errors retry with exponential backoff and jitter, never sooner than the
  platform's Retry-After, at most ``MAX_ATTEMPTS`` times; a permanent error marks the reply
  FAILED with a readable reason. Nothing is lost: the text stays, a person can send again.
- A beat sweeper queues what is due and was never queued, whose message was lost, or whose
  claim a dead worker left behind.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models import Q
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PublishResult
from channels_app.adapters.errors import NOT_SENT
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.errors import RateLimitedError
from channels_app.adapters.errors import RemoteNotFoundError
from channels_app.adapters.errors import TransientError
from channels_app.models import Channel
from channels_app.services import adapter_for
from channels_app.services import channel_record_contact
from channels_app.services import channel_record_error
from config.db import connection_release
from moderation.common.remote import remote_comment_of
from moderation.inbox.services import inbox_item_status_follows
from moderation.models import InboxItem
from moderation.models import Reply
from moderation.replies.services import _audit
from moderation.replies.services import reply_snapshot
from moderation.service_levels.services import item_response_recorded

R = Reply.Status
logger = logging.getLogger(__name__)

# Longer than the slowest reply call (read timeout and a token refresh): only then is a
# claim taken over.
CLAIM_LEASE = timedelta(seconds=getattr(settings, "REPLY_CLAIM_LEASE_SECONDS", 300))
# A queued reply not claimed after this long is queued again (the broker may have lost it).
REQUEUE_AFTER = timedelta(seconds=getattr(settings, "REPLY_REQUEUE_AFTER_SECONDS", 60))
RETRY_BASE_SECONDS = getattr(settings, "REPLY_RETRY_BASE_SECONDS", 15)
# 15 s doubling, at most 10 min apart: about 45 minutes in all, inside the hour Mastodon
# keeps an Idempotency-Key.
MAX_ATTEMPTS = getattr(settings, "REPLY_MAX_ATTEMPTS", 8)
DISPATCH_BATCH = 500


# --- Finding due work -----------------------------------------------------------------------


def _due(now: datetime) -> Q:
    return Q(status=R.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)) | Q(
        status=R.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )


def replies_due(now: datetime | None = None) -> QuerySet[Reply]:
    return Reply.objects.filter(_due(now or timezone.now()))


def replies_dispatch_due(now: datetime | None = None) -> int:
    """Queue a task per due reply not queued recently; returns how many were queued."""
    from moderation.replies.tasks import send_reply

    now = now or timezone.now()
    not_queued = Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER)
    # Two beats at once: rows one has locked are skipped by the other, and the mark is
    # committed before anything is queued, so each reply is queued once per round.
    with transaction.atomic():
        ids = list(
            replies_due(now)
            .filter(not_queued)
            .order_by("created_at")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:DISPATCH_BATCH]
        )
        Reply.objects.filter(pk__in=ids).update(queued_at=now)
    for reply_id in ids:
        send_reply.delay(reply_id)
    return len(ids)


# --- Claiming -----------------------------------------------------------------------------------


def _claim(reply_id: int, now: datetime) -> tuple[bool, bool]:
    """(claimed, taken over): a claim left by a dead worker is taken over, and then the
    outcome of its attempt is unknown."""
    claim = {"status": R.SENDING, "claimed_at": now, "attempts": F("attempts") + 1}
    queued = Q(status=R.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if Reply.objects.filter(queued, pk=reply_id).update(**claim):
        return True, False
    stale = Q(status=R.SENDING, claimed_at__lt=now - CLAIM_LEASE)
    if Reply.objects.filter(stale, pk=reply_id).update(**claim):
        return True, True
    return False, False


def _hold(reply: Reply) -> tuple[str, bool] | None:
    """Why the reply must not go out now: (reason, final). Final ones fail (a person must
    act); the others wait for the next sweep."""
    channel = reply.item.channel
    if channel.status == Channel.Status.PAUSED:
        return _("The channel is paused."), False
    if channel.status in (Channel.Status.NEEDS_RECONNECT, Channel.Status.DISCONNECTED):
        return (
            _("The channel “%(channel)s” must be reconnected.") % {"channel": channel.name},
            True,
        )
    if reply.item.remote_deleted_at is not None:
        return _("The comment was deleted on the platform: there is nothing to reply to."), True
    return None


# --- Sending --------------------------------------------------------------------------------------


def reply_send(reply_id: int) -> str:
    """Claim and send one reply; returns the outcome (for logs and tests)."""
    now = timezone.now()
    claimed, taken_over = _claim(reply_id, now)
    if not claimed:
        return "not_claimed"
    reply = Reply.objects.select_related(
        "item", "item__channel", "item__channel__unit", "item__channel__credential", "item__author"
    ).get(pk=reply_id)
    hold = _hold(reply)
    if hold is not None:
        reason, final = hold
        if final:
            return _failed(reply, reason)
        return _wait(reply, reason, REQUEUE_AFTER, attempt_made=False)
    adapter = adapter_for(reply.item.channel, credential_preloaded=True)
    comment = remote_comment_of(reply.item)
    key = str(reply.idempotency_key)
    connection_release()  # the platform's answer takes the longest
    try:
        # An earlier attempt may have reached the platform and its answer been lost.
        unknown_before = taken_over or reply.attempts > 1
        if unknown_before and not adapter.reply_deduplicates:
            if adapter.can_find_reply:
                found = adapter.find_reply(comment, reply.text, key)
                if found is not None:
                    return _succeeded(reply, found, recovered=True)
            elif taken_over:
                return _failed(
                    reply,
                    _(
                        "Sending was interrupted; the platform cannot be asked whether the"
                        " reply arrived. Check the conversation on the platform."
                    ),
                    needs_check=True,
                )
        result = adapter.reply(comment, reply.text, key)
    except AuthenticationError as error:
        channel_record_error(reply.item.channel, error)
        return _failed(reply, error.message)
    except TransientError as error:
        return _transient(reply, adapter, error)
    except RemoteNotFoundError:
        return _failed(
            reply, _("The comment no longer exists on the platform: the reply was not sent.")
        )
    except PlatformError as error:
        return _failed(reply, error.message)
    except Exception:
        # A bug or an unexpected answer after the request left: the platform may have the
        # reply. An unknown outcome, never a clean failure.
        logger.exception("Sending reply %s failed unexpectedly", reply_id)
        unexpected = TransientError(_("An unexpected error occurred while sending the reply."))
        return _transient(reply, adapter, unexpected)
    channel_record_contact(reply.item.channel)
    return _succeeded(reply, result)


def _record_response(item: InboxItem, sent_at: datetime) -> None:
    """Service levels learn of the answer; their failure must not undo a sent reply."""
    try:
        with transaction.atomic():
            item_response_recorded(item=item, at=sent_at)
    except Exception:
        logger.exception("Recording the response to item %s failed", item.pk)


def _answered(reply: Reply, *, actor: User | None, request: HttpRequest | None) -> None:
    """The reply reached the platform: the item is answered (the inbox's status machine
    decides; a closed or settled item stays as it is)."""
    inbox_item_status_follows(
        item=reply.item,
        status=InboxItem.Status.ANSWERED,
        reason=f"reply {reply.pk} sent",
        actor=actor,
        request=request,
    )


def _succeeded(reply: Reply, result: PublishResult, *, recovered: bool = False) -> str:
    sent_at = result.published_at or timezone.now()
    with transaction.atomic():
        updated = Reply.objects.filter(pk=reply.pk, status=R.SENDING).update(
            status=R.SENT,
            remote_id=result.remote_id,
            remote_url=result.url[:1000],
            sent_at=sent_at,
            last_error="",
            next_attempt_at=None,
        )
        if not updated:
            return "lost_claim"
        reply.refresh_from_db()
        _audit(
            "moderation.replies.sent",
            reply,
            actor_label="replies",
            data={
                "remote_id": result.remote_id,
                "url": result.url,
                "attempts": reply.attempts,
                "recovered": recovered,
            },
        )
        _answered(reply, actor=None, request=None)
        _record_response(reply.item, sent_at)
    return "recovered" if recovered else "sent"


def reply_mark_sent(
    reply: Reply, *, remote_url: str, actor: User, request: HttpRequest | None
) -> Reply:
    """A person found the reply on the platform (after "needs check"). Called inside the
    caller's transaction with the reply locked."""
    before = reply_snapshot(reply)
    reply.status = R.SENT
    reply.sent_at = timezone.now()
    reply.remote_url = remote_url
    reply.next_attempt_at = None
    reply.full_clean()
    reply.save(update_fields=["status", "sent_at", "remote_url", "next_attempt_at"])
    _audit(
        "moderation.replies.sent",
        reply,
        actor=actor,
        request=request,
        before=before,
        data={"confirmed_by_person": True, "url": remote_url},
    )
    _answered(reply, actor=actor, request=request)
    _record_response(reply.item, reply.sent_at)
    return reply


def _backoff(reply: Reply, error: TransientError) -> timedelta:
    """Exponential with jitter, and never sooner than the platform asked."""
    base = min(RETRY_BASE_SECONDS * 2 ** max(reply.attempts - 1, 0), 600)
    delay = base * (0.5 + random.random())  # noqa: S311  (jitter, not security)
    if error.retry_after:
        delay = max(delay, error.retry_after)
    return timedelta(seconds=delay)


def _transient(reply: Reply, adapter: PlatformAdapter, error: TransientError) -> str:
    outcome_known = error.code == NOT_SENT or isinstance(error, RateLimitedError)
    if not outcome_known and not (adapter.reply_deduplicates or adapter.can_find_reply):
        # The reply may be out, and the platform neither deduplicates nor can be asked.
        return _failed(
            reply,
            _(
                "The platform did not confirm the reply (%(error)s). It may have arrived:"
                " check the conversation on the platform."
            )
            % {"error": error.message},
            needs_check=True,
        )
    if reply.attempts >= MAX_ATTEMPTS:
        return _failed(
            reply,
            _("Gave up after %(n)d attempts: %(error)s")
            % {"n": reply.attempts, "error": error.message},
        )
    return _wait(reply, error.message, _backoff(reply, error), attempt_made=True)


def _wait(reply: Reply, reason: str, delay: timedelta, *, attempt_made: bool) -> str:
    updates = {
        "status": R.QUEUED,
        "next_attempt_at": timezone.now() + delay,
        "last_error": reason[:2000],
        "queued_at": None,
        "claimed_at": None,
    }
    if not attempt_made:
        # Held back, not tried: the next attempt must not assume one happened.
        updates["attempts"] = F("attempts") - 1
    Reply.objects.filter(pk=reply.pk, status=R.SENDING).update(**updates)
    return "retry" if attempt_made else "held"


def _failed(reply: Reply, message: str, *, needs_check: bool = False) -> str:
    """Out of the engine's hands: failed with a reason, or perhaps out at a platform that
    cannot be asked. Either way a person acts; the text stays."""
    status = R.NEEDS_CHECK if needs_check else R.FAILED
    action = "moderation.replies.needs_check" if needs_check else "moderation.replies.failed"
    with transaction.atomic():
        updated = Reply.objects.filter(pk=reply.pk, status=R.SENDING).update(
            status=status, last_error=message[:2000], next_attempt_at=None
        )
        if not updated:
            return "lost_claim"
        reply.refresh_from_db()
        _audit(action, reply, actor_label="replies", data={"error": message})
        # The author (and whoever approved it) must act: send again, or look on the platform.
        notify(
            recipients=[user for user in (reply.author, reply.approved_by) if user is not None],
            kind="moderation.reply_failed",
            context={
                "channel": reply.item.channel.name,
                "error": message,
                "needs_check": needs_check,
            },
            link=f"/moderation/replies/{reply.pk}/",
            unit=reply.item.channel.unit,
        )
    return str(status)
