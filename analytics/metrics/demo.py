"""Demo figures (``manage.py load_demo``): on each connected sandbox channel a few posts
published in the past weeks, with the snapshots the schedule would have read from the
sandbox, and 60 days of channel figures. Deterministic (the sandbox's own simulation, seeded
by the post), idempotent (nothing is added twice), and the live schedule carries on from
there: the readings still due are taken by the worker from the sandbox."""

from __future__ import annotations

import hashlib
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import OrgUnit
from accounts.models import User
from analytics.metrics.selectors import bucket_due
from analytics.models import POST_METRIC_FIELDS
from analytics.models import SNAPSHOT_BUCKETS
from analytics.models import ChannelDailyFigure
from analytics.models import PostMetricSnapshot
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxPost
from channels_app.sandbox.selectors import impressions_last_day
from editorial.models import Post
from editorial.models import PostVariant

FIGURE_DAYS = 60
# (title, text, days ago, hour of the day): published posts of the past weeks.
PAST_POSTS = [
    ("Rückblick: Stadtfest-Vorverkauf", "Der Vorverkauf für das Stadtfest hat begonnen.", 41, 10),
    ("Rückblick: Baustelle Ringstraße", "Die Ringstraße ist ab heute wieder frei.", 33, 8),
    ("Rückblick: Wahlhelfende gesucht", "Wir suchen Wahlhelferinnen und Wahlhelfer.", 24, 12),
    ("Rückblick: Hitzeschutz", "Trinkbrunnen in der Innenstadt sind in Betrieb.", 16, 9),
    ("Rückblick: Bürgerbüro", "Das Bürgerbüro ist am Freitag geschlossen.", 9, 15),
    ("Rückblick: Laternenumzug", "Am Samstag zieht der Laternenumzug durch die Altstadt.", 3, 17),
    ("Rückblick: Müllabfuhr", "Wegen des Feiertags verschiebt sich die Abfuhr.", 1, 7),
]


def _number(seed: str, low: int, high: int) -> int:
    digest = hashlib.sha256(seed.encode()).digest()
    return low + int.from_bytes(digest[:4], "big") % (high - low + 1)


def load(units: dict[str, OrgUnit]) -> None:
    editor = User.objects.get(email=f"redaktion@{DEMO_DOMAIN}")
    now = timezone.now()
    for channel in Channel.objects.filter(
        platform=Platform.SANDBOX, status=Channel.Status.ACTIVE
    ).order_by("pk"):
        account = SandboxAccount.objects.filter(handle=channel.handle.lstrip("@")).first()
        if account is None:
            continue
        with transaction.atomic():
            posts = [_past_post(channel, account, editor, row, now) for row in PAST_POSTS]
            _figures(channel, account, posts, now)


def _past_post(
    channel: Channel,
    account: SandboxAccount,
    editor: User,
    row: tuple[str, str, int, int],
    now: datetime,
) -> tuple[str, datetime]:
    title, text, days_ago, hour = row
    local = timezone.localtime(now) - timedelta(days=days_ago)
    published_at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    key = f"demo-analytics-{channel.pk}-{days_ago}"
    sandbox_post, _created = SandboxPost.objects.get_or_create(
        account=account,
        idempotency_key=key,
        defaults={
            "remote_id": f"demo{hashlib.sha256(key.encode()).hexdigest()[:16]}",
            "text": text,
            "created_at": published_at,
            # No simulated comments for these: the demo inbox stays as moderation made it.
            "comments_closed_at": published_at,
            "comments_complete": True,
        },
    )
    variant = PostVariant.objects.filter(channel=channel, remote_id=sandbox_post.remote_id).first()
    if variant is None:
        post = Post.objects.create(
            unit=channel.unit,
            title=title,
            text=text,
            author=editor,
            status=Post.Status.PUBLISHED,
            planned_at=sandbox_post.created_at,
            approved_at=sandbox_post.created_at - timedelta(hours=1),
        )
        variant = PostVariant.objects.create(
            post=post,
            channel=channel,
            status=PostVariant.Status.PUBLISHED,
            scheduled_at=sandbox_post.created_at,
            published_at=sandbox_post.created_at,
            remote_id=sandbox_post.remote_id,
            remote_url=f"https://sandbox.example/{sandbox_post.remote_id}",
        )
    _snapshots(variant, sandbox_post, now)
    return sandbox_post.remote_id, sandbox_post.created_at


def _snapshots(variant: PostVariant, sandbox_post: SandboxPost, now: datetime) -> None:
    """The readings the schedule has taken by now; the one due now is left to the worker."""
    published_at = sandbox_post.created_at
    due_now = bucket_due(published_at, now)
    rows = []
    for bucket in SNAPSHOT_BUCKETS:
        taken_at = published_at + timedelta(hours=bucket, minutes=4)
        if taken_at > now or bucket == due_now:
            break
        figures = simulation.post_metrics(sandbox_post.remote_id, published_at, taken_at)
        values = {name: figures.get(name) for name in POST_METRIC_FIELDS}
        rows.append(
            PostMetricSnapshot(
                variant=variant,
                channel_id=variant.channel_id,
                age_bucket=bucket,
                taken_at=taken_at,
                raw={**figures, "demo": True},
                **values,
            )
        )
    PostMetricSnapshot.objects.bulk_create(rows, ignore_conflicts=True)


def _figures(
    channel: Channel, account: SandboxAccount, posts: list[tuple[str, datetime]], now: datetime
) -> None:
    """60 days up to yesterday (today's is read live): followers growing by a few a day
    from the account's base, the posts published by then, and their impressions that day."""
    today = timezone.localdate(now)
    base = account.followers_base
    rows = []
    followers = base - _number(f"start:{channel.pk}", 150, 400)
    for offset in range(FIGURE_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        followers += _number(f"growth:{channel.pk}:{day}", 0, 9)
        end = timezone.make_aware(datetime.combine(day, time(23, 30)))
        published = [(remote_id, at) for remote_id, at in posts if at <= end]
        rows.append(
            ChannelDailyFigure(
                channel=channel,
                day=day,
                taken_at=end,
                followers=followers,
                posts=len(published),
                reach=impressions_last_day(published, end),
                raw={"demo": True},
            )
        )
    ChannelDailyFigure.objects.bulk_create(rows, ignore_conflicts=True)
