"""Ingestion with a REAL Celery worker process (queue ``ingest``) against the sandbox served
by pytest-django's live server: the sandbox fails mid-way (its read fault injection), then
recovers; the worker resumes from the stored cursor and every comment is stored exactly
once. The worker sees the test database (``transaction=True``: data is committed) and the
tests' Redis; the dispatcher runs in the test process, as beat would run it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings as django_settings
from django.db import connections

from channels_app.models import Channel
from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxPost
from channels_app.services import channel_connect_with_form
from config.celery import app as celery_app
from moderation.ingestion.services import cursors_dispatch_due
from moderation.ingestion.services import cursors_ensure
from moderation.models import InboxItem
from moderation.models import IngestCursor
from tests.conftest import Org
from tests.conftest import People

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
HANDLE = "stadt-worker"


def _celery_bin() -> str:
    venv = ROOT / ".venv" / "bin" / "celery"
    return str(venv) if venv.exists() else (shutil.which("celery") or "celery")


@pytest.fixture
def sandbox(live_server, settings) -> str:  # type: ignore[no-untyped-def]
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.PLATFORM_READ_TIMEOUT = 5
    settings.MODERATION_POLL_SECONDS = 5
    return str(settings.SANDBOX_BASE_URL)


@pytest.fixture
def worker(sandbox: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    db = django_settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:"
            f"{db.get('PORT') or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": django_settings.REDIS_URL,
        "SANDBOX_BASE_URL": sandbox,
        "PLATFORM_READ_TIMEOUT": "5",
        "MODERATION_POLL_SECONDS": "5",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    # Messages of earlier tests are not ours; the queue is declared again after the flush.
    redis.Redis.from_url(django_settings.CELERY_BROKER_URL).flushdb()
    with celery_app.connection_for_write() as conn:
        celery_app.amqp.queues["ingest"](conn.default_channel).declare()
    log_path = tmp_path / "worker.log"
    log = log_path.open("ab")
    popen = subprocess.Popen(
        [
            _celery_bin(),
            "-A",
            "config",
            "worker",
            "--hostname",
            "ingest@%h",
            "--pool",
            "threads",
            "--concurrency",
            "2",
            "--queues",
            "ingest",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log_path.read_text(errors="replace"):
            assert popen.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, log_path.read_text(errors="replace")
            time.sleep(0.2)
        yield popen
    finally:
        if popen.poll() is None:
            os.killpg(popen.pid, signal.SIGTERM)
            try:
                popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(popen.pid, signal.SIGKILL)
                popen.wait(timeout=10)
        log.close()
        print(log_path.read_text(errors="replace")[-20000:])
        connections.close_all()


def _control(base: str, **faults: object) -> None:
    response = requests.post(
        f"{base}/_control/{HANDLE}",
        json=faults,
        headers={"X-Sandbox-Control": django_settings.SANDBOX_CONTROL_SECRET},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_a_failure_mid_way_delays_but_loses_and_doubles_nothing(
    org: Org, people: People, sandbox: str, worker: subprocess.Popen[bytes]
) -> None:
    channel_connect_with_form(
        actor=people.channel_admin,
        channel=org.press_channel,
        values={"handle": HANDLE, "password": "pw"},
    )
    channel = Channel.objects.get(pk=org.press_channel.pk)
    token = requests.post(
        f"{sandbox}/oauth/token",
        data={"grant_type": "password", "username": HANDLE, "password": "pw"},
        timeout=10,
    ).json()["access_token"]
    for n in range(40):
        requests.post(
            f"{sandbox}/posts",
            json={"text": f"Beitrag {n}"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).raise_for_status()
    SandboxPost.objects.update(created_at=datetime.now(UTC) - timedelta(days=4))
    expected = sum(len(simulation.comment_schedule(p.remote_id)) for p in SandboxPost.objects.all())
    assert expected > 2 * 100, "more than two pages of comments"
    # The first page comes through, then the platform fails twice, then it is back.
    _control(sandbox, fail_status=503, read_fail_after=1, read_fail_count=2)
    # Only the comments stream is polled here: the others would take the injected faults.
    cursors_ensure(channels=[channel])
    IngestCursor.objects.filter(channel=channel).exclude(stream="comments").update(
        last_run_at=datetime.now(UTC) + timedelta(days=1)
    )

    comments = IngestCursor.objects.none()
    failures_seen = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert worker.poll() is None, "the worker died"
        cursors_dispatch_due()
        comments = IngestCursor.objects.filter(channel=channel, stream="comments")
        cursor = comments.first()
        if cursor is not None and cursor.last_error:
            failures_seen = True
        if InboxItem.objects.filter(channel=channel).count() >= expected and (
            cursor is not None and cursor.last_success_at is not None
        ):
            break
        time.sleep(0.5)
    assert failures_seen, "the injected failure reached the worker"
    remote_ids = list(InboxItem.objects.filter(channel=channel).values_list("remote_id", flat=True))
    assert len(remote_ids) == expected
    assert len(set(remote_ids)) == expected
    cursor = comments.get()
    assert cursor.items_total == expected and cursor.last_error == ""
