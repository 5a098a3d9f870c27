"""The sandbox platform's fault injection (``_control``): who may use it, what it accepts,
and the failures, rate limits, latency and lost answers it makes the API produce."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from channels_app.sandbox.models import SandboxAccount
from tests.channels_app.sandbox.support import API
from tests.channels_app.sandbox.support import Api
from tests.channels_app.sandbox.support import control
from tests.channels_app.sandbox.support import stats
from tests.channels_app.sandbox.support import token_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("secret", [None, "", "wrong"])
def test_control_refuses_a_wrong_or_missing_secret(client: Client, secret: str | None) -> None:
    token_for(client)
    response = control(client, "stadt", secret=secret, fail_count=3)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert client.get(f"{API}/_control/stadt/stats").status_code == 403
    assert SandboxAccount.objects.get().fail_remaining == 0


def test_control_is_off_without_a_configured_secret(client: Client, settings: Any) -> None:
    token_for(client)
    settings.SANDBOX_CONTROL_SECRET = ""
    assert control(client, "stadt", secret="", fail_count=1).status_code == 403
    assert control(client, "stadt", secret="anything", fail_count=1).status_code == 403


@pytest.mark.parametrize("setting", [{"fail_status": 418}, {"fail_count": -1}])
def test_control_refuses_an_invalid_setting(client: Client, setting: dict[str, int]) -> None:
    token_for(client)
    assert control(client, "stadt", **setting).status_code == 400


def test_control_of_an_unknown_account_is_404(client: Client) -> None:
    token_for(client)
    assert control(client, "unknown", fail_count=1).status_code == 404


def test_control_reports_the_settings_it_stored(client: Client) -> None:
    token_for(client)
    body = control(
        client,
        "stadt",
        latency_ms=0,
        fail_status=502,
        fail_count=2,
        timeout_after_accept_count=1,
        timeout_after_accept_seconds=0.5,
    ).json()
    assert body["fail_remaining"] == 2 and body["fail_status"] == 502
    assert body["timeout_after_accept_seconds"] == 0.5


def test_control_reset_clears_the_pending_faults(client: Client) -> None:
    token_for(client)
    control(
        client,
        "stadt",
        fail_status=502,
        fail_count=2,
        timeout_after_accept_count=1,
        timeout_after_accept_seconds=0.5,
    )
    body = control(client, "stadt", reset=True).json()
    assert body["fail_remaining"] == 0 and body["timeout_after_accept_remaining"] == 0


def test_injected_failures_then_success(api: Api, client: Client) -> None:
    control(client, "stadt", fail_status=500, fail_count=2)
    assert api.post("/posts", {"text": "A"}, HTTP_IDEMPOTENCY_KEY="k")[0] == 500
    assert api.post("/posts", {"text": "A"}, HTTP_IDEMPOTENCY_KEY="k")[0] == 500
    assert api.post("/posts", {"text": "A"}, HTTP_IDEMPOTENCY_KEY="k")[0] == 201
    assert stats(client, "stadt")["posts_created"] == 1


def test_injected_failures_touch_only_post_creation(api: Api, client: Client) -> None:
    control(client, "stadt", fail_status=500, fail_count=1)
    assert api.get("/me")[0] == 200


def test_injected_rate_limit_sends_retry_after(api: Api, client: Client) -> None:
    control(client, "stadt", fail_status=429, fail_count=1, retry_after_seconds=7)
    response = api.client.post(
        f"{API}/posts", json.dumps({"text": "A"}), content_type="application/json", **api.auth
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "7"
    assert response.json()["error"] == "rate_limited"


def test_latency_is_applied_to_every_api_request(api: Api, client: Client) -> None:
    control(client, "stadt", latency_ms=150)
    started = time.monotonic()
    assert api.get("/me")[0] == 200
    assert time.monotonic() - started >= 0.15


def test_timeout_after_accept_commits_the_post_first(api: Api, client: Client) -> None:
    control(client, "stadt", timeout_after_accept_count=1, timeout_after_accept_seconds=0.3)
    started = time.monotonic()
    status, post = api.post("/posts", {"text": "spät"}, HTTP_IDEMPOTENCY_KEY="late")
    assert time.monotonic() - started >= 0.3
    assert status == 201
    # The retry is answered at once with the same post.
    started = time.monotonic()
    status, replay = api.post("/posts", {"text": "spät"}, HTTP_IDEMPOTENCY_KEY="late")
    assert time.monotonic() - started < 0.3
    assert (status, replay["id"]) == (200, post["id"])
    assert stats(client, "stadt")["posts_created"] == 1


def test_duplicates_count_identical_texts(api: Api, client: Client) -> None:
    api.post("/posts", {"text": "doppelt"})
    api.post("/posts", {"text": "doppelt"})
    api.post("/posts", {"text": "einmal"})
    assert stats(client, "stadt")["duplicates"] == 1
