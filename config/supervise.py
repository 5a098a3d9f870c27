"""Keep one process of `make run` alive: ``python config/supervise.py <command …>``.

honcho (the Procfile runner of `make run`) restarts nothing: when the Celery worker died on
the embedded broker (issue 13), publishing stopped until someone restarted everything by
hand. Each Procfile line runs its command under this supervisor, which starts it again when
it ends by itself, after a pause that doubles with each quick crash (1 s, 2 s, 4 s … at most
30 s; back to 1 s once the process ran for a minute), so a process that cannot start does
not spin. SIGINT or SIGTERM end the supervisor and its process: honcho and a terminal's
Ctrl+C signal the whole process group, the process included; a signal sent to the supervisor
alone is passed on as SIGTERM when the process has not ended on its own shortly after (never
twice at once: a second SIGINT makes Celery drop its running tasks).

Run as a script, not as ``-m config.supervise`` (the package imports Celery), and only the
standard library: the supervisor must keep running when the project itself cannot start.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from types import FrameType

MIN_DELAY = 1.0
MAX_DELAY = 30.0
STABLE_AFTER = 60.0  # seconds of running that count as a good start (the pause resets)
GROUP_SIGNAL_GRACE = 2.0  # time for the process to react to a signal sent to the whole group
STOP_TIMEOUT = 30.0  # how long a stopped process may take before it is killed


def next_delay(previous: float, ran_for: float) -> float:
    """The pause before the next start: doubled after a quick crash, reset after a stable run."""
    if ran_for >= STABLE_AFTER:
        return MIN_DELAY
    return min(max(previous * 2, MIN_DELAY), MAX_DELAY)


def _say(message: str) -> None:
    print(f"[supervise] {message}", file=sys.stderr, flush=True)


def supervise(command: Sequence[str]) -> int:
    """Run ``command`` until asked to stop; returns the exit code of its last run."""
    stopping = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    delay = 0.0
    while True:
        started = time.monotonic()
        child = subprocess.Popen(command)  # noqa: S603 (the Procfile's own command line)
        while not stopping.is_set() and child.poll() is None:
            stopping.wait(0.2)
        if stopping.is_set():
            return _stop(child)
        code = child.returncode
        delay = next_delay(delay, time.monotonic() - started)
        _say(f"{command[0]} ended with exit code {code}; starting it again in {delay:.0f} s")
        if stopping.wait(delay):
            return code


def _stop(child: subprocess.Popen[bytes]) -> int:
    try:
        return child.wait(timeout=GROUP_SIGNAL_GRACE)
    except subprocess.TimeoutExpired:
        child.terminate()
    try:
        return child.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        return child.wait()


def main(argv: Sequence[str]) -> int:
    if not argv:
        print("usage: python config/supervise.py <command> [arguments …]", file=sys.stderr)
        return 2
    return supervise(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
