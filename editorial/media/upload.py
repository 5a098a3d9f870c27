"""An upload handler that stops a media upload as soon as it is too large.

Django's default handlers write every byte to a temporary file before any view code runs, so
a 2 GB upload would fill the disk before the form could refuse it. This handler sits first in
the chain of the media views only (``install_media_upload_limit``) and raises ``StopUpload``
the moment the limit is known to be exceeded: nothing more reaches the handlers that store.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.core.files.uploadhandler import StopUpload
from django.http import HttpRequest

# Multipart part headers of a form with a dozen fields; generous so that a file just under
# the limit is never refused because of them.
_PART_HEADERS_HEADROOM = 256 * 1024
_FLAG = "media_upload_refused"


def media_max_upload_bytes() -> int:
    return int(settings.MEDIA_MAX_UPLOAD_MB) * 1024 * 1024


class MediaUploadLimitHandler(FileUploadHandler):
    """Counts the bytes of every file in the request; over the limit, stops the upload.

    ``StopUpload(connection_reset=False)``: Django then reads and discards the rest of the
    body without storing it, so that the browser receives the form again with the message.
    Resetting the connection instead would show the user a network error page."""

    def __init__(self, request: HttpRequest | None = None, max_bytes: int | None = None) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes if max_bytes is not None else media_max_upload_bytes()
        self.received = 0
        self.request_length: int | None = None

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803  (Django's signature)
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        # Not ``self.content_length``: the base class uses that name for each file's length.
        self.request_length = content_length
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        # Non-file fields may total at most DATA_UPLOAD_MAX_MEMORY_SIZE (Django refuses more),
        # so a declared body larger than limit + that can only hold too large a file: refuse
        # before the first byte of it is stored.
        fields_max = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if (
            fields_max is not None
            and self.request_length is not None
            and self.request_length > self.max_bytes + fields_max + _PART_HEADERS_HEADROOM
        ):
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler in the chain builds the file object

    def _stop(self) -> None:
        if self.request is not None:
            setattr(self.request, _FLAG, True)
        raise StopUpload(connection_reset=False)


def install_media_upload_limit(request: HttpRequest) -> None:
    """Put the limit first in the request's handler chain. Must run before anything reads
    ``request.POST`` or ``request.FILES`` (hence ``csrf_exempt`` + ``csrf_protect`` on the
    views that call it: the CSRF middleware would otherwise parse the body first)."""
    request.upload_handlers.insert(0, MediaUploadLimitHandler(request))


def media_upload_was_refused(request: Any) -> bool:
    """True when the limit handler stopped this request's upload (a DRF request proxies
    attribute access to the Django request, so both work)."""
    return bool(getattr(request, _FLAG, False))
