"""What the operations page reads: workers, queues, late and failed channel posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User, WorkerHeartbeat
from editorial.models import PostVariant, PublishAttempt
from editorial.posts.selectors import posts_for_user

V = PostVariant.Status
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
