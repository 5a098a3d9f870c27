"""The tables of figures the analytics pages, the API, the downloads and the monthly PDF
report share: one ``FigureTable`` per table, with its columns, its rows, the one sentence
that says what it shows and, where drawn, its chart (``analytics.common.charts``).

A cell holds a plain value (text, int, Decimal, float), a ``Link`` (text with the address of
the page it names), or ``None``: a figure the platform does not provide (never a zero). The
template filter ``figure`` (``analytics/templatetags/analytics_figures.py``) shows a cell;
``export_rows`` writes them for CSV and XLSX (``accounts/exports.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from typing import Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from analytics.common.charts import Chart


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    # The column adds up over the rows (counts, reach; not shares or growth): a shortened
    # table (``top_rows``) shows its total.
    total: bool = False


@dataclass(frozen=True)
class Link:
    """A cell naming something with a page of its own (a post): shown as a link, exported as
    its text."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class FigureTable:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    # One translated sentence: what the table shows ("Reach rose by 12 % to 48,200 …").
    summary: str
    chart: Chart | None = None
    # What a reader must know to read it right ("Insights switched off for 2 channels").
    note: str = ""

    @property
    def header(self) -> list[str]:
        return [column.label for column in self.columns]

    def export_rows(self) -> Iterator[list[Any]]:
        """Rows for a download: links as their text, a missing figure in words (an empty
        cell or a 0 would read as "nothing happened")."""
        missing = not_provided()
        for row in self.rows:
            yield [export_value(value, missing) for value in row]

    def column_values(self, key: str) -> list[Any]:
        index = next(i for i, column in enumerate(self.columns) if column.key == key)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class TopRows:
    """A long table cut for print (the monthly PDF): its largest rows, how many were left
    out, and the totals over all rows (``None``: not provided; ``""``: the column does not
    add up). The whole table stays in the CSV and XLSX downloads."""

    table: FigureTable
    rows: tuple[tuple[Any, ...], ...]
    left_out: int
    totals: tuple[Any, ...] | None


def top_rows(table: FigureTable, limit: int, rank_by: str | None = None) -> TopRows:
    """The ``limit`` rows with the largest ``rank_by`` (a column key), largest first, or the
    first ``limit`` rows (``None``), with the totals when rows are left out."""
    if len(table.rows) <= limit:
        return TopRows(table, table.rows, 0, None)
    if rank_by is None:
        kept = table.rows[:limit]
    else:
        index = next(i for i, column in enumerate(table.columns) if column.key == rank_by)
        ranked = sorted(
            range(len(table.rows)),
            key=lambda i: (table.rows[i][index] is None, -(table.rows[i][index] or 0), i),
        )
        kept = tuple(table.rows[i] for i in ranked[:limit])
    totals = tuple(
        _total(table.column_values(column.key)) if column.total else "" for column in table.columns
    )
    return TopRows(table, kept, len(table.rows) - len(kept), totals)


def _total(values: list[Any]) -> Any:
    given = [value for value in values if value is not None]
    return sum(given) if given else None


def not_provided() -> str:
    return _("not provided by this platform")


def export_value(value: Any, missing: str) -> Any:
    if value is None:
        return missing
    if isinstance(value, Link):
        return value.text
    if isinstance(value, Decimal):
        return float(value)
    return value
