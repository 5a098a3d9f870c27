"""Shared set-up for benchmarks: a throw-away PostgreSQL database, migrated, dropped at exit.

Uses BENCH_DATABASE_URL's server (default: the local PostgreSQL of DEVELOPERS.md).
"""

from __future__ import annotations

import atexit
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 5  # how often ``median_ms`` runs a step


def median_ms(step: Callable[[], object]) -> float:
    """The median wall time of ``ROUNDS`` runs of ``step``, in milliseconds."""
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def setup_django(name: str) -> None:
    import psycopg

    server = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    database = f"sprachrohr_bench_{name}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        admin.execute(f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = server.rsplit("/", 1)[0] + f"/{database}"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/11")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    atexit.register(drop)
