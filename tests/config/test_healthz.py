"""``GET /healthz`` against the real PostgreSQL and Redis, a real Celery worker, and dependencies
that are down or hung (those in a subprocess, because settings are read once per process)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connection
from django.db import connections
from django.test import Client
from django.utils import timezone

from accounts.models import WorkerHeartbeat
from accounts.services import worker_heartbeat_record
from accounts.tasks import record_worker_heartbeat
from config.celery import app as celery_app
from editorial.publishing.selectors import publishing_service_status

REPO = Path(__file__).resolve().parents[2]
HEALTHZ = "/healthz"


def _oks(body: dict[str, Any]) -> dict[str, bool]:
    return {name: check["ok"] for name, check in body["checks"].items()}


# --- in process: real database and Redis --------------------------------------------------------


def _heartbeats(*queues: str, hostname: str = "celery@worker-1") -> None:
    """What beat's heartbeat task does in each service queue's consumer."""
    for queue in queues:
        worker_heartbeat_record(hostname=hostname, queue=queue)


@pytest.mark.django_db
def test_everything_up_and_fresh_heartbeats_are_200(client: Client) -> None:
    _heartbeats("default", "publishing")

    response = client.get(HEALTHZ)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert _oks(body) == {"database": True, "broker": True, "worker": True}
    assert body["checks"]["database"]["vendor"] == "postgresql"
    assert body["checks"]["broker"]["transport"] == "redis"
    worker = body["checks"]["worker"]
    assert worker["age_seconds"] < 5
    assert {queue: check["ok"] for queue, check in worker["queues"].items()} == {
        "default": True,
        "publishing": True,
    }
    assert worker["queues"]["publishing"]["age_seconds"] < 5
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_no_heartbeat_is_503(client: Client) -> None:
    response = client.get(HEALTHZ)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert _oks(body) == {"database": True, "broker": True, "worker": False}
    worker = body["checks"]["worker"]
    assert worker["last_heartbeat"] is None
    assert worker["queues"]["default"] == {"ok": False, "last_heartbeat": None}


@pytest.mark.django_db
def test_a_dead_publishing_service_is_503(client: Client) -> None:
    """The background service reports, the publishing service (queue ``publishing``) does
    not: nothing goes out, and /healthz says so, as the banner does."""
    _heartbeats("default")

    response = client.get(HEALTHZ)

    assert response.status_code == 503
    queues = response.json()["checks"]["worker"]["queues"]
    assert queues["default"]["ok"] is True
    assert queues["publishing"] == {"ok": False, "last_heartbeat": None}


@pytest.mark.django_db
def test_a_dead_background_service_is_503(client: Client) -> None:
    _heartbeats("publishing")

    response = client.get(HEALTHZ)

    assert response.status_code == 503
    queues = response.json()["checks"]["worker"]["queues"]
    assert (queues["default"]["ok"], queues["publishing"]["ok"]) == (False, True)


@pytest.mark.django_db
def test_heartbeat_older_than_the_maximum_age_is_503(client: Client) -> None:
    _heartbeats("default", "publishing")
    max_age = settings.WORKER_HEARTBEAT_MAX_AGE

    with time_machine.travel(timezone.now() + max_age - timedelta(seconds=5), tick=False):
        assert client.get(HEALTHZ).status_code == 200

    with time_machine.travel(timezone.now() + max_age + timedelta(seconds=5), tick=False):
        response = client.get(HEALTHZ)

    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False
    assert worker["age_seconds"] > max_age.total_seconds()


@pytest.mark.django_db
def test_a_stale_publishing_heartbeat_alone_is_503(client: Client) -> None:
    max_age = settings.WORKER_HEARTBEAT_MAX_AGE
    with time_machine.travel(timezone.now() - max_age - timedelta(seconds=5), tick=False):
        _heartbeats("publishing")
    _heartbeats("default")

    response = client.get(HEALTHZ)

    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["queues"]["publishing"]["ok"] is False
    # The top-level age is the stalest service's: the one that decides.
    assert worker["age_seconds"] == worker["queues"]["publishing"]["age_seconds"]
    assert worker["age_seconds"] > max_age.total_seconds()


@pytest.mark.django_db
def test_the_newest_heartbeat_of_a_queue_counts(client: Client) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=1), tick=False):
        _heartbeats("default", "publishing", hostname="celery@gone")
    _heartbeats("default", "publishing", hostname="celery@alive")

    assert client.get(HEALTHZ).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "queues", [(), ("default",), ("publishing",), ("default", "publishing")], ids=str
)
def test_healthz_and_the_banner_agree(client: Client, queues: tuple[str, ...]) -> None:
    """One rule (editorial.publishing.selectors.publishing_service_status) for both."""
    _heartbeats(*queues)

    response = client.get(HEALTHZ)

    status = publishing_service_status()
    assert response.json()["checks"]["worker"]["ok"] is status.running
    silent = [q for q, c in response.json()["checks"]["worker"]["queues"].items() if not c["ok"]]
    assert tuple(silent) == status.silent


# --- a real Celery worker -----------------------------------------------------------------------


@contextmanager
def _worker_closes_its_database_connection() -> Iterator[None]:
    """The worker thread opens its own connection (CONN_MAX_AGE keeps it open): close it after
    each task, or it outlives the test and blocks the flush and the test database's removal."""

    def close(**kwargs: object) -> None:
        connections.close_all()

    task_postrun.connect(close, weak=False)
    try:
        yield
    finally:
        task_postrun.disconnect(close)


@pytest.mark.django_db(transaction=True)
def test_heartbeat_from_a_real_worker_makes_healthz_200(client: Client) -> None:
    assert client.get(HEALTHZ).status_code == 503

    with (
        _worker_closes_its_database_connection(),
        start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            queues=["default", "publishing"],
            shutdown_timeout=10,
        ) as worker,
    ):
        # As beat sends them: one heartbeat into each service queue.
        record_worker_heartbeat.delay()
        record_worker_heartbeat.apply_async(args=("publishing",), queue="publishing")
        deadline = time.monotonic() + 15
        while not publishing_service_status().running and time.monotonic() < deadline:
            time.sleep(0.1)

    heartbeat = WorkerHeartbeat.objects.get()
    # Written by that worker (a task's request.hostname is the host part of the node name).
    assert heartbeat.hostname == worker.hostname.partition("@")[2]
    response = client.get(HEALTHZ)
    assert response.status_code == 200, response.json()
    assert _oks(response.json()) == {"database": True, "broker": True, "worker": True}


# --- dependencies down or hung, in a subprocess -------------------------------------------------
# The checks' own timeouts add up to about 4 s (database 2-5 s); a check without one would hang
# until the subprocess's 30 s. The bounds leave room for a machine busy with the rest of the
# suite (two test processes on two cores), so they tell "bounded" from "hung", not fast from slow.
BOUNDED_SECONDS = 10

_PROBE = """
import json, time
import django
django.setup()
from django.test import Client
started = time.monotonic()
response = Client().get("/healthz")
print(json.dumps({
    "status": response.status_code,
    "seconds": time.monotonic() - started,
    "body": response.json(),
}))
"""


def _database_url() -> str:
    """The test database of this session, so the subprocess needs no database of its own."""
    db = connection.settings_dict
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _healthz_in_subprocess(**changes: str) -> dict[str, Any]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        **changes,
    }
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,  # a hanging check fails the test instead of the whole run
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A TCP port that accepts connections and never answers: a hung server."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for sock in accepted:
            sock.close()
        server.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_redis_down_is_503_quickly() -> None:
    result = _healthz_in_subprocess(REDIS_URL=f"redis://127.0.0.1:{_free_port()}/0")

    assert result["status"] == 503
    assert result["body"]["checks"]["broker"]["ok"] is False
    assert result["body"]["checks"]["database"]["ok"] is True
    assert result["seconds"] < BOUNDED_SECONDS


@pytest.mark.django_db
def test_redis_hung_is_503_quickly(silent_port: int) -> None:
    result = _healthz_in_subprocess(REDIS_URL=f"redis://127.0.0.1:{silent_port}/0")

    assert result["status"] == 503
    assert result["body"]["checks"]["broker"]["ok"] is False
    assert result["seconds"] < BOUNDED_SECONDS


@pytest.mark.django_db
def test_database_down_is_503_quickly() -> None:
    result = _healthz_in_subprocess(DATABASE_URL=f"postgres://postgres@127.0.0.1:{_free_port()}/x")

    assert result["status"] == 503
    checks = result["body"]["checks"]
    assert checks["database"]["ok"] is False
    assert checks["broker"]["ok"] is True
    assert result["seconds"] < BOUNDED_SECONDS


@pytest.mark.django_db
def test_database_hung_is_bounded_by_connect_timeout(silent_port: int) -> None:
    # docker-compose.yml puts ?connect_timeout= into DATABASE_URL for this reason; without it
    # the probe would wait for the server for good. libpq's minimum is 2 s, and the database
    # and worker checks each try to connect once.
    result = _healthz_in_subprocess(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{silent_port}/x?connect_timeout=2"
    )

    assert result["status"] == 503
    assert result["body"]["checks"]["database"]["ok"] is False
    assert result["seconds"] < BOUNDED_SECONDS + 3


def test_the_worker_knows_every_scheduled_task() -> None:
    """Beat must never send a task the worker does not have (autodiscovery covers it)."""
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    registered = set(app.tasks)
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in registered, entry["task"]
    for route in settings.CELERY_TASK_ROUTES:
        assert route in registered, route
