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
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from analytics.common.charts import Chart


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


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
