"""Service levels and retention under volume, in a throw-away PostgreSQL database (``_setup``).

Prints (each step's median over ``ROUNDS`` where it can be repeated):
- clock_add_us: one ``ServiceCalendar.add`` of 240 service minutes from a random moment of a
  year (weekends, NRW holidays, DST), in microseconds;
- deadlines_batch_ms / deadlines_batch_queries: ``items_set_deadlines`` for one ingestion
  batch of 500 items on 5 channels of 5 units, a third of them follow-ups in answered
  threads (target: well under the time of the platform call that fetched the page, and a
  number of queries that does not grow with the batch);
- report_ms: ``service_level_report`` over 20,000 items of 30 days (the median in service
  hours is computed per answered item);
- retention_s / retention_items: ``retention_apply`` erasing 20,000 closed items (with a
  revision and a flag each) and pseudonymising their 2,000 authors;
- retention_again_ms: the next hourly run, which finds nothing.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import datetime
from datetime import timedelta

from _setup import ROUNDS
from _setup import median_ms
from _setup import setup_django

BATCH = 500
REPORT_ITEMS = 20_000
AUTHORS = 2_000


def main() -> None:
    setup_django("service_levels")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import OrgUnit
    from channels_app.models import Channel
    from editorial.planning.holidays import public_holidays
    from moderation.common.permissions import channels_for_reading  # noqa: F401
    from moderation.models import Author
    from moderation.models import Flag
    from moderation.models import InboxItem
    from moderation.models import ItemRevision
    from moderation.models import ModerationSettings
    from moderation.privacy.services import retention_apply
    from moderation.service_levels.clock import BERLIN
    from moderation.service_levels.clock import ServiceCalendar
    from moderation.service_levels.clock import parse_service_hours
    from moderation.service_levels.selectors import service_level_report
    from moderation.service_levels.services import items_set_deadlines

    rng = random.Random(7)

    # --- Clock -------------------------------------------------------------------------------
    calendar = ServiceCalendar(
        hours=parse_service_hours(
            {str(d): [["08:00", "12:00"], ["13:00", "16:30"]] for d in range(5)}
        ),
        holidays=lambda year: frozenset(public_holidays("NW", year)),
    )
    start = datetime(2026, 1, 1, tzinfo=BERLIN)
    moments = [start + timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(10_000)]
    began = time.perf_counter()
    for moment in moments:
        calendar.add(moment, 240)
    print(f"clock_add_us: {(time.perf_counter() - began) / len(moments) * 1e6:.1f}")

    # --- Deadlines per batch -----------------------------------------------------------------
    city = OrgUnit.objects.create(name="Stadt", federal_state="NW")
    units = [OrgUnit.objects.create(name=f"Amt {n}", parent=city) for n in range(5)]
    for unit in units[:3]:
        ModerationSettings.objects.create(unit=unit, first_response_minutes=120)
    channels = [
        Channel.objects.create(unit=unit, platform="sandbox", name=f"Kanal {n}")
        for n, unit in enumerate(units)
    ]
    authors = Author.objects.bulk_create(
        Author(channel=channels[n % 5], remote_id=f"a{n}", handle=f"user{n}")
        for n in range(AUTHORS)
    )
    now = timezone.now()
    answered = InboxItem.objects.bulk_create(
        InboxItem(
            channel=author.channel,
            remote_id=f"root-{author.pk}",
            author=author,
            text="Frage",
            created_at=now - timedelta(days=1),
            last_responded_at=now - timedelta(hours=20),
        )
        for author in authors
    )
    batches = []
    for round_number in range(ROUNDS):
        batch = []
        for n in range(BATCH):
            root = answered[rng.randrange(len(answered))]
            follow_up = n % 3 == 0
            author = root.author if follow_up else authors[rng.randrange(len(authors))]
            batch.append(
                InboxItem(
                    channel_id=author.channel_id,
                    remote_id=f"b{round_number}-{n}",
                    author=author,
                    parent=root if follow_up else None,
                    parent_remote_id=root.remote_id if follow_up else "",
                    text="Nachfrage",
                    created_at=now - timedelta(minutes=rng.randrange(600)),
                )
            )
        batches.append(InboxItem.objects.bulk_create(batch))
    times = []
    queries = []
    for batch in batches:
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            items_set_deadlines(items=batch)
            times.append((time.perf_counter() - began) * 1000)
        queries.append(len(captured))
    print(f"deadlines_batch_ms: {statistics.median(times):.1f}")
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(items_set_deadlines, items=batches[0])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    print(f"deadlines_batch_queries: {max(queries)}")

    # --- Report -------------------------------------------------------------------------------
    report_items = []
    for n in range(REPORT_ITEMS):
        created = now - timedelta(minutes=rng.randrange(30 * 24 * 60))
        responded = created + timedelta(minutes=rng.randrange(3 * 24 * 60)) if n % 4 else None
        report_items.append(
            InboxItem(
                channel=channels[n % 5],
                remote_id=f"r{n}",
                author=authors[n % AUTHORS],
                text="Kommentar",
                created_at=created,
                response_due_at=created + timedelta(hours=8) if responded is None else None,
                first_responded_at=responded,
                first_response_breached=(responded - created > timedelta(hours=8))
                if responded
                else None,
                status=InboxItem.Status.CLOSED,
                closed_at=now - timedelta(days=120),
            )
        )
    InboxItem.objects.bulk_create(report_items, batch_size=2000)
    report_channels = Channel.objects.filter(pk__in=[c.pk for c in channels])
    today = timezone.localdate()
    print(
        "report_ms: "
        + f"{median_ms(lambda: service_level_report(unit=city, start=today - timedelta(days=30), end=today, channels=report_channels)):.1f}"  # noqa: E501
    )

    # --- Retention -----------------------------------------------------------------------------
    closed = list(
        InboxItem.objects.filter(status=InboxItem.Status.CLOSED).values_list("pk", flat=True)
    )
    ItemRevision.objects.bulk_create(
        ItemRevision(item_id=pk, change="edited", previous_text="alt") for pk in closed
    )
    Flag.objects.bulk_create(
        Flag(item_id=pk, kind="personal_data", code="phone", explanation="0171") for pk in closed
    )
    # Every author's other items closed too, so that all can be pseudonymised.
    InboxItem.objects.exclude(status=InboxItem.Status.CLOSED).update(
        status=InboxItem.Status.CLOSED, closed_at=now - timedelta(days=120)
    )
    began = time.perf_counter()
    summary = retention_apply()
    print(f"retention_s: {time.perf_counter() - began:.2f}")
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        InboxItem.objects.update(erased_at=None)
        Author.objects.update(pseudonymised_at=None)
        profile = cProfile.Profile()
        profile.runcall(retention_apply)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    print(f"retention_items: {summary['items']}")
    print(f"retention_authors: {summary['authors']}")
    print(f"retention_again_ms: {median_ms(retention_apply):.1f}")


if __name__ == "__main__":
    main()
