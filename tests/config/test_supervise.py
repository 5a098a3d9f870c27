"""config/supervise.py, which every Procfile line of `make run` runs under: a process that
dies is started again (issue 13), and stopping the supervisor stops it for good."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.supervise import MAX_DELAY
from config.supervise import MIN_DELAY
from config.supervise import STABLE_AFTER
from config.supervise import next_delay

ROOT = Path(__file__).resolve().parent.parent.parent
# Writes its process id into the file given, then waits to be killed.
CHILD = "import os, sys, time; open(sys.argv[1], 'a').write(f'{os.getpid()}\\n'); time.sleep(600)"


def test_the_pause_doubles_after_each_quick_crash() -> None:
    assert [next_delay(d, ran_for=0.5) for d in (0.0, 1.0, 2.0, 16.0, 30.0)] == [
        MIN_DELAY,
        2.0,
        4.0,
        MAX_DELAY,
        MAX_DELAY,
    ]


def test_the_pause_resets_after_a_stable_run() -> None:
    assert next_delay(MAX_DELAY, ran_for=STABLE_AFTER) == MIN_DELAY


def _pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def _wait_for(path: Path, count: int, timeout: float = 15) -> list[int]:
    deadline = time.monotonic() + timeout
    while len(_pids(path)) < count:
        assert time.monotonic() < deadline, f"only {_pids(path)} started"
        time.sleep(0.05)
    return _pids(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (ended, not yet reaped by its parent) counts as ended.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[1][0] != "Z"


@pytest.fixture
def supervised(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    pids = tmp_path / "pids"
    supervisor = subprocess.Popen(
        [sys.executable, str(ROOT / "config" / "supervise.py"), sys.executable, "-c", CHILD, pids],
        start_new_session=True,
    )
    try:
        yield supervisor, pids
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
            supervisor.wait(timeout=10)
        for pid in _pids(pids):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_killed_process_is_started_again(
    supervised: tuple[subprocess.Popen[bytes], Path],
) -> None:
    supervisor, pids = supervised
    [first] = _wait_for(pids, 1)
    os.kill(first, signal.SIGKILL)  # as the worker died: without a word
    second = _wait_for(pids, 2)[1]
    assert second != first
    assert _alive(second)
    assert supervisor.poll() is None


def test_stopping_the_supervisor_stops_its_process_for_good(
    supervised: tuple[subprocess.Popen[bytes], Path],
) -> None:
    supervisor, pids = supervised
    [child] = _wait_for(pids, 1)
    supervisor.send_signal(signal.SIGTERM)  # to the supervisor alone: it passes it on
    supervisor.wait(timeout=15)
    time.sleep(0.5)
    assert not _alive(child)
    assert _pids(pids) == [child]  # not started again
