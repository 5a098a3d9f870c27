"""A ``requests`` transport that hands requests to the Django WSGI application in-process.

Mounted on an adapter's session, the adapter talks real HTTP semantics (methods, headers,
multipart bodies, status codes) to the real sandbox views, without a socket and inside the
test's database transaction: the application runs in the calling thread, so it sees what
the test created. Read timeouts are emulated after the fact: when the application took
longer than the read timeout, the caller gets ``requests.ReadTimeout`` although the server
side finished, which is exactly "the platform accepted, the answer was lost".
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlsplit

import requests
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished
from django.core.signals import request_started
from django.db import close_old_connections
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

_SKIPPED_HEADERS = {"content-type", "content-length"}


def _read_timeout(timeout: Any) -> float | None:
    if isinstance(timeout, tuple):
        return timeout[1]
    return timeout


class WSGITransport(BaseAdapter):
    def __init__(self, app: Any | None = None) -> None:
        super().__init__()
        self.app = app or WSGIHandler()
        self.calls: list[tuple[str, str]] = []  # (method, path) for assertions

    def _environ(self, request: requests.PreparedRequest) -> dict[str, Any]:
        url = urlsplit(request.url or "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):  # a generator or a file (streamed upload)
            body = b"".join(
                chunk.encode() if isinstance(chunk, str) else chunk
                for chunk in body  # type: ignore[union-attr]
            )
        headers = request.headers
        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method or "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(url.path or "/").encode("utf-8").decode("latin-1"),
            "QUERY_STRING": url.query,
            "SERVER_NAME": url.hostname or "testserver",
            "SERVER_PORT": str(url.port or (443 if url.scheme == "https" else 80)),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": str(headers.get("Content-Type", "")),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": url.scheme or "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        environ["HTTP_HOST"] = url.netloc
        for name, value in headers.items():
            if name.lower() in _SKIPPED_HEADERS:
                continue
            environ["HTTP_" + name.upper().replace("-", "_")] = str(value)
        return environ

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        environ = self._environ(request)
        self.calls.append((environ["REQUEST_METHOD"], urlsplit(request.url or "").path))
        captured: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
        ) -> Callable[[bytes], object]:
            captured["status"] = status
            captured["headers"] = headers
            return lambda _chunk: None  # the legacy write() callable; Django never uses it

        # As Django's test client does: the request must not close the test's connection
        # (it lives inside the test transaction).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        started = time.monotonic()
        try:
            result = self.app(environ, start_response)
            try:
                content = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        elapsed = time.monotonic() - started
        limit = _read_timeout(timeout)
        if limit is not None and elapsed > limit:
            raise requests.ReadTimeout(f"emulated: the application took {elapsed:.2f}s")

        response = requests.Response()
        code, _sep, reason = captured["status"].partition(" ")
        response.status_code = int(code)
        response.reason = reason
        response.headers = CaseInsensitiveDict(captured["headers"])
        response.encoding = get_encoding_from_headers(response.headers)
        response._content = content
        response.raw = io.BytesIO(content)
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        return None


def mount(session: requests.Session, base_url: str) -> WSGITransport:
    """Route every request under ``base_url`` to Django; returns the transport."""
    transport = WSGITransport()
    session.mount(base_url, transport)
    return transport
