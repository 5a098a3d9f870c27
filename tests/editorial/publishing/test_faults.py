"""Fault tests of the publishing engine with REAL Celery worker and beat processes against the
sandbox platform (served by pytest-django's live server): a worker killed mid-publish, a
flushed broker, server errors and rate limits, an answer lost after the platform accepted,
two workers and two beats at once. Each case proves every variant was published exactly
once (sandbox counters and database) or failed with a reason: none lost, none doubled.

The subprocesses see the test database (``transaction=True``: data is committed) and the
tests' Redis; short leases, requeue and retry delays come from their environment. Also here:
a worker started as in production knows every task beat sends, and one dispatch run queues
everything due, batch after batch.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from pathlib import Path
from typing import IO

import pytest
import redis
import requests
from django.conf import settings as django_settings
from django.db import connections

from channels_app.models import Channel
from channels_app.sandbox.models import SandboxPost
from config.celery import app as celery_app
from editorial.models import Post
from editorial.models import PostVariant
from editorial.models import PublishAttempt
from editorial.publishing.engine import variants_dispatch_due
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.factories import due_post
from tests.editorial.factories import sandbox_connected
from tests.factories import ChannelFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

V = PostVariant.Status
Outcome = PublishAttempt.Outcome
ROOT = Path(__file__).resolve().parents[3]
QUEUES = ("default", "mail", "publishing")
LEASE_SECONDS = 5
REQUEUE_SECONDS = 2


def _celery_bin() -> str:
    venv = ROOT / ".venv" / "bin" / "celery"
    return str(venv) if venv.exists() else (shutil.which("celery") or "celery")


# --- Processes --------------------------------------------------------------------------------


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes]

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")


@dataclass
class CeleryProcesses:
    """Starts worker and beat subprocesses; all of them are ended at teardown."""

    tmp: Path
    env: dict[str, str]
    procs: list[Proc] = field(default_factory=list)

    def _start(self, name: str, args: list[str], env: dict[str, str]) -> Proc:
        log_path = self.tmp / f"{name}.log"
        log = log_path.open("ab")
        popen = subprocess.Popen(
            [_celery_bin(), "-A", "config", *args, "--loglevel", "INFO"],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole
        )
        proc = Proc(name, popen, log_path, log)
        self.procs.append(proc)
        return proc

    def worker(self, name: str, **env: str) -> Proc:
        proc = self._start(
            name,
            [
                "worker",
                "--hostname",
                f"{name}@%h",
                "--pool",
                "threads",
                "--concurrency",
                "4",
                "--queues",
                ",".join(QUEUES),
                "--prefetch-multiplier",
                "1",
                "--without-gossip",
                "--without-mingle",
            ],
            env,
        )
        self.wait_for_output(proc, " ready.")
        return proc

    def beat(self, name: str, **env: str) -> Proc:
        return self._start(
            name,
            [
                "beat",
                "--schedule",
                str(self.tmp / f"{name}-schedule"),
                "--pidfile",
                str(self.tmp / f"{name}.pid"),
            ],
            env,
        )

    def wait_for_output(self, proc: Proc, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in proc.output():
            assert proc.popen.poll() is None, f"{proc.name} exited early:\n{proc.output()}"
            assert time.monotonic() < deadline, f"{proc.name} not {text!r}:\n{proc.output()}"
            time.sleep(0.1)

    def check_alive(self) -> None:
        for proc in self.procs:
            if proc.popen.returncode is None and proc.popen.poll() is not None:
                pytest.fail(f"{proc.name} died unexpectedly:\n{proc.output()}")

    def kill(self, proc: Proc) -> None:
        """SIGKILL the whole process group: no warm shutdown, no acknowledgement."""
        os.killpg(proc.popen.pid, signal.SIGKILL)
        proc.popen.wait(timeout=10)

    def stop(self, proc: Proc) -> None:
        """SIGTERM (warm shutdown: running tasks finish), SIGKILL if that takes too long."""
        try:
            if proc.popen.poll() is None:
                try:
                    os.killpg(proc.popen.pid, signal.SIGTERM)
                    proc.popen.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.popen.pid, signal.SIGKILL)
                    proc.popen.wait(timeout=10)
                except ProcessLookupError:
                    proc.popen.wait(timeout=10)
        finally:
            proc.log.close()

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            try:
                self.stop(proc)
            except Exception as error:  # stop the others all the same
                print(f"Could not stop {proc.name}: {error!r}")


@pytest.fixture
def sandbox(live_server, settings) -> str:  # type: ignore[no-untyped-def]
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.PLATFORM_READ_TIMEOUT = 2
    return settings.SANDBOX_BASE_URL


@pytest.fixture
def celery_processes(sandbox: str, tmp_path: Path) -> Iterator[CeleryProcesses]:
    db = django_settings.DATABASES["default"]
    database_url = (
        f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{db['NAME']}"  # the pytest test database
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": django_settings.REDIS_URL,
        "SANDBOX_BASE_URL": sandbox,
        "PLATFORM_READ_TIMEOUT": "2",
        "PUBLISH_DISPATCH_SECONDS": "1",
        "PUBLISH_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
        "PUBLISH_REQUEUE_AFTER_SECONDS": str(REQUEUE_SECONDS),
        "PUBLISH_RETRY_BASE_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    _flush_broker()  # messages of earlier tests are not ours
    processes = CeleryProcesses(tmp_path, env)
    try:
        yield processes
    finally:
        processes.stop_all()
        # Captured output: pytest shows it only when the test failed.
        for proc in processes.procs:
            print(f"----- {proc.name} (exit {proc.popen.returncode}) -----")
            print(proc.log_path.read_text(errors="replace")[-20000:])
        connections.close_all()


# --- Helpers ----------------------------------------------------------------------------------


def _broker() -> redis.Redis:
    return redis.Redis.from_url(django_settings.CELERY_BROKER_URL)


def _flush_broker() -> None:
    """FLUSHDB of the broker database; the queues are declared again so that messages this
    process sends are not dropped for want of a binding."""
    _broker().flushdb()
    with celery_app.connection_for_write() as conn:
        for name in QUEUES:
            celery_app.amqp.queues[name](conn.default_channel).declare()


def _control(base: str, handle: str, **faults: object) -> None:
    response = requests.post(
        f"{base}/_control/{handle}",
        json=faults,
        headers={"X-Sandbox-Control": django_settings.SANDBOX_CONTROL_SECRET},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def _stats(base: str, handle: str) -> dict[str, int]:
    response = requests.get(
        f"{base}/_control/{handle}/stats",
        headers={"X-Sandbox-Control": django_settings.SANDBOX_CONTROL_SECRET},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def _wait(
    what: str,
    predicate: Callable[[], bool],
    processes: CeleryProcesses,
    timeout: float = 30,
    interval: float = 0.2,
) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        processes.check_alive()
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting for: {what}")
        time.sleep(interval)


def _settled(variant_ids: list[int]) -> bool:
    """Every variant published, or failed with a reason: nothing still on its way."""
    rows = PostVariant.objects.filter(pk__in=variant_ids).values_list("status", "last_error")
    return all(s == V.PUBLISHED or (s == V.FAILED and e) for s, e in rows)


def _outcomes(variant_id: int) -> list[str]:
    return list(
        PublishAttempt.objects.filter(variant_id=variant_id)
        .order_by("started_at", "pk")
        .values_list("outcome", flat=True)
    )


def _assert_published_exactly_once(
    base: str, variant_ids: list[int], posts_per_handle: dict[str, int]
) -> None:
    """Database and platform agree: each variant is out once, under its own key."""
    variants = list(PostVariant.objects.filter(pk__in=variant_ids).select_related("channel"))
    assert len(variants) == len(variant_ids)
    for variant in variants:
        assert variant.status == V.PUBLISHED, (variant.pk, variant.status, variant.last_error)
        assert variant.remote_id and variant.published_at
        remote = SandboxPost.objects.get(remote_id=variant.remote_id)
        assert remote.idempotency_key == str(variant.idempotency_key)
        assert remote.deleted_at is None
        # One successful attempt per variant; every other attempt was an error or died.
        done = [o for o in _outcomes(variant.pk) if o in (Outcome.PUBLISHED, Outcome.FOUND)]
        assert len(done) == 1, (variant.pk, _outcomes(variant.pk))
    assert len({v.remote_id for v in variants}) == len(variants)
    for handle, expected in posts_per_handle.items():
        stats = _stats(base, handle)
        assert stats["posts_created"] == expected, (handle, stats)
        assert stats["duplicates"] == 0, (handle, stats)
        assert SandboxPost.objects.filter(account__handle=handle).count() == expected


# --- The cases --------------------------------------------------------------------------------


@pytest.mark.parametrize("platform_accepts", [True, False], ids=["accepted", "refused"])
def test_a_worker_killed_mid_publish_is_taken_over_and_reconciled(
    sandbox: str,
    celery_processes: CeleryProcesses,
    org: Org,
    people: People,
    platform_accepts: bool,
) -> None:
    """SIGKILL while the platform is still working on the request (3 s latency). Afterwards
    the platform either accepts that request or refuses it (503). A new worker takes the
    claim over after the lease, asks find_published first, and records the post it finds or
    publishes it now: one post either way."""
    handle = "abgestuerzt" if platform_accepts else "abgewiesen"
    sandbox_connected(org.press_channel, people, handle)
    faults: dict[str, object] = {"latency_ms": 3000}
    if not platform_accepts:
        faults |= {"fail_status": 503, "fail_count": 1}
    _control(sandbox, handle, **faults)
    variant_id = PostVariant.objects.get(
        post=due_post(org, people, [Channel.objects.get(pk=org.press_channel.pk)], "Absturz")
    ).pk
    # The read timeout is longer than the latency: the worker is in the call, not timed out.
    celery_processes.beat("beat")
    worker = celery_processes.worker("w1", PLATFORM_READ_TIMEOUT="10")
    _wait(
        "the worker claims the variant and starts publishing",
        lambda: PublishAttempt.objects.filter(variant_id=variant_id).exists(),
        celery_processes,
        interval=0.05,
    )
    time.sleep(1.0)  # the request is at the sandbox, which answers after 3 s
    celery_processes.kill(worker)
    variant = PostVariant.objects.get(pk=variant_id)
    assert variant.status == V.PUBLISHING and variant.attempts == 1
    assert _stats(sandbox, handle)["posts_received"] == 0  # killed mid-publish
    attempt = PublishAttempt.objects.get(variant_id=variant_id)
    assert attempt.finished_at is None and attempt.outcome == ""

    # The platform finishes the dead worker's request: a post, or a refusal.
    _wait(
        "the sandbox has handled the dead worker's request",
        lambda: _stats(sandbox, handle)["posts_received"] == 1,
        celery_processes,
    )
    assert _stats(sandbox, handle)["posts_created"] == (1 if platform_accepts else 0)
    _control(sandbox, handle, latency_ms=0)
    claimed_at = variant.claimed_at
    celery_processes.worker("w2")
    _wait(
        "a new worker takes the claim over after the lease",
        lambda: _settled([variant_id]),
        celery_processes,
        timeout=LEASE_SECONDS + 25,
    )
    variant = PostVariant.objects.get(pk=variant_id)
    assert variant.claimed_at >= claimed_at + timedelta(seconds=LEASE_SECONDS)
    assert variant.attempts == 2
    if platform_accepts:
        # Recovered through find_published, not a second POST.
        assert _outcomes(variant_id) == ["", Outcome.FOUND]
    else:
        assert _outcomes(variant_id) == ["", Outcome.PUBLISHED]
    _assert_published_exactly_once(sandbox, [variant_id], {handle: 1})
    stats = _stats(sandbox, handle)
    assert stats["posts_received"] == (1 if platform_accepts else 2)
    assert stats["idempotent_replays"] == 0
    assert Post.objects.get(pk=variant.post_id).status == Post.Status.PUBLISHED


def test_a_flushed_broker_loses_no_variant(
    sandbox: str, celery_processes: CeleryProcesses, org: Org, people: People
) -> None:
    """Work queued while no worker runs, then the broker forgets it (FLUSHDB): the database
    still knows the variants are due, and beat queues them again after REQUEUE_AFTER."""
    channels = [
        sandbox_connected(org.press_channel, people, "vergessen-1"),
        sandbox_connected(org.social_channel, people, "vergessen-2"),
    ]
    posts = [due_post(org, people, channels, f"Vergessen {i}") for i in range(3)]
    variant_ids = list(PostVariant.objects.filter(post__in=posts).values_list("pk", flat=True))
    assert variants_dispatch_due() == 6
    assert _broker().llen("publishing") == 6
    _flush_broker()
    assert _broker().llen("publishing") == 0
    assert PostVariant.objects.filter(pk__in=variant_ids, queued_at__isnull=False).count() == 6

    celery_processes.worker("w1")
    celery_processes.beat("beat")
    _wait("the forgotten variants are published", lambda: _settled(variant_ids), celery_processes)
    _assert_published_exactly_once(sandbox, variant_ids, {"vergessen-1": 3, "vergessen-2": 3})
    for variant_id in variant_ids:
        assert _outcomes(variant_id) == [Outcome.PUBLISHED]


def test_server_errors_and_rate_limits_are_retried_then_published_once(
    sandbox: str, celery_processes: CeleryProcesses, org: Org, people: People
) -> None:
    """500 twice on one channel, 429 with Retry-After twice on the other, then success."""
    errors = sandbox_connected(org.press_channel, people, "fehler-500")
    limited = sandbox_connected(org.social_channel, people, "gedrosselt-429")
    _control(sandbox, "fehler-500", fail_status=500, fail_count=2)
    _control(sandbox, "gedrosselt-429", fail_status=429, fail_count=2, retry_after_seconds=2)
    post = due_post(org, people, [errors, limited], "Wackelig")
    by_channel = dict(PostVariant.objects.filter(post=post).values_list("channel_id", "pk"))

    celery_processes.worker("w1")
    celery_processes.beat("beat")
    _wait(
        "both variants published after their retries",
        lambda: _settled(list(by_channel.values())),
        celery_processes,
        timeout=45,
    )
    _assert_published_exactly_once(
        sandbox, list(by_channel.values()), {"fehler-500": 1, "gedrosselt-429": 1}
    )
    for handle, channel in (("fehler-500", errors), ("gedrosselt-429", limited)):
        variant_id = by_channel[channel.pk]
        attempts = list(
            PublishAttempt.objects.filter(variant_id=variant_id).order_by("started_at", "pk")
        )
        # The retries are in the attempt log: two errors, then the publication.
        assert [a.outcome for a in attempts][-1] == Outcome.PUBLISHED
        failed = attempts[:-1]
        assert len(failed) == 2, [(a.outcome, a.message) for a in attempts]
        assert all(a.outcome in (Outcome.TRANSIENT, Outcome.UNKNOWN) for a in failed)
        assert all(a.message and a.finished_at for a in failed)
        # Backoff: never sooner than half the base delay, nor than the Retry-After.
        least = 2 if handle == "gedrosselt-429" else 0.5
        for before, after in itertools.pairwise(attempts):
            assert (after.started_at - before.finished_at).total_seconds() >= least - 0.1
        assert PostVariant.objects.get(pk=variant_id).attempts == 3
        stats = _stats(sandbox, handle)
        assert stats["posts_received"] == 3  # two refused, one created
    assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED


def test_accepted_then_timed_out_is_found_on_retry(
    sandbox: str, celery_processes: CeleryProcesses, org: Org, people: People
) -> None:
    """The platform commits the post and answers after the worker's read timeout (2 s)."""
    channel = sandbox_connected(org.press_channel, people, "zu-spaet")
    _control(sandbox, "zu-spaet", timeout_after_accept_count=1, timeout_after_accept_seconds=4)
    variant_id = PostVariant.objects.get(post=due_post(org, people, [channel], "Zu spät")).pk

    celery_processes.worker("w1")
    celery_processes.beat("beat")
    _wait("the accepted post is found", lambda: _settled([variant_id]), celery_processes)
    assert _outcomes(variant_id) == [Outcome.UNKNOWN, Outcome.FOUND]
    _assert_published_exactly_once(sandbox, [variant_id], {"zu-spaet": 1})
    assert _stats(sandbox, "zu-spaet")["posts_received"] == 1  # found, never sent again


def test_two_workers_and_two_beats_publish_each_variant_once(
    sandbox: str, celery_processes: CeleryProcesses, org: Org, people: People
) -> None:
    """20 variants due on 4 channels; two beats dispatch, two workers (8 threads) compete."""
    handles = [f"parallel-{i}" for i in range(4)]
    channels = [
        sandbox_connected(ChannelFactory(unit=org.press, name=f"Kanal {handle}"), people, handle)
        for handle in handles
    ]
    for handle in handles:
        _control(sandbox, handle, latency_ms=300)
    posts = [due_post(org, people, channels, f"Parallel {i}") for i in range(5)]
    variant_ids = list(PostVariant.objects.filter(post__in=posts).values_list("pk", flat=True))
    assert len(variant_ids) == 20

    celery_processes.worker("w1")
    celery_processes.worker("w2")
    celery_processes.beat("beat1")
    celery_processes.beat("beat2")
    _wait("all 20 variants published", lambda: _settled(variant_ids), celery_processes)
    _assert_published_exactly_once(sandbox, variant_ids, dict.fromkeys(handles, 5))
    for handle in handles:
        stats = _stats(sandbox, handle)
        assert stats["posts_received"] == 5 and stats["idempotent_replays"] == 0
    for variant_id in variant_ids:
        assert _outcomes(variant_id) == [Outcome.PUBLISHED]
    assert set(
        Post.objects.filter(pk__in=[p.pk for p in posts]).values_list("status", flat=True)
    ) == {Post.Status.PUBLISHED}


def test_a_worker_started_as_in_production_knows_the_publishing_tasks(
    celery_processes: CeleryProcesses, settings
) -> None:  # type: ignore[no-untyped-def]
    """Started like the Procfile's and docker-compose.yml's worker (no --include): every task
    that beat schedules or the engine routes must be registered, or the worker discards it
    ("Received unregistered task") and no scheduled post is ever published."""
    worker = celery_processes.worker("w1")
    banner = worker.output().split("[tasks]", 1)[1].split(" ready.", 1)[0]
    registered = {line.strip(" .") for line in banner.splitlines() if line.startswith("  . ")}
    needed = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    needed |= set(settings.CELERY_TASK_ROUTES)
    assert needed - registered == set()


def test_one_dispatch_queues_every_due_variant_batch_after_batch(
    sandbox: str, org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,000 posts at 09:00 must not trickle out at one batch per beat interval."""
    from editorial.publishing import engine as publishing

    monkeypatch.setattr(publishing, "DISPATCH_BATCH", 2)
    channels = [
        sandbox_connected(org.press_channel, people, "stapel-1"),
        sandbox_connected(org.social_channel, people, "stapel-2"),
        sandbox_connected(
            ChannelFactory(unit=org.press, name="Kanal stapel-3"), people, "stapel-3"
        ),
    ]
    for i in range(2):
        due_post(org, people, channels, f"Stapel {i}")
    _flush_broker()
    assert variants_dispatch_due() == 6  # three batches in one run
    assert _broker().llen("publishing") == 6
    assert variants_dispatch_due() == 0  # queued: not again before REQUEUE_AFTER
    assert _broker().llen("publishing") == 6
