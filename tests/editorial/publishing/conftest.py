"""The sandbox platform served by the live server, and its control endpoints (faults,
counters) for the publishing tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests


@pytest.fixture
def sandbox(live_server, settings) -> str:  # type: ignore[no-untyped-def]
    """The sandbox API's base URL; platform calls time out after 2 s."""
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.PLATFORM_READ_TIMEOUT = 2
    return settings.SANDBOX_BASE_URL


@pytest.fixture
def control(sandbox: str, settings) -> Callable[..., None]:  # type: ignore[no-untyped-def]
    """``control(handle, **faults)``: the faults the sandbox account ``handle`` shows next."""

    def control(handle: str, **faults: object) -> None:
        response = requests.post(
            f"{sandbox}/_control/{handle}",
            json=faults,
            headers={"X-Sandbox-Control": settings.SANDBOX_CONTROL_SECRET},
            timeout=10,
        )
        assert response.status_code == 200, response.text

    return control


@pytest.fixture
def posts_created(sandbox: str, settings) -> Callable[[str], int]:  # type: ignore[no-untyped-def]
    """``posts_created(handle)``: how many posts the sandbox account ``handle`` has created."""

    def posts_created(handle: str) -> int:
        return requests.get(
            f"{sandbox}/_control/{handle}/stats",
            headers={"X-Sandbox-Control": settings.SANDBOX_CONTROL_SECRET},
            timeout=10,
        ).json()["posts_created"]

    return posts_created
