"""The sandbox platform under real concurrency: threads against a live server share the
fault budget exactly, make one post per idempotency key and generate each comment once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
import requests

from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxPost
from tests.channels_app.sandbox.support import API
from tests.channels_app.sandbox.support import SECRET


def _live_token(base: str, username: str) -> str:
    """An access token from the live server's token endpoint (password grant)."""
    answer = requests.post(
        f"{base}/oauth/token",
        data={"grant_type": "password", "username": username, "password": "x"},
        timeout=10,
    )
    return str(answer.json()["access_token"])


def _run_threads(count: int, target: Callable[[int], Any]) -> list[Any]:
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = target(index)
        except Exception as error:  # collected and asserted by the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_consume_the_fault_budget_exactly(live_server: Any) -> None:
    base = f"{live_server.url}{API}"
    token = _live_token(base, "last")
    requests.post(
        f"{base}/_control/last",
        json={"fail_status": 503, "fail_count": 3},
        headers={"X-Sandbox-Control": SECRET},
        timeout=10,
    ).raise_for_status()

    def publish(index: int) -> int:
        return requests.post(
            f"{base}/posts",
            json={"text": f"Beitrag {index}"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).status_code

    statuses = _run_threads(8, publish)
    assert sorted(statuses) == [201] * 5 + [503] * 3
    account = SandboxAccount.objects.get(handle="last")
    assert account.fail_remaining == 0
    assert account.posts_received == 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_one_key_make_one_post(live_server: Any) -> None:
    # Text only: the insert runs without a transaction of its own (autocommit).
    base = f"{live_server.url}{API}"
    token = _live_token(base, "gleich")

    def publish(_index: int) -> tuple[int, str]:
        response = requests.post(
            f"{base}/posts",
            json={"text": "Einmal"},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "eins"},
            timeout=30,
        )
        return response.status_code, response.json()["id"]

    results = _run_threads(6, publish)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(status for status, _id in results) == [200] * 5 + [201]
    assert len({remote_id for _status, remote_id in results}) == 1
    account = SandboxAccount.objects.get(handle="gleich")
    assert (account.posts_received, account.idempotent_replays) == (6, 5)
    assert SandboxPost.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_comment_fetches_generate_each_comment_once(live_server: Any) -> None:
    base = f"{live_server.url}{API}"
    token = _live_token(base, "viele")
    headers = {"Authorization": f"Bearer {token}"}
    for index in range(3):
        requests.post(
            f"{base}/posts", json={"text": f"Post {index}"}, headers=headers, timeout=10
        ).raise_for_status()
    # Backdate the posts so that all their comments are due at once.
    SandboxPost.objects.update(created_at=datetime.now(UTC) - timedelta(days=5))

    def fetch(_index: int) -> list[str]:
        response = requests.get(
            f"{base}/comments", params={"limit": 100}, headers=headers, timeout=30
        )
        response.raise_for_status()
        return [c["id"] for c in response.json()["data"]]

    results = _run_threads(6, fetch)
    assert all(isinstance(r, list) for r in results), results
    expected = sum(len(simulation.comment_schedule(p.remote_id)) for p in SandboxPost.objects.all())
    assert SandboxComment.objects.count() == expected
    assert all(sorted(r) == sorted(results[0]) and len(r) == expected for r in results)
