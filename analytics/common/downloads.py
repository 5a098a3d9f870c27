"""The download of a file the server built (a records export's ZIP, a monthly report's PDF),
the same for the page and the API: an attachment nobody caches, and 404 while it is not
built yet or once its file is gone from storage (deleted after the retention period)."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.http import Http404


def built_file_response(
    file: FieldFile, *, ready: bool, filename: str, content_type: str
) -> FileResponse:
    """``file`` as an attachment named ``filename``; ``ready``: whether its build finished."""
    if not ready or not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
