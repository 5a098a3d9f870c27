"""Ingestion throughput: items per minute that ONE worker stores from the sandbox, through
the real pipeline (adapter over HTTP semantics, change feed, storage with thread context,
authors, revisions check, the flags and deadline hooks in the batch's transaction, the
storm check after it), on real PostgreSQL (own throw-away database).

Set-up (not timed): one sandbox channel per unit of a small organisation, ``POSTS`` posts
written four days ago whose whole simulated comment schedule exists (about 6.5 comments a
post). Timed: claim and run the comments streams as the worker's ``ingest_stream`` does,
until everything is stored.

The sandbox answers in-process (``channels_app.sandbox.transport``), so the timed work also
contains the sandbox's own side of each request (its query, its JSON): the number is a
lower bound for a worker talking to a platform over the network with a fast answer.

Prints: items (stored), seconds, items_per_minute (target: over 10,000), pages, ms_per_page,
queries_per_page_with_sandbox (statements per page, the
sandbox's included), duplicates (must be 0). Exits with 1 if an item is missing or doubled.
Environment: BENCH_INGEST_POSTS (default 2500).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta

from _setup import setup_django

POSTS = int(os.environ.get("BENCH_INGEST_POSTS", "2500"))
CHANNELS = 4


def main() -> None:
    setup_django("ingestion")

    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import OrgUnit
    from accounts.permissions import channel_permissions_sync
    from accounts.services import unit_create
    from channels_app.adapters.base import AccountChoice
    from channels_app.adapters.sandbox import SandboxAdapter
    from channels_app.models import Channel
    from channels_app.sandbox import simulation
    from channels_app.sandbox.models import SandboxAccount
    from channels_app.sandbox.models import SandboxComment
    from channels_app.sandbox.models import SandboxPost
    from channels_app.sandbox.services import token_grant_password
    from channels_app.sandbox.transport import in_process_session
    from channels_app.services import channel_connect
    from moderation.ingestion import services as ingestion
    from moderation.models import InboxItem
    from moderation.models import IngestCursor

    unit = unit_create(actor=None, name="Benchmarkstadt", kind=OrgUnit.Kind.AUTHORITY)
    cursors = []
    expected = 0
    written = timezone.now() - timedelta(days=4)
    for c in range(CHANNELS):
        handle = f"bench-ingest-{c}"
        tokens = token_grant_password(username=handle, password="pw")  # noqa: S106
        account = SandboxAccount.objects.get(handle=handle)
        channel = Channel.objects.create(unit=unit, name=f"Kanal {c}", platform="sandbox")
        channel_permissions_sync(channel)
        channel_connect(
            actor=None,
            channel=channel,
            choice=AccountChoice(
                account_id=str(account.pk),
                name=handle,
                handle=handle,
                credentials=SandboxAdapter.credentials_from_token_response(tokens),
            ),
        )
        posts = SandboxPost.objects.bulk_create(
            SandboxPost(
                account=account,
                remote_id=f"p{c}x{n:06d}",
                text=f"Beitrag {n}",
                created_at=written,
                comments_complete=True,
            )
            for n in range(POSTS // CHANNELS)
        )
        comments = []
        for post in posts:
            for scheduled in simulation.comment_schedule(post.remote_id):
                created_at = written + scheduled.offset
                comments.append(
                    SandboxComment(
                        post=post,
                        remote_id=simulation.comment_remote_id(post.remote_id, scheduled.index),
                        author_name=scheduled.author_name,
                        author_id=scheduled.author_id,
                        text=scheduled.text,
                        created_at=created_at,
                        changed_at=created_at,
                    )
                )
        SandboxComment.objects.bulk_create(comments, batch_size=2000)
        expected += len(comments)
        ingestion.cursors_ensure(channels=[channel])
        cursors.append(IngestCursor.objects.get(channel=channel, stream="comments"))

    session = in_process_session()
    pages = 0
    queries = 0
    original_store = ingestion._page_store

    def counting_store(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal pages
        pages += 1
        return original_store(*args, **kwargs)

    ingestion._page_store = counting_store  # type: ignore[assignment]

    def count_query(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    # Every statement of the run, the sandbox's side included (one process, one connection).
    with connection.execute_wrapper(count_query):
        while InboxItem.objects.count() < expected:
            progressed = False
            for cursor in cursors:
                IngestCursor.objects.filter(pk=cursor.pk).update(claimed_at=timezone.now())
                before = IngestCursor.objects.get(pk=cursor.pk).items_total
                outcome = ingestion.stream_ingest(cursor_id=cursor.pk, session=session)
                if outcome != "ok":
                    sys.exit(f"ingestion failed: {outcome}")
                progressed |= IngestCursor.objects.get(pk=cursor.pk).items_total > before
            if not progressed:
                break
    elapsed = time.perf_counter() - started
    stored = InboxItem.objects.count()
    duplicates = (
        InboxItem.objects.values("channel", "remote_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    print(f"items: {stored}")
    print(f"seconds: {elapsed:.2f}")
    print(f"items_per_minute: {stored / elapsed * 60:.0f}")
    print(f"pages: {pages}")
    print(f"ms_per_page: {elapsed / max(pages, 1) * 1000:.1f}")
    print(f"queries_per_page_with_sandbox: {queries / max(pages, 1):.1f}")
    print(f"duplicates: {duplicates}")
    if stored != expected or duplicates:
        sys.exit(f"expected {expected} items exactly once, stored {stored}")


if __name__ == "__main__":
    main()
