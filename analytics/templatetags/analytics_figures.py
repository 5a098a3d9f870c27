"""Showing the analytics' figures: ``{{ value|figure }}`` (a number grouped the language's
way, a link, or "not provided by this platform" for a missing figure) and
``{% chart table.chart %}`` (the server-drawn SVG)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import get_format
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

from analytics.common.charts import Chart
from analytics.common.charts import render_svg
from analytics.common.tables import FigureTable
from analytics.common.tables import Link
from analytics.common.tables import not_provided

register = template.Library()


@dataclass(frozen=True)
class _Separators:
    """The active language's number format, looked up once per table (``get_format`` per
    cell is most of a large table's time)."""

    decimal: str
    thousand: str
    grouping: Any

    @classmethod
    def active(cls) -> _Separators:
        return cls(
            str(get_format("DECIMAL_SEPARATOR")),
            str(get_format("THOUSAND_SEPARATOR")),
            get_format("NUMBER_GROUPING"),
        )

    def format(self, number: int | Decimal, places: int) -> str:
        """As ``number_format(number, places, force_grouping=True)``."""
        if self.grouping != 3:  # a language grouping otherwise: Django's own way
            return number_format(number, places, force_grouping=True)
        text = f"{number:,.{places}f}"
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", self.thousand)


def _figure(value: Any, separators: _Separators | None = None) -> Any:
    if value is None:
        return format_html('<span class="not-provided">{}</span>', not_provided())
    if isinstance(value, Link):
        return format_html('<a href="{}">{}</a>', value.url, value.text)
    if isinstance(value, bool):
        return value
    separators = separators or _Separators.active()
    if isinstance(value, int):
        return separators.format(value, 0)
    if isinstance(value, (Decimal, float)):
        amount = Decimal(str(value))
        places = 0 if amount == amount.to_integral_value() else (2 if abs(amount) < 10 else 1)
        return separators.format(round(amount, places), places)
    return value


@register.filter
def figure(value: Any) -> Any:
    return _figure(value)


@register.simple_tag
def chart(value: Chart, tooltips: bool = True) -> SafeString:
    return render_svg(value, tooltips=tooltips)


@register.filter
def signed(value: Any) -> Any:
    """A change with its sign: "+12,5", a minus sign before "3", "0"."""
    if value is None:
        return value
    number = Decimal(value)
    shown = figure(abs(number))
    if number > 0:
        return f"+{shown}"
    return f"\u2212{shown}" if number < 0 else shown


@register.simple_tag
def figure_rows(table: FigureTable, empty: str) -> SafeString:
    """The ``<tr>`` rows of a table's body, the first cell of each its row header. Built
    here rather than in template loops: a table of a few hundred cells renders ten times
    faster (the dashboard's page time)."""
    if not table.rows:
        return format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), empty)
    separators = _Separators.active()
    rows = []
    for row in table.rows:
        cells: list[str] = [format_html('<th scope="row">{}</th>', _figure(row[0], separators))]
        cells += [f"<td>{conditional_escape(_figure(value, separators))}</td>" for value in row[1:]]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308  # every cell escaped
