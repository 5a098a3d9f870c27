"""Database connection handling shared by the apps."""

from __future__ import annotations

from django.db import connection


def connection_release() -> None:
    """Hand this thread's connection back (to the pool, with PostgreSQL) before a long wait
    that needs no database, such as a platform's answer: many waiting threads then share a
    few connections. Inside a transaction the connection is kept, as the transaction needs
    it; the next query takes a connection again."""
    if not connection.in_atomic_block:
        connection.close()
