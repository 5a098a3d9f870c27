"""analytics/common/downloads.py: a built file as a private attachment, 404 until built or
once gone from storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.http import Http404

from analytics.common.downloads import built_file_response
from analytics.models import RecordsExport


@pytest.fixture
def export(tmp_path: Path, settings: Any) -> RecordsExport:
    settings.MEDIA_ROOT = tmp_path
    export = RecordsExport()
    export.file.save("built.zip", ContentFile(b"PK built"), save=False)
    return export


def test_a_built_file_is_a_private_attachment(export: RecordsExport) -> None:
    response = built_file_response(
        export.file, ready=True, filename="records-export-7.zip", content_type="application/zip"
    )
    assert b"".join(response.streaming_content) == b"PK built"  # type: ignore[arg-type]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="records-export-7.zip"'
    assert response["Cache-Control"] == "private, no-store"
    # The handle only: response.close() would end a request (and reach for the database).
    assert response.file_to_stream is not None
    response.file_to_stream.close()


def test_a_file_not_ready_is_not_found(export: RecordsExport) -> None:
    with pytest.raises(Http404):
        built_file_response(export.file, ready=False, filename="x.zip", content_type="x/y")


def test_no_file_is_not_found() -> None:
    with pytest.raises(Http404):
        built_file_response(RecordsExport().file, ready=True, filename="x.zip", content_type="x/y")


def test_a_file_gone_from_storage_is_not_found(export: RecordsExport) -> None:
    Path(export.file.path).unlink()
    with pytest.raises(Http404):
        built_file_response(export.file, ready=True, filename="x.zip", content_type="x/y")
