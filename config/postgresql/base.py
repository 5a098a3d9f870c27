"""Django's PostgreSQL backend with a cheaper pool health check.

Django's pool checks every connection it hands out with a round trip to the server. Under
load (the publisher's threads, the web server) a connection comes back to the pool and goes
out again within milliseconds, so that check costs a round trip per task or request and
protects against almost nothing. Here a connection is checked only when it has not been
handed out for ``CHECK_AFTER_SECONDS``, as PgBouncer's ``server_check_delay`` does: after a
quiet spell or a database restart, a broken connection is still found and replaced before a
request or task gets it. Used as ``ENGINE = "config.postgresql"``; the rest is Django's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base
from psycopg import Connection
from psycopg_pool import ConnectionPool

CHECK_AFTER_SECONDS = 2.0


def check_unless_recently_used(conn: Connection) -> None:
    """The pool's ``check`` callback: raises if a connection that lay idle is broken."""
    now = time.monotonic()
    handed_out_at = getattr(conn, "_handed_out_at", None)
    if handed_out_at is None or now - handed_out_at > CHECK_AFTER_SECONDS:
        ConnectionPool.check_connection(conn)
    conn._handed_out_at = now  # type: ignore[attr-defined]


class DatabaseWrapper(base.DatabaseWrapper):
    # Django's own (5.1+) pool bookkeeping, which the stubs do not declare.
    _connection_pools: dict[str, ConnectionPool]
    _configure_connection: Callable[[Any], None]

    @property
    def pool(self) -> ConnectionPool | None:
        options = self.settings_dict["OPTIONS"].get("pool")
        if not options or self.alias == NO_DB_ALIAS:
            return None
        if self.alias not in self._connection_pools:
            connect_kwargs = self.get_connection_params()
            connect_kwargs["autocommit"] = True  # Django sets it per use, as in its backend
            pool = ConnectionPool(
                kwargs=connect_kwargs,
                open=False,
                configure=self._configure_connection,
                check=check_unless_recently_used,
                **(options if isinstance(options, dict) else {}),
            )
            # Two threads building a pool at once: the first one stored wins.
            self._connection_pools.setdefault(self.alias, pool)
        return self._connection_pools[self.alias]
