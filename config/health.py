"""``GET /healthz``: database, broker and the last worker heartbeat, for load balancers and
monitoring. 503 as soon as one of them is down."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.selectors import worker_heartbeat_latest
from config.celery import app as celery_app

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


def _check_worker() -> dict[str, object]:
    try:
        last_seen = worker_heartbeat_latest()
    except Exception as error:  # the database is down: reported above
        return {"ok": False, "error": type(error).__name__}
    if last_seen is None:
        return {"ok": False, "last_heartbeat": None}
    age = (timezone.now() - last_seen).total_seconds()
    return {
        "ok": age <= settings.WORKER_HEARTBEAT_MAX_AGE.total_seconds(),
        "last_heartbeat": last_seen.isoformat(),
        "age_seconds": round(age, 1),
    }


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = _check_database()
    checks = {
        "database": database,
        "broker": _check_broker(),
        # The heartbeat lives in the database: asking again would wait a second time.
        "worker": _check_worker() if database["ok"] else {"ok": False, "error": "database"},
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
