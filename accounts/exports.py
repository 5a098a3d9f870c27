"""Downloads of lists (audit log, Redaktionsplan) as CSV and as an Excel workbook.

Both are written row by row from an iterator, so memory stays bounded however long the list.
The CSV is what a German Excel opens with a double click: UTF-8 with a byte-order mark (else
umlauts break), semicolons (Excel in German locale splits on them, not on commas) and CRLF line
ends. No cell in either format is one a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any

from django.http import FileResponse
from django.http import StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses longer cells; a longer value is cut with a note rather than breaking the file.
_XLSX_CELL_LIMIT = 32767


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
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_value(value: Any) -> Any:
    """Numbers stay numbers (sortable in Excel); everything else is text, formulas defused."""
    if isinstance(value, bool) or value is None:
        return csv_cell(value)
    if isinstance(value, int | float):
        return value
    text = csv_cell(value)
    return text if len(text) <= _XLSX_CELL_LIMIT else text[: _XLSX_CELL_LIMIT - 1] + "…"


def xlsx_download(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str
) -> FileResponse:
    """An Excel workbook attachment with one sheet. openpyxl's write-only mode keeps only the
    current row in memory and spools the sheet to disk; the response streams the file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    heading = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115  # closed by the response when sent
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
