"""The PostgreSQL backend: pooled connections, prepared statements, and a health check that
costs a round trip only for connections that lay idle (config/postgresql/base.py)."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection

from config.postgresql.base import CHECK_AFTER_SECONDS
from config.postgresql.base import check_unless_recently_used


def _server_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(
        **{k: v for k, v in params.items() if k not in ("cursor_factory", "context")},
        autocommit=True,
    )


def test_a_connection_handed_out_a_moment_ago_is_not_checked_again() -> None:
    conn = _server_connection()
    check_unless_recently_used(conn)  # first time: checked (it works)
    conn.close()
    # Broken, but handed out just now: no round trip, so no error here.
    check_unless_recently_used(conn)


def test_a_connection_that_lay_idle_is_checked_and_a_broken_one_refused() -> None:
    conn = _server_connection()
    check_unless_recently_used(conn)
    conn.close()
    conn._handed_out_at = time.monotonic() - CHECK_AFTER_SECONDS - 1  # type: ignore[attr-defined]
    with pytest.raises(psycopg.OperationalError):
        check_unless_recently_used(conn)


@pytest.mark.django_db
def test_the_default_database_uses_the_pool_with_server_side_prepared_statements() -> None:
    assert connection.settings_dict["ENGINE"] == "config.postgresql"
    assert connection.pool is not None
    params = connection.get_connection_params()
    # The same statement, executed often, is parsed and planned once per connection.
    assert params["prepare_threshold"] == 5
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute("SELECT count(*) FROM django_migrations WHERE app = %s", ["accounts"])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1
