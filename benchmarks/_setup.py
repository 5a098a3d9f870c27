"""Shared set-up for benchmarks: a throw-away PostgreSQL database, migrated, dropped at exit.

Uses BENCH_DATABASE_URL's server (default: the local PostgreSQL of DEVELOPERS.md).
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


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
