"""Analytics dashboard under load: 200 channels of one authority (10 units), two years of
daily channel figures per channel, 50,000 published posts with 10 metric snapshots each,
loaded into a throw-away PostgreSQL database (posts and variants with ``bulk_create``, the
figures and snapshots with INSERT … SELECT generate_series).

Measures the dashboard page as a request gets it (the test client, the whole view with its
template: ``GET /analytics/?preset=last_90``), for one unit and for the whole authority,
30 requests each after a warm-up. Prints ``<case>_p50_ms``, ``<case>_p95_ms`` (repeated
requests: the dashboard cache answers), ``<case>_uncached_p50_ms``/``…_p95_ms`` (the cache
switched off: every request computes the figures), ``<case>_queries``, ``<case>_bytes``;
also ``load_s`` and the machine's load. Target: p95 under 200 ms. The snapshots' trigger
fills ``PostMetricLatest`` while they are loaded.

Environment (for a quicker look): BENCH_ANALYTICS_CHANNELS (default 200),
BENCH_ANALYTICS_DAYS (730), BENCH_ANALYTICS_POSTS (50000), BENCH_ANALYTICS_REQUESTS (30);
BENCH_DATABASE_SUFFIX names the throw-away database ``sprachrohr_bench_analytics<suffix>``.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from datetime import timedelta

from _setup import setup_django

setup_django("analytics" + os.environ.get("BENCH_DATABASE_SUFFIX", ""))

from django.db import connection  # noqa: E402
from django.db import reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import OrgUnit  # noqa: E402
from accounts.models import Role  # noqa: E402
from accounts.models import RoleAssignment  # noqa: E402
from accounts.models import User  # noqa: E402
from accounts.services import unit_create  # noqa: E402
from analytics.models import ChannelDailyFigure  # noqa: E402
from analytics.models import PostMetricSnapshot  # noqa: E402
from channels_app.models import Channel  # noqa: E402
from channels_app.models import Platform  # noqa: E402
from editorial.models import Post  # noqa: E402
from editorial.models import PostVariant  # noqa: E402
from editorial.models import Topic  # noqa: E402

CHANNELS = int(os.environ.get("BENCH_ANALYTICS_CHANNELS", "200"))
DAYS = int(os.environ.get("BENCH_ANALYTICS_DAYS", "730"))
POSTS = int(os.environ.get("BENCH_ANALYTICS_POSTS", "50000"))
REQUESTS = int(os.environ.get("BENCH_ANALYTICS_REQUESTS", "30"))
UNITS = 10
TOPICS = 20
SNAPSHOT_AGES = (1, 24, 168, 192, 216, 240, 264, 288, 312, 336)  # ten per post
WARMUP = 3


def load() -> tuple[User, OrgUnit]:
    root = unit_create(actor=None, name="Stadt Bench", kind=OrgUnit.Kind.AUTHORITY)
    root.population = 250_000
    root.save()
    units = [
        unit_create(actor=None, name=f"Amt {i}", kind=OrgUnit.Kind.DEPARTMENT, parent=root)
        for i in range(UNITS)
    ]
    channels = Channel.objects.bulk_create(
        Channel(
            unit=units[i % UNITS],
            name=f"Kanal {i:03d}",
            platform=Platform.SANDBOX if i % 50 == 0 else Platform.MASTODON,
            status=Channel.Status.ACTIVE,
        )
        for i in range(CHANNELS)
    )
    reader = User.objects.create_user(email="leitung@bench.example", full_name="Leitung")
    RoleAssignment.objects.create(user=reader, unit=root, role=Role.APPROVER)
    topics = Topic.objects.bulk_create(
        Topic(unit=units[i % UNITS], name=f"Thema {i}") for i in range(TOPICS)
    )
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {ChannelDailyFigure._meta.db_table}
                (channel_id, day, taken_at, followers, posts, reach, insights_off, raw)
            SELECT c, %(today)s - d, now(), 1000 + c %% 97 * 10 + (%(days)s - d) * 3,
                   500 + (%(days)s - d), CASE WHEN c %% 4 = 0 THEN NULL ELSE 200 + d %% 50 END,
                   false, '{{}}'::jsonb
            FROM unnest(%(channels)s::int[]) AS c, generate_series(0, %(days)s - 1) AS d
            """,  # noqa: S608  # the table name is the model's
            {"today": today, "days": DAYS, "channels": [c.pk for c in channels]},
        )
    now = timezone.now()
    step = timedelta(days=DAYS) / max(POSTS, 1)
    batch = 5000
    for first in range(0, POSTS, batch):
        numbers = range(first, min(first + batch, POSTS))
        posts = Post.objects.bulk_create(
            Post(
                unit=units[n % UNITS],
                title=f"Beitrag {n}",
                text="Die Bürgersprechstunde fällt heute aus.",
                status=Post.Status.PUBLISHED,
                author=reader,
                topic=topics[n % TOPICS],
                planned_at=now - step * n,
            )
            for n in numbers
        )
        PostVariant.objects.bulk_create(
            PostVariant(
                post=post,
                channel=channels[n % CHANNELS],
                status=PostVariant.Status.PUBLISHED,
                published_at=now - step * n,
                remote_id=f"r{n}",
                idempotency_key=uuid.uuid4(),
            )
            for n, post in zip(numbers, posts, strict=True)
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {PostMetricSnapshot._meta.db_table}
                (variant_id, channel_id, age_bucket, taken_at, impressions, reach, likes,
                 shares, comments, clicks, video_views, insights_off, raw)
            SELECT v.id, v.channel_id, a, v.published_at + a * interval '1 hour',
                   NULL, (v.id %% 500) + a, (v.id %% 37) + a / 24, v.id %% 5, v.id %% 7,
                   NULL, NULL, false, '{{}}'::jsonb
            FROM {PostVariant._meta.db_table} v, unnest(%(ages)s::int[]) AS a
            """,  # noqa: S608  # the table names are the models'
            {"ages": list(SNAPSHOT_AGES)},
        )
        cursor.execute("VACUUM ANALYZE")
    return reader, units[0]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(name: str, client: Client, url: str) -> None:
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    times = []
    size = 0
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    with override_settings(DEBUG=True):
        reset_queries()
        client.get(url)
        queries = len(connection.queries)
    # The same requests with the dashboard cache switched off: every request computes.
    uncached = []
    with override_settings(ANALYTICS_DASHBOARD_CACHE_SECONDS=0):
        for _ in range(REQUESTS):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            uncached.append((time.perf_counter() - started) * 1000)
    print(f"{name}_p50_ms: {statistics.median(times):.1f}")
    print(f"{name}_p95_ms: {percentile(times, 0.95):.1f}")
    print(f"{name}_uncached_p50_ms: {statistics.median(uncached):.1f}")
    print(f"{name}_uncached_p95_ms: {percentile(uncached, 0.95):.1f}")
    print(f"{name}_queries: {queries}")
    print(f"{name}_bytes: {size}")


def main() -> None:
    started = time.perf_counter()
    reader, unit = load()
    print(f"channels: {CHANNELS}")
    print(f"days: {DAYS}")
    print(f"posts: {POSTS}")
    print(f"snapshots: {POSTS * len(SNAPSHOT_AGES)}")
    print(f"load_s: {time.perf_counter() - started:.1f}")
    client = Client()
    client.force_login(reader)
    measure("dashboard_one_unit_90d", client, f"/analytics/?preset=last_90&unit={unit.pk}")
    measure("dashboard_authority_90d", client, "/analytics/?preset=last_90")
    print(f"machine_load_average_1min: {os.getloadavg()[0]:.1f}")
    print(f"machine_cpus: {os.cpu_count()}")


if __name__ == "__main__":
    main()
