"""``GET /healthz``: database, broker and the heartbeat of each service queue, for load
balancers and monitoring. 503 as soon as one of them is down."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.http import HttpRequest
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app
from editorial.publishing.selectors import publishing_service_status

# With a connection pool, a database that is down makes the pool wait its whole timeout
# for a connection; the probe waits at most this long.
_DATABASE_TIMEOUT_SECONDS = 2


def _check_database() -> dict[str, object]:
    try:
        pool = getattr(connection, "pool", None)
        if pool is not None and not connection.connection:
            pool.open()  # as Django does before its first connection; a no-op when open
            with pool.connection(timeout=_DATABASE_TIMEOUT_SECONDS) as pooled:
                pooled.execute("SELECT 1").fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception as error:  # any driver error means "down"
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


# A broker that accepts connections but never answers (hung, paused, half-open connection)
# would otherwise block the probe, and a gunicorn thread with it, for good.
_BROKER_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}


def _check_broker() -> dict[str, object]:
    try:
        with celery_app.connection_for_write(transport_options=_BROKER_TIMEOUTS) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
            transport = broker.transport_cls
    except Exception as error:  # any transport error means "down"
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "transport": str(transport)}


def _heartbeat(last_seen: datetime | None, now: datetime, *, ok: bool) -> dict[str, object]:
    if last_seen is None:
        return {"ok": False, "last_heartbeat": None}
    return {
        "ok": ok,
        "last_heartbeat": last_seen.isoformat(),
        "age_seconds": round((now - last_seen).total_seconds(), 1),
    }


def _check_worker() -> dict[str, object]:
    """Each service queue's last heartbeat (``default``: the background service, which hands
    due posts over; ``publishing``: the service that sends them), judged by the rule of the
    banner every page shows, so that both always agree. Either one stale and nothing goes
    out. At the top, for monitors that read only those, the stalest queue's figures."""
    now = timezone.now()
    status = publishing_service_status(now)
    if not status.readable:  # the selector logged the cause
        return {"ok": False, "error": "heartbeats unreadable"}
    queues = {
        queue: _heartbeat(last_seen, now, ok=queue not in status.silent)
        for queue, last_seen in status.last_seen.items()
    }
    seen = list(status.last_seen.values())
    stalest = None if None in seen else min(moment for moment in seen if moment is not None)
    return {**_heartbeat(stalest, now, ok=status.running), "queues": queues}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    broker = _check_broker()
    checks = {
        "database": _check_database(),
        "broker": broker,
        # The heartbeats live in the cache, on the broker's Redis: asking a Redis that is down
        # or hangs again would wait a second time.
        "worker": _check_worker() if broker["ok"] else {"ok": False, "error": "broker"},
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
