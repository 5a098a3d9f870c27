"""Inbox list under load: 1,000,000 items on 200 channels of one authority (10 units), with
100,000 authors, flags on about 6 % of the items, a rare word in 50 of them, every status,
priorities and assignees, bulk-loaded into PostgreSQL (own throw-away database) with
INSERT … SELECT generate_series.

Measures the list as the page view builds it (``moderation.inbox.selectors.inbox_page``:
the reader's channels, the page of 50 rows with their flags, and for free text the
matching authors first; evaluated, with a fresh user each time as a request has) for
typical pages, 50 requests each after a warm-up, and the same SQL statements (every one
the list sends, captured from Django with their parameters, prepared or not as the list
sent them) run straight through psycopg's cursor, each request and its raw replay in turn.

Prints per page: ``<page>_p50_ms``, ``<page>_p95_ms`` (server time), ``<page>_sql_p50_ms``
(the raw SQL), ``<page>_ratio`` (p50 server / p50 SQL), ``<page>_queries`` and
``<page>_rows``; ``<page>_sql_literal_p50_ms`` is the raw SQL with the values written into
its text (PostgreSQL then plans it once for all 50 replays; a request, whose clock and keys
differ, cannot), only for comparison with earlier figures. Targets:
p95 under 50 ms, ratio under 2. Also ``load_s`` (time to load the data) and the
machine's load average (the times mean little on a machine busy with other work).

Environment: BENCH_INBOX_ITEMS (default 1000000) for a quicker look; BENCH_DATABASE_SUFFIX
(default none) names the throw-away database ``sprachrohr_bench_inbox<suffix>``, so that two
runs at the same time on one server do not drop each other's data.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from _setup import setup_django

setup_django("inbox" + os.environ.get("BENCH_DATABASE_SUFFIX", ""))

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import OrgUnit  # noqa: E402
from accounts.models import Role  # noqa: E402
from accounts.models import RoleAssignment  # noqa: E402
from accounts.models import User  # noqa: E402
from accounts.services import unit_create  # noqa: E402
from channels_app.models import Channel  # noqa: E402
from moderation.inbox.selectors import InboxFilters  # noqa: E402
from moderation.inbox.selectors import inbox_page  # noqa: E402

ITEMS = int(os.environ.get("BENCH_INBOX_ITEMS", "1000000"))
CHANNELS = 200
UNITS = 10
AUTHORS_PER_CHANNEL = 500
ASSIGNEES = 20
REQUESTS = 50
WARMUP = 5

WORDS = [
    "Baustelle", "Bürgerbüro", "Müllabfuhr", "Parkplatz", "Kita", "Schwimmbad", "Radweg",
    "Ampel", "Bibliothek", "Friedhof", "Spielplatz", "Bus", "Straßenbahn", "Lärm", "Termin",
    "Personalausweis", "Hundesteuer", "Grundsteuer", "Wahl", "Impfung", "Schule", "Feuerwehr",
    "Polizei", "Hochwasser", "Sperrung", "Umleitung", "Förderung", "Antrag", "Gebühr", "Formular",
    "Öffnungszeiten", "Sprechstunde", "Rathaus", "Bürgermeisterin", "Stadtrat", "Haushalt",
    "Sanierung", "Brücke", "Kreuzung", "Zebrastreifen", "Laterne", "Baum", "Park", "Markt",
    "Fest", "Konzert", "Museum", "Theater", "Sporthalle", "Ordnungsamt",
]  # fmt: skip


def load() -> tuple[User, list[int], list[int]]:
    root = unit_create(actor=None, name="Stadt Bench", kind=OrgUnit.Kind.AUTHORITY)
    units = [
        unit_create(actor=None, name=f"Amt {i}", kind=OrgUnit.Kind.DEPARTMENT, parent=root)
        for i in range(UNITS)
    ]
    channels = Channel.objects.bulk_create(
        Channel(unit=units[i % UNITS], name=f"Kanal {i:03d}", platform="sandbox")
        for i in range(CHANNELS)
    )
    channel_ids = [c.pk for c in channels]
    reader = User.objects.create_user(email="leser@bench.example", full_name="Leserin")
    RoleAssignment.objects.create(user=reader, unit=root, role=Role.COMMUNITY_MANAGER)
    assignees = []
    for i in range(ASSIGNEES):
        person = User.objects.create_user(email=f"cm{i}@bench.example", full_name=f"CM {i}")
        RoleAssignment.objects.create(user=person, unit=root, role=Role.COMMUNITY_MANAGER)
        assignees.append(person.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO moderation_author
                (channel_id, remote_id, handle, display_name, profile_url, first_seen_at,
                 last_seen_at)
            SELECT (%s::int[])[1 + (g %% %s)], 'a' || g, 'nutzer' || g,
                   'Bürgerin ' || g, '', now(), now()
            FROM generate_series(0, %s - 1) AS g
            """,
            [channel_ids, CHANNELS, CHANNELS * AUTHORS_PER_CHANNEL],
        )
        # Building the item indexes once after the load is several times faster than keeping
        # them up to date row by row (the GIN trigram index above all).
        cursor.execute(
            """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE tablename = 'moderation_inboxitem' AND indexname NOT IN (
                SELECT conname FROM pg_constraint
                WHERE conrelid = 'moderation_inboxitem'::regclass
            )
            """
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SELECT min(id) FROM moderation_author")
        first_author = cursor.fetchone()[0]
        # Item g is on channel g % 200 and written by one of that channel's authors (author
        # a is on channel a % 200); one item a minute on average, newest first by g.
        cursor.execute(
            """
            WITH p AS (
                SELECT %(channels)s::int[] AS channels, %(words)s::text[] AS words,
                       %(assignees)s::int[] AS assignees, %(first_author)s::int AS first_author,
                       %(n_channels)s::int AS nc, %(per_channel)s::int AS pc,
                       %(n_assignees)s::int AS na
            )
            INSERT INTO moderation_inboxitem
                (channel_id, remote_id, kind, post_remote_id, parent_remote_id, author_id, text,
                 url, raw, created_at, ingested_at, updated_at, remote_hidden, status, priority,
                 assignee_id, response_due_at)
            SELECT p.channels[1 + g %% p.nc], 'c' || g, 'comment', 'p' || (g / 1000), '',
                   p.first_author + g %% p.nc + p.nc * ((g / p.nc) %% p.pc),
                   'Frage ' || g || ' zu ' || p.words[1 + (g * 7) %% 50] || ' und '
                     || p.words[1 + (g * 13) %% 47] || ': wann wird das erledigt?'
                     || CASE WHEN g %% 20000 = 0 THEN ' Schlaglochsuppe!' ELSE '' END,
                   '', '{}'::jsonb, now() - g * interval '1 minute', now(), now(), false,
                   (ARRAY['new','new','open','pending','answered','no_action','closed','closed',
                          'closed','closed'])[1 + (g * 3) %% 10],
                   (g %% 4)::smallint,
                   CASE WHEN g %% 10 = 0 THEN p.assignees[1 + (g / 10) %% p.na] END,
                   now() - g * interval '1 minute' + interval '4 hours'
            FROM p, generate_series(0, %(items)s - 1) AS g
            """,
            {
                "channels": channel_ids,
                "words": WORDS,
                "assignees": assignees,
                "first_author": first_author,
                "n_channels": CHANNELS,
                "per_channel": AUTHORS_PER_CHANNEL,
                "n_assignees": ASSIGNEES,
                "items": ITEMS,
            },
        )
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute(
            """
            INSERT INTO moderation_flag (item_id, kind, code, explanation, evidence, created_at)
            SELECT id, 'insult', 'lexicon', 'Enthält ein Wort aus dem Beleidigungslexikon.',
                   '{}'::jsonb, created_at
            FROM moderation_inboxitem WHERE id % 25 = 0
            UNION ALL
            SELECT id, 'spam_link', 'link', 'Enthält einen Link auf eine bekannte Spam-Seite.',
                   '{}'::jsonb, created_at
            FROM moderation_inboxitem WHERE id % 50 = 7
            """
        )
        cursor.execute("UPDATE moderation_flag SET dismissed_at = now() WHERE id % 5 = 0")
        # VACUUM as well, as autovacuum does on a live table (the development server runs
        # without it): it moves the authors from the pending lists of their trigram indexes,
        # filled row by row above, into the indexes proper (a handle search read the lists
        # through: 30 ms instead of 10) and marks the pages all-visible.
        cursor.execute("VACUUM ANALYZE")
    return reader, channel_ids, assignees


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# The SQL, its parameters as sent, and whether psycopg may prepare it (the list sends its
# pages unprepared, so that PostgreSQL plans each with its values).
Statement = tuple[str, Any, bool]


def capture(run: Callable[[User], Any], user: User) -> tuple[Any, list[Statement]]:
    """What ``run`` returns and every statement it sent, as it sent them."""
    statements: list[Statement] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        preparable = connection.connection.prepare_threshold is not None
        statements.append((sql, params, preparable))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        rows = run(user)
    return rows, statements


def replay(statements: list[Statement]) -> None:
    # psycopg's own cursor: ``prepare=False`` where the list had prepared statements off.
    with connection.connection.cursor() as cursor:
        for sql, params, preparable in statements:
            cursor.execute(sql, params, prepare=None if preparable else False)
            cursor.fetchall()


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure(name: str, run: Callable[[User], Any], user_id: int) -> None:
    # Each request has its user loaded afresh by the authentication middleware (not part of
    # the list's code path, so loaded before the clock starts); its roles are looked up by
    # the list's code and are measured.
    for _ in range(WARMUP):
        run(User.objects.get(pk=user_id))
    rows, statements = capture(run, User.objects.get(pk=user_id))
    # The raw side sends the same statements with the same parameters through the same
    # connection, prepared or not as the list sent them, so PostgreSQL parses and plans
    # them as it does the list's own: the difference is the list's Python. (The statements
    # with their values written into the text, replayed 50 times, are planned once and
    # their plan reused: no request can do that, its clock and keys differ. Printed as
    # ``sql_literal`` for comparison.)
    with psycopg.ClientCursor(connection.connection) as client:
        literal = [(client.mogrify(sql, params), None, True) for sql, params, _ in statements]
    for _ in range(WARMUP):
        replay(statements)
        replay(literal)
    server: list[float] = []
    raw: list[float] = []
    raw_literal: list[float] = []
    # Interleaved, so that a change in the machine's load hits both sides alike.
    for _ in range(REQUESTS):
        user = User.objects.get(pk=user_id)
        server.append(timed(partial(run, user)))
        raw.append(timed(partial(replay, statements)))
        raw_literal.append(timed(partial(replay, literal)))
    p50, sql_p50 = statistics.median(server), statistics.median(raw)
    print(f"{name}_rows: {rows}")
    print(f"{name}_queries: {len(statements)}")
    print(f"{name}_p50_ms: {p50:.1f}")
    print(f"{name}_p95_ms: {percentile(server, 0.95):.1f}")
    print(f"{name}_sql_p50_ms: {sql_p50:.1f}")
    print(f"{name}_sql_p95_ms: {percentile(raw, 0.95):.1f}")
    print(f"{name}_sql_literal_p50_ms: {statistics.median(raw_literal):.1f}")
    print(f"{name}_ratio: {p50 / sql_p50:.2f}")


def main() -> None:
    started = time.perf_counter()
    reader, channel_ids, assignees = load()
    print(f"items: {ITEMS}")
    print(f"load_s: {time.perf_counter() - started:.1f}")

    def page(filters: InboxFilters, after: str | None = None) -> Callable[[User], int]:
        def run(user: User) -> int:
            _listing, result = inbox_page(user, filters, after=after)
            return len(result.items)

        return run

    first = InboxFilters()
    _listing, first_page = inbox_page(reader, first)
    pages = {
        "first_page": page(first),
        "second_page": page(first, after=first_page.next_key),
        "new_on_20_channels": page(InboxFilters(status="new", channels=tuple(channel_ids[:20]))),
        "flag_insult": page(InboxFilters(flag="insult")),
        "free_text_common": page(InboxFilters(q="baustelle")),
        "free_text_rare": page(InboxFilters(q="schlaglochsuppe")),
        "author_handle": page(InboxFilters(q="@nutzer4242")),
        "assigned_to_one_person": page(InboxFilters(assignee=str(assignees[0]))),
    }
    for name, run in pages.items():
        measure(name, run, reader.pk)
    # Context for reading the times: a shared machine's other work shows up here.
    print(f"machine_load_average_1min: {os.getloadavg()[0]:.1f}")
    print(f"machine_cpus: {os.cpu_count()}")


if __name__ == "__main__":
    main()
