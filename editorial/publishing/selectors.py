"""What the operations page reads: workers, queues, late and failed channel posts; whether
the services that publish are running, and why a post is late."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.models import WorkerHeartbeat
from accounts.selectors import SERVICE_QUEUES
from accounts.selectors import service_heartbeats
from channels_app.models import Channel
from editorial.crisis.selectors import emergency_approved
from editorial.models import Post
from editorial.models import PostVariant
from editorial.models import PublishAttempt
from editorial.models import PublishingPause
from editorial.posts.selectors import posts_for_user

logger = logging.getLogger(__name__)

V = PostVariant.Status
S = Post.Status
LATE_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class PlatformErrorRate:
    platform: str
    attempts: int
    failures: int

    @property
    def rate(self) -> float:
        return self.failures / self.attempts if self.attempts else 0.0


def queue_counts(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    variants = PostVariant.objects.all()
    return {
        "due": variants.filter(status=V.SCHEDULED, scheduled_at__lte=now).count(),
        "next_hour": variants.filter(
            status=V.SCHEDULED, scheduled_at__gt=now, scheduled_at__lte=now + timedelta(hours=1)
        ).count(),
        "publishing": variants.filter(status=V.PUBLISHING).count(),
        "failed": variants.filter(status=V.FAILED).count(),
        "needs_check": variants.filter(status=V.NEEDS_CHECK).count(),
    }


def _visible_variants(user: User) -> QuerySet[PostVariant]:
    """Channel posts of the posts the user may see: the operations page names posts and
    channels, which another authority's admin must not read (the counts and rates above are
    figures of the installation's health and name nothing)."""
    return PostVariant.objects.filter(post__in=posts_for_user(user))


def late_variants(user: User, now: datetime | None = None) -> QuerySet[PostVariant]:
    """Due for more than a minute and not out yet (waiting, retrying or publishing)."""
    now = now or timezone.now()
    return (
        _visible_variants(user)
        .filter(status__in=[V.SCHEDULED, V.PUBLISHING], scheduled_at__lt=now - LATE_AFTER)
        .select_related("post", "channel")
        .order_by("scheduled_at")
    )


def problem_variants(user: User) -> QuerySet[PostVariant]:
    return (
        _visible_variants(user)
        .filter(status__in=[V.FAILED, V.NEEDS_CHECK])
        .select_related("post", "channel")
        .order_by("-claimed_at")
    )


def error_rates(since: datetime | None = None) -> list[PlatformErrorRate]:
    since = since or timezone.now() - timedelta(hours=24)
    failed = [
        PublishAttempt.Outcome.TRANSIENT,
        PublishAttempt.Outcome.AUTHENTICATION,
        PublishAttempt.Outcome.REJECTED,
        PublishAttempt.Outcome.UNKNOWN,
    ]
    rows = (
        PublishAttempt.objects.filter(started_at__gte=since)
        .exclude(outcome=PublishAttempt.Outcome.HELD)
        .values("platform")
        .annotate(attempts=Count("id"), failures=Count("id", filter=Q(outcome__in=failed)))
        .order_by("platform")
    )
    return [PlatformErrorRate(r["platform"], r["attempts"], r["failures"]) for r in rows]


def worker_heartbeats() -> QuerySet[WorkerHeartbeat]:
    return WorkerHeartbeat.objects.order_by("-last_seen")


# --- Are the services running? (the banner on every page, late reasons) ---------------------


@dataclass(frozen=True)
class ServiceStatus:
    """What the heartbeats say. ``readable`` is false when the store they live in (Redis,
    which is also the message queue in production) could not be read at all."""

    readable: bool
    last_seen: dict[str, datetime | None] = field(default_factory=dict)
    silent: tuple[str, ...] = ()

    @property
    def running(self) -> bool:
        return self.readable and not self.silent

    @property
    def last_heartbeat(self) -> datetime | None:
        """The oldest last heartbeat among the silent services (what the banner names)."""
        seen = [self.last_seen.get(queue) for queue in self.silent]
        known = [moment for moment in seen if moment is not None]
        return min(known) if known and len(known) == len(seen) else None


def publishing_service_status(now: datetime | None = None) -> ServiceStatus:
    """Fresh means a heartbeat within ``WORKER_HEARTBEAT_MAX_AGE`` for each service queue
    (beat sends one every 30 s). One cache read, no query."""
    now = now or timezone.now()
    try:
        last_seen = service_heartbeats()
    except Exception:  # any cache backend error: the status is unknown, which is news too
        logger.warning("Service heartbeats unreadable", exc_info=True)
        return ServiceStatus(readable=False)
    limit = now - settings.WORKER_HEARTBEAT_MAX_AGE
    silent = tuple(
        queue
        for queue in SERVICE_QUEUES
        if (last_seen[queue] or datetime.min.replace(tzinfo=now.tzinfo)) < limit
    )
    return ServiceStatus(readable=True, last_seen=last_seen, silent=silent)


@dataclass(frozen=True)
class Lateness:
    """A post past its time and not out: when it was due and every cause that holds it."""

    due_at: datetime
    reasons: tuple[str, ...]


# Posts someone meant to go out at their time. Drafts and rejected posts are not late: nobody
# has asked for them to go out yet.
_EXPECTED_OUT = (S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.PUBLISHING)
_NOT_OUT = (V.PENDING, V.SCHEDULED, V.PUBLISHING)


def _service_reasons(status: ServiceStatus) -> list[str]:
    if not status.readable:
        return [_("The publishing queue cannot be reached.")]
    reasons = []
    if "default" in status.silent:
        reasons.append(_("The background service that hands posts over is not running."))
    if "publishing" in status.silent:
        reasons.append(_("The publishing service is not running."))
    return reasons


def _channel_reason(channel: Channel, now: datetime) -> str | None:
    name = {"channel": channel.name}
    if channel.status in (Channel.Status.NEEDS_RECONNECT, Channel.Status.DISCONNECTED):
        return _("The channel “%(channel)s” must be reconnected.") % name
    if channel.access_expires_at is not None and channel.access_expires_at <= now:
        return _("Access to the channel “%(channel)s” has expired.") % name
    if channel.status == Channel.Status.PAUSED:
        return _("The channel “%(channel)s” is paused.") % name
    return None


def _pauses_covering(variant: PostVariant, pauses: list[PublishingPause]) -> bool:
    channel = variant.channel
    for pause in pauses:
        if pause.channel_id is not None:
            if pause.channel_id == channel.pk:
                return True
        elif pause.unit_id is None or channel.unit.path.startswith(pause.unit.path):  # type: ignore[union-attr]
            return True
    return False


def _variant_reasons(
    variant: PostVariant, pauses: list[PublishingPause], now: datetime
) -> list[str]:
    reasons = []
    # An approved emergency post passes every pause (as in the engine's guard).
    bypasses = variant.post.is_emergency and getattr(variant, "emergency_approved", False)
    if pauses and not bypasses and _pauses_covering(variant, pauses):
        reasons.append(_("Publishing is paused (crisis mode)."))
    channel_reason = _channel_reason(variant.channel, now)
    if channel_reason:
        reasons.append(channel_reason)
    if variant.status == V.SCHEDULED and variant.next_attempt_at and variant.next_attempt_at > now:
        reasons.append(
            _("“%(channel)s” answered with a temporary error; next try at %(time)s.")
            % {
                "channel": variant.channel.name,
                "time": date_format(timezone.localtime(variant.next_attempt_at), "TIME_FORMAT"),
            }
        )
    return reasons


def post_lateness(
    posts: Iterable[Post], *, now: datetime | None = None, status: ServiceStatus | None = None
) -> dict[int, Lateness]:
    """The late ones among ``posts`` (by id): due more than a minute ago, meant to go out
    (in review or later) and not out on every channel, with every cause the facts show —
    waiting for approval, crisis mode, channel access, a platform's temporary error, a
    service not running, the queue unreachable. For any number of posts (a page, the
    dashboard) at most two queries and one cache read; none when no post is late.
    ``status``: the service status if the caller already has it (the banner's)."""
    now = now or timezone.now()
    late = {
        post.pk: post
        for post in posts
        if post.status in _EXPECTED_OUT and post.planned_at and post.planned_at < now - LATE_AFTER
    }
    if not late:
        return {}
    variants: list[PostVariant] = list(
        PostVariant.objects.filter(post_id__in=late, status__in=_NOT_OUT)
        .select_related("post", "channel__unit")
        .annotate(emergency_approved=emergency_approved())
        .order_by("post_id", "channel__name")
    )
    pauses = list(PublishingPause.objects.filter(ended_at__isnull=True).select_related("unit"))
    status = status or publishing_service_status(now)
    by_post: dict[int, list[PostVariant]] = {}
    for variant in variants:
        by_post.setdefault(variant.post_id, []).append(variant)
    result = {}
    for pk, post in late.items():
        waiting = by_post.get(pk, [])
        if post.status == S.PUBLISHING and not waiting:
            continue  # every channel out or given up: shown as such, not as late
        reasons: list[str] = []
        if post.status == S.IN_REVIEW:
            reasons.append(_("It is waiting for approval."))
        elif post.status == S.APPROVED:
            reasons.append(_("It is approved but not scheduled."))
        for variant in waiting:
            reasons += [r for r in _variant_reasons(variant, pauses, now) if r not in reasons]
        if post.status in (S.SCHEDULED, S.PUBLISHING):
            reasons += _service_reasons(status)
        if not reasons:
            reasons.append(_("No cause is known yet; the operations page shows more."))
        result[pk] = Lateness(due_at=post.planned_at, reasons=tuple(reasons))  # type: ignore[arg-type]
    return result
