"""Every queue a task is routed to has a consumer, in the Procfile (``make run``) and in
docker-compose.yml: a queue nobody reads holds its tasks silently (no error, no post)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent


def _routed_queues() -> set[str]:
    queues = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    return queues | {settings.CELERY_TASK_DEFAULT_QUEUE}


def _consumed(text: str) -> set[str]:
    return {
        queue
        for match in re.finditer(r"--queues[ =]([\w,]+)", text)
        for queue in match.group(1).split(",")
    }


@pytest.mark.parametrize("path", ["Procfile", "docker-compose.yml"])
def test_every_routed_queue_is_consumed(path: str) -> None:
    consumed = _consumed((ROOT / path).read_text())
    assert _routed_queues() - consumed == set()


def test_publishing_has_its_own_processes() -> None:
    """Publishing is not stuck behind mail or ingest work, and scales by processes."""
    procfile = (ROOT / "Procfile").read_text()
    publisher = next(line for line in procfile.splitlines() if line.startswith("publisher:"))
    assert _consumed(publisher) == {"publishing"}
    assert "--pool threads" in publisher and "--prefetch-multiplier 1" in publisher
    worker = next(line for line in procfile.splitlines() if line.startswith("worker:"))
    assert "publishing" not in _consumed(worker)
