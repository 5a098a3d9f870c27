"""Uploads stopped while they arrive (editorial/media/upload.py, the upload handler): nothing
over the limit is ever stored, whether the size is declared in advance or not."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpResponse

from editorial.media.processing import media_upload_too_large_message
from editorial.models import MediaAsset
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.media.conftest import ALT_TEXT
from tests.editorial.media.conftest import german
from tests.editorial.media.conftest import stored_files
from tests.editorial.media.conftest import upload_form

pytestmark = pytest.mark.django_db


class _Body:
    """A multipart body of ``file_size`` bytes produced on the fly: ``__len__`` lets requests
    send a Content-Length (the WSGI server does not take chunked request bodies), and the same
    1 MiB block is yielded again and again, so nothing like 200 MB is ever in memory."""

    def __init__(self, fields: dict[str, str], file_size: int, boundary: str) -> None:
        head = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file";'
            ' filename="drohnenflug.mp4"\r\nContent-Type: video/mp4\r\n\r\n'
        )
        self.head = head.encode()
        self.tail = f"\r\n--{boundary}--\r\n".encode()
        self.file_size = file_size
        self.sent = 0

    def __len__(self) -> int:
        return len(self.head) + self.file_size + len(self.tail)

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        block = b"\x00" * (1024 * 1024)
        for _ in range(self.file_size // len(block)):
            self.sent += len(block)
            yield block
        yield self.tail


@pytest.fixture
def count_stored_bytes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Bytes that reached the handler that writes uploads to temporary files."""
    stored: list[int] = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self: TemporaryFileUploadHandler, raw_data: bytes, start: int) -> Any:
        stored.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    return stored


def test_a_200_mb_upload_is_refused_while_it_arrives(
    people: People,
    org: Org,
    client_for: Any,
    live_server: Any,
    media_root: Path,
    count_stored_bytes: list[int],
) -> None:
    # One behaviour seen from every side; a second 200 MB upload per facet would cost seconds.
    session = requests.Session()
    session.trust_env = False  # no proxy between us and the test server
    session.cookies.set("sessionid", client_for(people.editor).cookies["sessionid"].value)
    form_page = session.get(f"{live_server.url}/editorial/media/upload/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.text)
    assert csrf is not None
    boundary = "sprachrohr-test-boundary"
    body = _Body(
        {
            "csrfmiddlewaretoken": csrf.group(1),
            "unit": str(org.press.pk),
            "alt_text": "Drohnenflug über der Baustelle am Hauptbahnhof.",
            "credit": "Video: Stadt Musterstadt",
        },
        200 * 1024 * 1024,
        boundary,
    )

    started = time.monotonic()
    response = session.post(
        f"{live_server.url}/editorial/media/upload/",
        data=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"{live_server.url}/editorial/media/upload/",
        },
        timeout=60,
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert german(media_upload_too_large_message) in response.text
    assert "Drohnenflug über der Baustelle am Hauptbahnhof." in response.text
    assert "Video: Stadt Musterstadt" in response.text
    assert body.sent == 200 * 1024 * 1024  # it was a real 200 MB upload …
    assert sum(count_stored_bytes) == 0  # … of which not one byte was stored
    assert not MediaAsset.objects.exists()
    assert stored_files(media_root) == []
    assert elapsed < 20, f"took {elapsed:.1f} s"


@pytest.fixture
def oversized_unknown_length_response(
    people: People, org: Org, client_for: Any, settings: Any, count_stored_bytes: list[int]
) -> HttpResponse:
    # 3 MB against a 1 MB limit: the declared body size alone does not prove the file too
    # large (form fields may be up to DATA_UPLOAD_MAX_MEMORY_SIZE), so the handler counts.
    settings.MEDIA_MAX_UPLOAD_MB = 1
    content = b"\xff\xd8\xff" + b"\x00" * (3 * 1024 * 1024)
    return client_for(people.editor).post(  # type: ignore[no-any-return]
        "/editorial/media/upload/", upload_form(org, content, "gross.jpg")
    )


def test_the_upload_stops_at_the_limit_when_the_size_is_not_known_in_advance(
    oversized_unknown_length_response: HttpResponse,
    media_root: Path,
    count_stored_bytes: list[int],
) -> None:
    body = oversized_unknown_length_response.content.decode()
    assert german(media_upload_too_large_message) in body
    assert sum(count_stored_bytes) <= 1024 * 1024
    assert not MediaAsset.objects.exists()
    assert stored_files(media_root) == []


def test_an_upload_stopped_at_the_limit_keeps_what_the_user_typed(
    oversized_unknown_length_response: HttpResponse,
) -> None:
    assert ALT_TEXT in oversized_unknown_length_response.content.decode()
