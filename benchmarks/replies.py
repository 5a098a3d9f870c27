"""Replies under load: 200,000 replies on 50 channels of one authority (mostly sent, some
waiting for approval, some queued with a lost message), real PostgreSQL (own throw-away
database), bulk-loaded with INSERT … SELECT generate_series.

Measures what runs often or per request:

* ``sweep_idle_ms``: the beat sweeper (every 30 s) when nothing is due, the usual case;
* ``sweep_batch_ms``: one sweep marking a batch of 500 lost replies (the broker call is
  replaced by a counter: queueing is Redis' cost, not this code's);
* ``approval_queue_p50_ms`` / ``_p95_ms``: the approval queue's first page (25 rows,
  evaluated with their relations, a fresh user each time);
* ``panel_p50_ms`` / ``_p95_ms``: the reply panel of an item with 20 replies and 60 saved
  replies, as the conversation view builds it;
* ``create_p50_ms``: writing one reply (validation, audit entry, queue mark).

Targets: every p95 under 50 ms; the idle sweep under 20 ms.
Environment: BENCH_REPLIES (default 200000) for a quicker look.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from _setup import setup_django

setup_django("replies")

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import OrgUnit  # noqa: E402
from accounts.models import Role  # noqa: E402
from accounts.models import RoleAssignment  # noqa: E402
from accounts.models import User  # noqa: E402
from accounts.services import unit_create  # noqa: E402
from channels_app.models import Channel  # noqa: E402
from moderation.models import Author  # noqa: E402
from moderation.models import InboxItem  # noqa: E402
from moderation.models import Reply  # noqa: E402
from moderation.models import SavedReply  # noqa: E402
from moderation.replies import tasks  # noqa: E402
from moderation.replies.panel import reply_panel_context  # noqa: E402
from moderation.replies.selectors import replies_awaiting_approval_for  # noqa: E402
from moderation.replies.sending import replies_dispatch_due  # noqa: E402
from moderation.replies.services import reply_create  # noqa: E402

REPLIES = int(os.environ.get("BENCH_REPLIES", "200000"))
CHANNELS = 50
LOST = 500
WAITING = 2000
REQUESTS = 50
WARMUP = 5


def load() -> tuple[list[User], InboxItem]:
    root = unit_create(actor=None, name="Stadt Bench", kind=OrgUnit.Kind.AUTHORITY)
    channels = Channel.objects.bulk_create(
        Channel(unit=root, name=f"Kanal {i:02d}", platform="sandbox") for i in range(CHANNELS)
    )
    managers = []
    for i in range(4):
        person = User.objects.create_user(email=f"cm{i}@bench.example", full_name=f"CM {i}")
        RoleAssignment.objects.create(user=person, unit=root, role=Role.COMMUNITY_MANAGER)
        managers.append(person)
    ids = [c.pk for c in channels]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO moderation_author
                (channel_id, remote_id, handle, display_name, profile_url, first_seen_at,
                 last_seen_at)
            SELECT (%(ids)s::int[])[1 + n %% %(channels)s], 'a' || n, 'buerger' || n,
                   'Bürgerin ' || n, '', now(), now()
            FROM generate_series(1, 5000) AS n
            """,
            {"ids": ids, "channels": CHANNELS},
        )
        cursor.execute(
            """
            INSERT INTO moderation_inboxitem
                (channel_id, remote_id, kind, post_remote_id, parent_remote_id, author_id, text,
                 url, raw, created_at, ingested_at, updated_at, remote_hidden, status, priority)
            SELECT a.channel_id, 'c' || a.id, 'comment', 'p1', '', a.id, 'Frage ' || a.id, '',
                   '{}', now() - interval '1 day', now(), now(), false, 'answered', 1
            FROM moderation_author a
            """
        )
        cursor.execute(
            """
            INSERT INTO moderation_reply
                (item_id, author_id, text, status, idempotency_key, created_at, attempts,
                 remote_id, remote_url, last_error, rejection_reason, queued_at, sent_at)
            SELECT i.id, %(author)s, 'Antwort ' || n,
                   CASE WHEN n <= %(lost)s THEN 'queued'
                        WHEN n <= %(lost)s + %(waiting)s THEN 'awaiting_approval'
                        ELSE 'sent' END,
                   gen_random_uuid(), now() - (n || ' seconds')::interval, 1, 'r' || n, '', '',
                   '', CASE WHEN n <= %(lost)s THEN now() - interval '1 hour' END,
                   CASE WHEN n > %(lost)s + %(waiting)s THEN now() END
            FROM generate_series(1, %(replies)s) AS n
            JOIN moderation_inboxitem i ON i.id = (
                SELECT min(id) FROM moderation_inboxitem) + n %% 5000
            """,
            {
                "author": managers[0].pk,
                "lost": LOST,
                "waiting": WAITING,
                "replies": REPLIES,
            },
        )
        cursor.execute("ANALYZE")
    author = Author.objects.order_by("id").first()
    assert author is not None
    item = InboxItem.objects.create(
        channel_id=author.channel_id,
        author=author,
        remote_id="panel-item",
        text="Gilt das auch am Wochenende?",
        created_at=timezone.now(),
    )
    for number in range(20):
        Reply.objects.create(item=item, author=managers[0], text=f"Antwort {number}", status="sent")
    SavedReply.objects.bulk_create(
        SavedReply(unit=root, title=f"Baustein {n:02d}", text="Hallo {name}, danke! {unit}")
        for n in range(60)
    )
    return managers, item


def timed(run: Callable[[], object], repeat: int = REQUESTS) -> list[float]:
    for _ in range(WARMUP):
        run()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    print(f"{name}_p50_ms: {statistics.median(samples):.1f}")
    print(f"{name}_p95_ms: {samples[int(len(samples) * 0.95) - 1]:.1f}")


def main() -> None:
    start = time.perf_counter()
    managers, item = load()
    print(f"load_s: {time.perf_counter() - start:.1f}")
    queued: list[int] = []
    tasks.send_reply.delay = queued.append  # type: ignore[method-assign]

    start = time.perf_counter()
    marked = replies_dispatch_due()
    print(f"sweep_batch_ms: {(time.perf_counter() - start) * 1000:.1f}")
    print(f"sweep_batch_rows: {marked}")
    idle = timed(replies_dispatch_due, repeat=20)
    print(f"sweep_idle_ms: {statistics.median(idle):.1f}")

    def approval_queue() -> None:
        user = User.objects.get(pk=managers[1].pk)  # a fresh user: no cached roles
        list(replies_awaiting_approval_for(user)[:25])

    report("approval_queue", timed(approval_queue))

    def panel() -> None:
        user = User.objects.get(pk=managers[0].pk)
        context = reply_panel_context(user, item)
        assert context is not None and len(context["replies"]) == 20

    report("panel", timed(panel))

    Reply.objects.filter(status="queued").update(queued_at=timezone.now() + timedelta(days=1))
    report(
        "create",
        timed(lambda: reply_create(actor=managers[0], item=item, text="Danke für den Hinweis!")),
    )


if __name__ == "__main__":
    main()
