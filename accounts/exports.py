"""CSV downloads (audit log, Redaktionsplan): streamed, UTF-8 with a byte-order mark so that
spreadsheet programs read umlauts, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import StreamingHttpResponse

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """Neutralise spreadsheet formulas: an exported cell must never execute."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


class _Echo:
    """A file that hands back what is written: lets ``csv.writer`` produce one line at a time."""

    def write(self, value: str) -> str:
        return value


def csv_download(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV attachment; ``rows`` is consumed lazily, row by row."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
