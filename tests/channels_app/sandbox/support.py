"""What the sandbox platform's tests share: a tiny API client, the control and stats calls,
and sample media. Requests go through Django's test client (real URL routing, middleware,
CSRF exemption); the adapter's own tests in ``tests/channels_app/adapters/test_sandbox.py``
cover the client side."""

from __future__ import annotations

import io
import json
from datetime import UTC
from datetime import datetime
from typing import Any

from django.test import Client
from PIL import Image

API = "/sandbox/api/v1"
SECRET = "control-secret-for-tests"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 512


def token_for(client: Client, handle: str = "stadt") -> dict[str, Any]:
    response = client.post(
        f"{API}/oauth/token", {"grant_type": "password", "username": handle, "password": "x"}
    )
    assert response.status_code == 200, response.content
    return response.json()


class Api:
    """A tiny client for one account: JSON in, (status, JSON) out."""

    def __init__(self, client: Client, token: str) -> None:
        self.client = client
        self.auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> tuple[int, Any]:
        response = self.client.get(f"{API}{path}", params, **self.auth)
        return response.status_code, _body(response)

    def post(self, path: str, data: Any = None, **headers: Any) -> tuple[int, Any]:
        response = self.client.post(
            f"{API}{path}",
            json.dumps({} if data is None else data),
            content_type="application/json",
            **self.auth,
            **headers,
        )
        return response.status_code, _body(response)

    def delete(self, path: str) -> int:
        return self.client.delete(f"{API}{path}", **self.auth).status_code

    def upload(self, content: bytes, name: str, alt_text: str = "") -> tuple[int, Any]:
        upload = io.BytesIO(content)
        upload.name = name
        response = self.client.post(
            f"{API}/media", {"file": upload, "alt_text": alt_text}, **self.auth
        )
        return response.status_code, _body(response)


def _body(response: Any) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    return response.json()


def control(client: Client, handle: str, secret: str | None = SECRET, **settings: Any) -> Any:
    headers: dict[str, Any] = {"HTTP_X_SANDBOX_CONTROL": secret} if secret is not None else {}
    return client.post(
        f"{API}/_control/{handle}", json.dumps(settings), content_type="application/json", **headers
    )


def stats(client: Client, handle: str) -> dict[str, int]:
    response = client.get(f"{API}/_control/{handle}/stats", HTTP_X_SANDBOX_CONTROL=SECRET)
    assert response.status_code == 200
    return response.json()


def jpeg_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def all_comments(api: Api, limit: int = 3) -> tuple[list[dict[str, Any]], str | None]:
    """Every comment the account sees, page by page, and the cursor to poll on from."""
    cursor: str | None = None
    seen: list[dict[str, Any]] = []
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        status, page = api.get("/comments", **params)
        assert status == 200
        seen.extend(page["data"])
        if not page["has_more"]:
            return seen, page["next_cursor"] or cursor
        cursor = page["next_cursor"]
