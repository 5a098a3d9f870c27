"""Publishing under load: 2,000 variants due at the same instant on 100 sandbox channels whose
API answers in 100 ms, published by real beat and publisher processes started as in the
Procfile (its publisher line: pool, concurrency, prefetch), one publisher per CPU core as the
README recommends, real PostgreSQL (own throw-away database), Redis (own database number,
flushed) and a gunicorn serving the sandbox.

Prints: last_published_s (from the due instant T until the last variant was out),
lateness_p50_s / _p95_s / _p99_s (published_at - scheduled_at), posts_per_s (variants
published per second from T until the last one), duplicates (sandbox stats summed over the
accounts, must be 0), lost (variants not published at the end, must be 0), latency_bound_s
(the same 2,000 posts sent straight to the sandbox by a thread pool of the worker
concurrency: the least time the work can take), bound_ratio (last_published_s /
latency_bound_s). Target: lateness_p99_s under 10 and within 2x of latency_bound_s.
For finding the bottleneck: machine_cpu_busy_pct (all CPUs, from T to the end),
worker_cpu_s, sandbox_server_cpu_s, postgres_cpu_s and redis_cpu_s (CPU seconds of those
processes in that time).
Exits with 1 if a variant was lost or published twice.

Environment: BENCH_WORKER_CONCURRENCY and BENCH_WORKER_POOL override the publisher line's
--concurrency and --pool, BENCH_WORKER_PROCESSES starts that many publisher processes
(default: one per CPU core), PUBLISH_DISPATCH_SECONDS sets the beat interval (default 5, as
in production), BENCH_REDIS_URL the Redis database (default db 7; its cache uses db 6). Logs
of the processes are kept in a temporary folder (named on stderr) when the run failed.
"""

from __future__ import annotations

import math
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
CHANNELS = 100
POSTS = 500
CHANNELS_PER_POST = 4  # 500 posts x 4 channels = 2,000 variants, 20 per channel
LATENCY_MS = 100
LEAD_SECONDS = 15  # T lies this far after the processes are ready
GIVE_UP_SECONDS = 300
SERVER_THREADS = 64


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PORT = _free_port()
SANDBOX = f"http://127.0.0.1:{PORT}/sandbox/api/v1"
os.environ["SANDBOX_BASE_URL"] = SANDBOX
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")

from _setup import setup_django  # noqa: E402

setup_django("publishing")

import redis  # noqa: E402
import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import OrgUnit  # noqa: E402
from accounts.models import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from accounts.permissions import channel_permissions_sync  # noqa: E402
from accounts.services import role_assign  # noqa: E402
from accounts.services import unit_create  # noqa: E402
from channels_app.models import Channel  # noqa: E402
from channels_app.sandbox.models import SandboxAccount  # noqa: E402
from channels_app.services import channel_connect_with_form  # noqa: E402
from editorial.models import PostVariant  # noqa: E402
from editorial.posts.services import post_approve  # noqa: E402
from editorial.posts.services import post_create  # noqa: E402
from editorial.posts.services import post_submit  # noqa: E402

LOG_DIR = Path(tempfile.mkdtemp(prefix="bench-publishing-"))


def _procfile_command(name: str) -> list[str]:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            args = shlex.split(line.split(":", 1)[1])
            return [str(ROOT / args[0]) if args[0].startswith(".venv/") else args[0], *args[1:]]
    raise SystemExit(f"No {name} line in the Procfile")


def _option(args: list[str], option: str, value: str | None = None) -> str:
    """Read (and with ``value`` replace) an option of a command line."""
    index = args.index(option)
    if value is not None:
        args[index + 1] = value
    return args[index + 1]


class Processes:
    def __init__(self) -> None:
        self.procs: list[tuple[str, subprocess.Popen[bytes], IO[bytes]]] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
            "PYTHONUNBUFFERED": "1",
        }

    def start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (LOG_DIR / f"{name}.log").open("ab")
        popen = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.procs.append((name, popen, log))
        return popen

    def wait_for(self, name: str, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        path = LOG_DIR / f"{name}.log"
        while text not in path.read_text(errors="replace"):
            popen = next(p for n, p, _ in self.procs if n == name)
            if popen.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{name} did not start:\n{path.read_text(errors='replace')}")
            time.sleep(0.1)

    def cpu_seconds(self, names: set[str]) -> float:
        """CPU time used so far by the named processes and their children (process groups)."""
        groups = {popen.pid for name, popen, _ in self.procs if name in names}
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) in groups:  # pgrp
                ticks += int(fields[11]) + int(fields[12])  # utime + stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self, names: set[str] | None = None) -> None:
        for name, popen, log in reversed(self.procs):
            if names is not None and name not in names:
                continue
            if popen.poll() is None:
                try:
                    os.killpg(popen.pid, signal.SIGTERM)
                    popen.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(popen.pid, signal.SIGKILL)
                    popen.wait(timeout=10)
                except ProcessLookupError:
                    pass
            log.close()
        self.procs = [p for p in self.procs if names is not None and p[0] not in names]


def _cpu_seconds_of(commands: set[str]) -> float:
    """CPU time used so far by every process with one of these command names (the
    PostgreSQL and Redis servers, which the benchmark does not start)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if head.split("(", 1)[1] in commands:
            fields = tail.split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _cpu_snapshot(
    processes: Processes, workers: set[str]
) -> tuple[tuple[int, int], float, float, float, float]:
    """Machine jiffies, then CPU seconds of workers, sandbox server, PostgreSQL, Redis."""
    return (
        _machine_cpu(),
        processes.cpu_seconds(workers),
        processes.cpu_seconds({"web"}),
        _cpu_seconds_of({"postgres"}),
        _cpu_seconds_of({"redis-server"}),
    )


def _monotonic_at(due: datetime) -> float:
    return time.monotonic() + (due - timezone.now()).total_seconds()


def _machine_cpu() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _server_up(processes: Processes) -> None:
    processes.start(
        "web",
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--worker-class",
            "gthread",
            "--workers",
            "2",
            "--threads",
            str(SERVER_THREADS),
            "--backlog",
            "2048",
        ],
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{SANDBOX}/me", timeout=2)  # 401 without a token: it answers
            return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise SystemExit("The sandbox server did not start") from None
            time.sleep(0.2)


def _organisation() -> tuple[OrgUnit, User, User, User]:
    unit = unit_create(actor=None, name="Benchmarkstadt", kind=OrgUnit.Kind.AUTHORITY)
    people = []
    for email, role in (
        ("editor@bench.example", Role.EDITOR),
        ("approver@bench.example", Role.APPROVER),
        ("channels@bench.example", Role.CHANNEL_ADMIN),
    ):
        user = User.objects.create_user(email=email, password=None)  # never logs in
        role_assign(actor=None, user=user, unit=unit, role=role, notify_user=False)
        people.append(user)
    return unit, people[0], people[1], people[2]


def _channels(unit: OrgUnit, admin: User) -> list[Channel]:
    channels = []
    for i in range(CHANNELS):
        channel = Channel.objects.create(unit=unit, name=f"Kanal {i:03}", platform="sandbox")
        channel_permissions_sync(channel)
        channel_connect_with_form(
            actor=admin, channel=channel, values={"handle": f"bench-{i:03}", "password": "pw"}
        )
        channels.append(Channel.objects.get(pk=channel.pk))
    return channels


def _posts(unit: OrgUnit, editor: User, approver: User, channels: list[Channel]) -> None:
    """Approved and scheduled through the services (an hour ahead, moved to T later)."""
    planned = timezone.now() + timedelta(hours=1)
    for k in range(POSTS):
        chosen = [
            channels[(k * CHANNELS_PER_POST + j) % CHANNELS] for j in range(CHANNELS_PER_POST)
        ]
        post = post_create(
            actor=editor,
            unit=unit,
            title=f"Meldung {k}",
            text=f"Meldung {k}: Die Straße ist ab 9 Uhr gesperrt.",
            channels=chosen,
            planned_at=planned,
        )
        post_submit(actor=editor, post=post)
        post_approve(actor=approver, post=post)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def _control_headers() -> dict[str, str]:
    return {"X-Sandbox-Control": settings.SANDBOX_CONTROL_SECRET}


def _duplicates() -> tuple[int, int]:
    created = duplicates = 0
    with requests.Session() as session:
        for i in range(CHANNELS):
            stats = session.get(
                f"{SANDBOX}/_control/bench-{i:03}/stats", headers=_control_headers(), timeout=10
            ).json()
            created += stats["posts_created"]
            duplicates += stats["duplicates"]
    return created, duplicates


def _latency_bound(concurrency: int, total: int) -> float:
    """The same number of posts straight to the sandbox, as fast as the concurrency allows."""
    tokens = []
    with requests.Session() as session:
        for i in range(CHANNELS):
            answer = session.post(
                f"{SANDBOX}/oauth/token",
                data={"grant_type": "password", "username": f"bound-{i:03}", "password": "pw"},
                timeout=10,
            )
            answer.raise_for_status()
            tokens.append(answer.json()["access_token"])
    SandboxAccount.objects.filter(handle__startswith="bound-").update(latency_ms=LATENCY_MS)
    local = threading.local()

    def send(n: int) -> None:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        answer = local.session.post(
            f"{SANDBOX}/posts",
            json={"text": f"Direkt {n}: Die Straße ist ab 9 Uhr gesperrt."},
            headers={
                "Authorization": f"Bearer {tokens[n % CHANNELS]}",
                "Idempotency-Key": f"bound-{n}",
            },
            timeout=30,
        )
        answer.raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(send, range(total)))
    return time.perf_counter() - started


def main() -> None:
    publisher = _procfile_command("publisher")
    if os.environ.get("BENCH_WORKER_CONCURRENCY"):
        _option(publisher, "--concurrency", os.environ["BENCH_WORKER_CONCURRENCY"])
    if os.environ.get("BENCH_WORKER_POOL"):
        _option(publisher, "--pool", os.environ["BENCH_WORKER_POOL"])
    worker_processes = int(os.environ.get("BENCH_WORKER_PROCESSES", str(os.cpu_count() or 1)))
    concurrency = int(_option(publisher, "--concurrency")) * worker_processes
    beat = [*_procfile_command("beat"), "--schedule", str(LOG_DIR / "beat-schedule")]
    processes = Processes()
    try:
        _server_up(processes)
        unit, editor, approver, admin = _organisation()
        channels = _channels(unit, admin)
        _posts(unit, editor, approver, channels)
        SandboxAccount.objects.filter(handle__startswith="bench-").update(latency_ms=LATENCY_MS)
        total = PostVariant.objects.filter(status=PostVariant.Status.SCHEDULED).count()
        assert total == POSTS * CHANNELS_PER_POST, total

        redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
        # The worker line's worker runs beat's dispatch task (queue "default").
        workers = {"worker", *(f"publisher{n}" for n in range(worker_processes))}
        processes.start("worker", _procfile_command("worker"))
        for name in sorted(workers - {"worker"}):
            args = list(publisher)
            _option(args, "--hostname", f"{name}@%h")  # one node name per process
            processes.start(name, args)
        processes.start("beat", beat)
        for name in sorted(workers):
            processes.wait_for(name, " ready.")
        processes.wait_for("beat", "beat: Starting")
        due = timezone.now() + timedelta(seconds=LEAD_SECONDS)
        PostVariant.objects.update(scheduled_at=due)
        connection.close()

        deadline = time.monotonic() + LEAD_SECONDS + GIVE_UP_SECONDS
        while time.monotonic() < _monotonic_at(due):
            time.sleep(0.1)
        cpu_before = _cpu_snapshot(processes, workers)
        while time.monotonic() < deadline:
            published = PostVariant.objects.filter(status=PostVariant.Status.PUBLISHED).count()
            if published == total:
                break
            time.sleep(0.5)
        cpu_after = _cpu_snapshot(processes, workers)
        processes.stop({"beat", *workers})

        rows = list(
            PostVariant.objects.filter(status=PostVariant.Status.PUBLISHED).values_list(
                "published_at", "scheduled_at"
            )
        )
        lateness = [(p - s).total_seconds() for p, s in rows]
        last = max((p for p, _ in rows), default=due)
        last_published_s = (last - due).total_seconds()
        created, duplicates = _duplicates()
        bound = _latency_bound(concurrency, total)

        print(f"variants: {total}")
        print(f"worker_concurrency: {concurrency}")
        print(f"dispatch_interval_s: {os.environ.get('PUBLISH_DISPATCH_SECONDS', '5')}")
        print(f"last_published_s: {last_published_s:.1f}")
        if lateness:
            print(f"lateness_p50_s: {_percentile(lateness, 0.50):.1f}")
            print(f"lateness_p95_s: {_percentile(lateness, 0.95):.1f}")
            print(f"lateness_p99_s: {_percentile(lateness, 0.99):.1f}")
        print(f"posts_per_s: {len(rows) / max(last_published_s, 0.001):.1f}")
        print(f"sandbox_posts_created: {created}")
        print(f"duplicates: {duplicates}")
        print(f"lost: {total - len(rows)}")
        print(f"latency_bound_s: {bound:.1f}")
        print(f"bound_ratio: {last_published_s / bound:.2f}")
        (busy0, all0), (busy1, all1) = cpu_before[0], cpu_after[0]
        print(f"machine_cpu_busy_pct: {100 * (busy1 - busy0) / max(all1 - all0, 1):.0f}")
        print(f"worker_cpu_s: {cpu_after[1] - cpu_before[1]:.1f}")
        print(f"sandbox_server_cpu_s: {cpu_after[2] - cpu_before[2]:.1f}")
        print(f"postgres_cpu_s: {cpu_after[3] - cpu_before[3]:.1f}")
        print(f"redis_cpu_s: {cpu_after[4] - cpu_before[4]:.1f}")
    finally:
        processes.stop()
        connection.close()
    if total - len(rows) or duplicates:
        print(f"# logs: {LOG_DIR}", file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(LOG_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
