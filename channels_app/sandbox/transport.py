"""Reach the sandbox in-process: a ``requests`` transport handing requests to this Django
application without a socket.

For the moments when no web server runs but the sandbox must answer through the real adapter
code path: ``manage.py load_demo`` (the demo inbox is ingested while loading) and
benchmarks that measure a worker's own work. Mounted on an adapter's session, the adapter
talks real HTTP semantics (methods, headers, bodies, status codes) to the real sandbox views.
Not for concurrent use: it switches Django's per-request connection closing off while a
request runs (process-wide), as Django's test client does.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished
from django.core.signals import request_started
from django.db import close_old_connections
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

_SKIPPED_HEADERS = {"content-type", "content-length"}


class InProcessTransport(BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.app = WSGIHandler()

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
        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method or "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(url.path or "/").encode("utf-8").decode("latin-1"),
            "QUERY_STRING": url.query,
            "SERVER_NAME": url.hostname or "localhost",
            "SERVER_PORT": str(url.port or (443 if url.scheme == "https" else 80)),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": str(request.headers.get("Content-Type", "")),
            "HTTP_HOST": url.netloc,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": url.scheme or "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in request.headers.items():
            if name.lower() not in _SKIPPED_HEADERS:
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
        captured: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
        ) -> Callable[[bytes], object]:
            captured["status"], captured["headers"] = status, headers
            return lambda _chunk: None  # the legacy write() callable; Django never uses it

        # As Django's test client does: the caller's connection (perhaps inside a
        # transaction, as while loading the demo) must not be closed by the request's end.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.app(self._environ(request), start_response)
            try:
                content = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
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


def in_process_session() -> requests.Session:
    """A session whose requests to the sandbox API are answered in-process."""
    session = requests.Session()
    session.mount(settings.SANDBOX_BASE_URL, InProcessTransport())
    return session
