"""The publishing engine: claims due channel variants, publishes them exactly once,
records every attempt, retries transient failures and tells people what happened."""

from __future__ import annotations

import http.cookiejar
import logging
import random
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.notifications import notify
from channels_app.adapters.base import PlatformAdapter
from channels_app.adapters.base import PostContent
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
from editorial.common.content import post_content_hash
from editorial.crisis.selectors import pauses_may_hold
from editorial.crisis.selectors import variant_is_paused
from editorial.crisis.selectors import variant_may_publish_now
from editorial.media.services import media_item_for
from editorial.models import Post
from editorial.models import PostMedia
from editorial.models import PostVariant
from editorial.models import PublishAttempt
from editorial.models import PublishingPause
from editorial.posts.services import post_link
from editorial.posts.status import check_transition
from editorial.posts.validation import variant_media

V = PostVariant.Status
S = Post.Status

logger = logging.getLogger(__name__)

# Longer than the longest publish (a video upload): only then is a claim taken over.
CLAIM_LEASE = timedelta(seconds=getattr(settings, "PUBLISH_CLAIM_LEASE_SECONDS", 900))
REQUEUE_AFTER = timedelta(seconds=getattr(settings, "PUBLISH_REQUEUE_AFTER_SECONDS", 60))
RETRY_BASE_SECONDS = getattr(settings, "PUBLISH_RETRY_BASE_SECONDS", 15)
DISPATCH_BATCH = 500
DISPATCH_MAX_BATCHES = 20  # at most 10,000 variants queued per beat tick
LATE_AFTER = timedelta(minutes=5)


def _worker_name() -> str:
    return socket.gethostname()


def dispatch_lookahead() -> timedelta:
    """Variants due before the next beat tick are queued at this one and wait in the worker
    for their second: a post planned for 09:00:02 does not wait for the 09:00:05 tick."""
    return timedelta(seconds=settings.PUBLISH_DISPATCH_SECONDS + 1)


def retry_deadline() -> timedelta:
    return timedelta(minutes=getattr(settings, "PUBLISH_RETRY_DEADLINE_MINUTES", 120))


# --- Finding due work -----------------------------------------------------------------------


def _paused() -> Q:
    """Variants inside an active pause: not dispatched at all while it lasts (emergency
    posts stay in: the guard decides whether their emergency approval overrides it)."""
    covered = Q(pk__in=[])
    for pause in PublishingPause.objects.filter(ended_at__isnull=True).select_related("unit"):
        if pause.channel_id:
            covered |= Q(channel_id=pause.channel_id)
        elif pause.unit_id and pause.unit:
            covered |= Q(channel__unit__path__startswith=pause.unit.path)
        else:
            covered |= Q(pk__isnull=False)
    return covered & Q(post__is_emergency=False)


def variants_due(
    now: datetime | None = None, *, lookahead: timedelta = timedelta(0)
) -> QuerySet[PostVariant]:
    """Scheduled variants whose time has come, or comes within ``lookahead`` (and whose
    retry wait is over), and claims abandoned by a dead worker."""
    now = now or timezone.now()
    return PostVariant.objects.exclude(_paused()).filter(
        Q(
            status=V.SCHEDULED,
            scheduled_at__lte=now + lookahead,
            post__status__in=[S.SCHEDULED, S.PUBLISHING],
        )
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        | Q(status=V.PUBLISHING, claimed_at__lt=now - CLAIM_LEASE)
    )


def variants_dispatch_due(now: datetime | None = None) -> int:
    """Queue a task per due variant not queued recently; returns how many were queued.

    Everything due is queued in this one run, batch after batch: a busy minute (2,000 posts
    at 09:00) must not trickle out at one batch per beat interval. Variants due before the
    next tick are queued too, with the instant the worker waits for (``not_before``)."""
    from editorial.publishing.tasks import publish_variant

    now = now or timezone.now()
    not_queued = Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER)
    queued = 0
    for _batch in range(DISPATCH_MAX_BATCHES):
        # Two beats at once: rows one beat has locked are skipped by the other, and the
        # mark is committed before anything is queued, so each variant is queued once.
        with transaction.atomic():
            marked = list(
                variants_due(now, lookahead=dispatch_lookahead())
                .filter(not_queued)
                .order_by("scheduled_at")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("id", "scheduled_at")[:DISPATCH_BATCH]
            )
            PostVariant.objects.filter(pk__in=[pk for pk, _due in marked]).update(queued_at=now)
        if not marked:
            break
        with publish_variant.app.producer_or_acquire() as producer:  # one connection
            for variant_id, due in marked:
                publish_variant.apply_async(
                    args=[variant_id],
                    kwargs={"not_before": due.timestamp()} if due and due > now else {},
                    queue="publishing",
                    producer=producer,
                )
        queued += len(marked)
        if len(marked) < DISPATCH_BATCH:
            break
    return queued


# --- Claiming ---------------------------------------------------------------------------------


def _claim(variant_id: int, now: datetime) -> bool:
    claimable = Q(status=V.SCHEDULED, scheduled_at__lte=now) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ) | Q(status=V.PUBLISHING, claimed_at__lt=now - CLAIM_LEASE)
    claimed = (
        PostVariant.objects.filter(claimable, pk=variant_id).update(
            status=V.PUBLISHING,
            claimed_at=now,
            claimed_by=_worker_name(),
            attempts=F("attempts") + 1,
        )
        == 1
    )
    return claimed


@dataclass(frozen=True)
class Claimed:
    """A claimed variant with everything the checks and the platform call read, in plain
    queries (cheap to build: the engine's throughput is bound by the CPU): the variant with
    its post, channel and credential; the post's media; the post's variants, for the
    content hash."""

    variant: PostVariant
    post_media: list[PostMedia]
    variants: list[PostVariant]


def _claimed(variant_id: int) -> Claimed:
    variant = PostVariant.objects.select_related("post", "channel", "channel__credential").get(
        pk=variant_id
    )
    post_media = list(PostMedia.objects.filter(post_id=variant.post_id).select_related("asset"))
    variants = list(PostVariant.objects.filter(post_id=variant.post_id).order_by())
    if variant.post.status == S.SCHEDULED:
        # The first claimed variant moves its post on: one conditional UPDATE, no lock held
        # across statements (the other variants of the post are claimed at the same time).
        check_transition(S.SCHEDULED, S.PUBLISHING)
        Post.objects.filter(pk=variant.post_id, status=S.SCHEDULED).update(status=S.PUBLISHING)
        variant.post.status = S.PUBLISHING
    return Claimed(variant, post_media, variants)


def _wait_until(not_before: float | None) -> None:
    """Queued ahead of its time (``dispatch_lookahead``): wait for it, never longer than the
    look-ahead (a stale or odd message is not held back)."""
    if not_before is not None:
        delay = min(not_before - time.time(), dispatch_lookahead().total_seconds())
        if delay > 0:
            time.sleep(delay)


_http = threading.local()


def _http_session() -> requests.Session:
    """One HTTP session per worker thread: connections to a platform are reused from one
    post to the next instead of a new TCP and TLS handshake each time. Cookies are never
    kept, so nothing of one account's answers reaches another account's request."""
    session = getattr(_http, "session", None)
    if session is None:
        session = requests.Session()
        session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        _http.session = session
    return session


@dataclass(frozen=True)
class Hold:
    """Why a claimed variant must not go out now, and what it becomes."""

    reason: str
    status: str
    notify_people: bool = False


def _hold_reason(variant: PostVariant, claimed: Claimed | None = None) -> Hold | None:
    """Checked right after the claim (with what ``claimed`` read, as fresh as reading it
    again) and, if the platform was asked first, again right before the platform call
    (everything read afresh). The pause guard is asked whenever a pause may hold or the
    post is an emergency post (whose approval decides whether pauses hold it)."""
    if claimed is not None:
        post, channel = variant.post, variant.channel
        content_hash = post_content_hash(
            post, post_media=claimed.post_media, variants=claimed.variants
        )
        ask_guard = post.is_emergency or pauses_may_hold(variant.scheduled_at or post.planned_at)
    else:
        post = Post.objects.get(pk=variant.post_id)
        channel = Channel.objects.get(pk=variant.channel_id)
        content_hash = post_content_hash(post)
        ask_guard = True
    allowed, pause_reason = variant_may_publish_now(variant.pk) if ask_guard else (True, "")
    if not allowed:
        # Paused: wait for the end of the pause. Missed its time during a pause: out of the
        # schedule until a person reschedules or discards it (never sent late by itself).
        return Hold(pause_reason, V.SCHEDULED if variant_is_paused(variant.pk) else V.PENDING)
    if post.status not in (S.SCHEDULED, S.PUBLISHING) or not post.approved_hash:
        return Hold(_("The post is no longer approved."), V.PENDING)
    if content_hash != post.approved_hash:
        return Hold(_("The content changed after approval."), V.PENDING)
    if channel.status == Channel.Status.PAUSED:
        return Hold(_("The channel is paused."), V.SCHEDULED)
    if channel.status in (Channel.Status.NEEDS_RECONNECT, Channel.Status.DISCONNECTED):
        return Hold(
            _("The channel “%(channel)s” must be reconnected.") % {"channel": channel.name},
            V.FAILED,
            notify_people=True,
        )
    return None


# --- Publishing -----------------------------------------------------------------------------


def _content(claimed: Claimed) -> PostContent:
    variant, post = claimed.variant, claimed.variant.post
    assets = variant_media(variant, claimed.post_media)
    return PostContent(
        text=variant.text_override or post.text,
        media=tuple(media_item_for(asset, variant.channel.platform) for asset in assets),
        link=post.website_link,
        title=post.title,
        spoiler_text=post.content_warning,
        # The post's planned time, not the variant's: retrying failed channels moves the
        # variant's scheduled_at, and a key derived from it would change between attempts.
        planned_at=post.planned_at or variant.scheduled_at,
    )


def variant_publish(variant_id: int, *, not_before: float | None = None) -> str:
    """Claim and publish one variant; returns the outcome (for logs and tests).
    ``not_before``: the variant's planned instant (Unix time) when queued ahead of it."""
    _wait_until(not_before)
    now = timezone.now()
    if not _claim(variant_id, now):
        # Moved to a later time after it was queued (or a clock a little behind the
        # beat's): the next tick queues it again instead of after ``REQUEUE_AFTER``.
        PostVariant.objects.filter(pk=variant_id, status=V.SCHEDULED, scheduled_at__gt=now).update(
            queued_at=None
        )
        return "not_claimed"
    claimed = _claimed(variant_id)
    variant = claimed.variant
    attempt = PublishAttempt.objects.create(
        variant=variant, platform=variant.channel.platform, worker=_worker_name()
    )
    hold = _hold_reason(variant, claimed)
    if hold is not None:
        return _held(variant, attempt, hold)
    adapter = adapter_for(variant.channel, session=_http_session(), credential_preloaded=True)
    content = _content(claimed)
    key = str(variant.idempotency_key)
    connection_release()  # the platform's answer takes the longest
    try:
        # An earlier attempt may have reached the platform (crash, lost answer): look first.
        if variant.attempts > 1:
            found = adapter.find_published(content, key)
            if found is not None:
                return _succeeded(variant, attempt, found, PublishAttempt.Outcome.FOUND)
            # The lookup took time at the platform: the last moment a pause can still stop
            # the post. (Without a lookup, the check above was only local reads ago.)
            hold = _hold_reason(variant)
            if hold is not None:
                return _held(variant, attempt, hold)
        result = adapter.publish(content, key)
    except AuthenticationError as error:
        channel_record_error(variant.channel, error)
        return _failed(variant, attempt, error.message, PublishAttempt.Outcome.AUTHENTICATION)
    except TransientError as error:
        return _transient(variant, attempt, adapter, error)
    except PlatformError as error:
        return _failed(variant, attempt, error.message, PublishAttempt.Outcome.REJECTED)
    except Exception:
        # A bug or an unexpected answer after the request left: the platform may have the
        # post. Treat as an unknown outcome, never as a clean failure.
        logger.exception("Publishing variant %s failed unexpectedly", variant_id)
        unexpected = TransientError(_("An unexpected error occurred while publishing."))
        return _transient(variant, attempt, adapter, unexpected)
    channel_record_contact(variant.channel)
    return _succeeded(variant, attempt, result, PublishAttempt.Outcome.PUBLISHED)


def _finish(attempt: PublishAttempt, outcome: str, message: str = "") -> None:
    attempt.finished_at = timezone.now()
    attempt.outcome = outcome
    attempt.message = message[:2000]
    attempt.save(update_fields=["finished_at", "outcome", "message"])


@transaction.atomic
def _succeeded(
    variant: PostVariant, attempt: PublishAttempt, result: PublishResult, outcome: str
) -> str:
    published_at = result.published_at or timezone.now()
    updated = PostVariant.objects.filter(pk=variant.pk, status=V.PUBLISHING).update(
        status=V.PUBLISHED,
        remote_id=result.remote_id,
        remote_url=result.url,
        published_at=published_at,
        last_error="; ".join(result.warnings),
        next_attempt_at=None,
    )
    _finish(attempt, outcome)
    if not updated:
        return "lost_claim"
    post, status_before = _post_status_update(variant.post_id)
    audit_log(
        action="editorial.variant.published",
        target=post,
        unit=post.unit,
        data={
            "channel": variant.channel_id,
            "remote_id": result.remote_id,
            "url": result.url,
            "scheduled_at": variant.scheduled_at.isoformat() if variant.scheduled_at else None,
            "claimed_at": variant.claimed_at.isoformat() if variant.claimed_at else None,
            "published_at": published_at.isoformat(),
            "recovered": outcome == PublishAttempt.Outcome.FOUND,
        },
        actor_label="publishing",
    )
    _audit_post_status(post, status_before)
    if variant.scheduled_at and published_at - variant.scheduled_at > LATE_AFTER:
        _tell_people(
            variant,
            "editorial.published_late",
            {"late_minutes": int((published_at - variant.scheduled_at).total_seconds() // 60)},
        )
    return str(outcome)


def _backoff(variant: PostVariant, error: TransientError) -> timedelta:
    """Exponential with jitter, and never sooner than the platform asked."""
    base = min(RETRY_BASE_SECONDS * 2 ** max(variant.attempts - 1, 0), 900)
    delay = base * (0.5 + random.random())  # noqa: S311  (jitter, not security)
    if error.retry_after:
        delay = max(delay, error.retry_after)
    return timedelta(seconds=delay)


def _transient(
    variant: PostVariant, attempt: PublishAttempt, adapter: PlatformAdapter, error: TransientError
) -> str:
    outcome_known = error.code == NOT_SENT or isinstance(error, RateLimitedError)
    if not outcome_known and not adapter.capabilities.can_find_published:
        # The post may be out, and the platform cannot tell us (Telegram): ask a person.
        return _failed(
            variant, attempt, error.message, PublishAttempt.Outcome.UNKNOWN, needs_check=True
        )
    deadline = (variant.scheduled_at or timezone.now()) + retry_deadline()
    next_attempt = timezone.now() + _backoff(variant, error)
    if next_attempt > deadline:
        return _failed(
            variant,
            attempt,
            _("Gave up after repeated errors: %(error)s") % {"error": error.message},
            PublishAttempt.Outcome.TRANSIENT,
        )
    with transaction.atomic():
        PostVariant.objects.filter(pk=variant.pk, status=V.PUBLISHING).update(
            status=V.SCHEDULED,
            next_attempt_at=next_attempt,
            last_error=error.message,
            queued_at=None,
        )
        _finish(
            attempt,
            PublishAttempt.Outcome.TRANSIENT if outcome_known else PublishAttempt.Outcome.UNKNOWN,
            error.message,
        )
    return "retry"


def _failed(
    variant: PostVariant,
    attempt: PublishAttempt,
    message: str,
    outcome: str,
    *,
    needs_check: bool = False,
) -> str:
    """Out of the engine's hands: failed with a reason, or (``needs_check``) perhaps out at
    a platform that cannot be asked. Either way the people involved must act."""
    if needs_check:
        status, action, updates = V.NEEDS_CHECK, "editorial.variant.needs_check", {}
    else:
        status, action, updates = V.FAILED, "editorial.variant.failed", {"next_attempt_at": None}
    with transaction.atomic():
        PostVariant.objects.filter(pk=variant.pk, status=V.PUBLISHING).update(
            status=status, last_error=message, **updates
        )
        _finish(attempt, outcome, message)
        audit_log(
            action=action,
            target=variant.post,
            unit=variant.post.unit,
            actor_label="publishing",
            data={"channel": variant.channel_id, "error": message},
        )
    _tell_people(
        variant, "editorial.publish_failed", {"error": message, "needs_check": needs_check}
    )
    post_status_refresh(variant.post_id)
    return str(status)


def _held(variant: PostVariant, attempt: PublishAttempt, hold: Hold) -> str:
    if hold.status == V.FAILED:
        return _failed(variant, attempt, hold.reason, PublishAttempt.Outcome.HELD)
    with transaction.atomic():
        PostVariant.objects.filter(pk=variant.pk, status=V.PUBLISHING).update(
            status=hold.status,
            last_error=hold.reason,
            claimed_at=None,
            queued_at=None,
            # Not an attempt at the platform: the next one must not assume one happened.
            attempts=F("attempts") - 1,
        )
        _finish(attempt, PublishAttempt.Outcome.HELD, hold.reason)
    post_status_refresh(variant.post_id)
    return "held"


def _tell_people(variant: PostVariant, kind: str, context: dict[str, object]) -> None:
    post = variant.post
    notify(
        recipients=[post.author, *[a.approver for a in post.approvals.filter(is_current=True)]],
        kind=kind,
        context={"title": post.title, "channel": variant.channel.name, **context},
        link=post_link(post),
        unit=post.unit,
    )


def _post_status_update(post_id: int) -> tuple[Post, str]:
    """Lock the post and set its status from its variants: published, partly failed, failed
    or still publishing. Returns the post and its status before (audit with
    ``_audit_post_status`` once the rest of the transaction is written)."""
    post = Post.objects.select_for_update(of=("self",)).select_related("unit").get(pk=post_id)
    before = post.status
    if before not in (S.PUBLISHING, S.SCHEDULED, S.PARTLY_FAILED, S.FAILED):
        return post, before
    # A statement of its own, after the lock: one query joining the variants to the locked
    # post would return their rows as of before the wait, missing the variant another
    # worker has just finished, and the post would never be marked published.
    statuses = list(
        PostVariant.objects.filter(post_id=post_id).order_by().values_list("status", flat=True)
    )
    waiting = {V.SCHEDULED, V.PUBLISHING, V.PENDING}
    if any(s in waiting for s in statuses):
        target = S.PUBLISHING if V.PUBLISHING in statuses or V.PUBLISHED in statuses else before
    elif all(s in (V.PUBLISHED, V.SKIPPED) for s in statuses):
        target = S.PUBLISHED
    elif V.PUBLISHED in statuses:
        target = S.PARTLY_FAILED
    else:
        target = S.FAILED
    if target != before:
        check_transition(before, target)
        post.status = target
        post.save(update_fields=["status"])
    return post, before


def _audit_post_status(post: Post, before: str) -> None:
    if post.status == before:
        return
    audit_log(
        action="editorial.post.publishing_finished"
        if post.status != S.PUBLISHING
        else "editorial.post.publishing_started",
        target=post,
        unit=post.unit,
        actor_label="publishing",
        before={"status": before},
        after={"status": post.status},
    )


@transaction.atomic
def post_status_refresh(post_id: int) -> str:
    """The post's status from its variants, audited when it changes."""
    post, before = _post_status_update(post_id)
    _audit_post_status(post, before)
    return post.status


def variant_delete_on_platform(variant_id: int) -> str:
    """Delete one published variant at its platform (a task; transient errors retry)."""
    variant = PostVariant.objects.select_related("channel", "post", "post__unit").get(pk=variant_id)
    if variant.status != V.PUBLISHED:
        return "nothing_to_do"
    adapter = adapter_for(variant.channel)
    try:
        adapter.delete(variant.remote_id)
    except RemoteNotFoundError:
        pass  # already gone at the platform: the wanted state
    except TransientError:
        raise  # the task retries
    except PlatformError as error:
        PostVariant.objects.filter(pk=variant.pk).update(
            last_error=_("Not deleted on the platform: %(reason)s Delete it there by hand.")
            % {"reason": error.message}
        )
        _tell_people(variant, "editorial.publish_failed", {"error": error.message})
        return "not_deleted"
    PostVariant.objects.filter(pk=variant.pk, status=V.PUBLISHED).update(status=V.REMOVED)
    audit_log(
        action="editorial.variant.deleted_on_platform",
        target=variant.post,
        unit=variant.post.unit,
        actor_label="publishing",
        data={"channel": variant.channel_id, "remote_id": variant.remote_id},
    )
    return "deleted"
