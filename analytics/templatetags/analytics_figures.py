"""Showing the analytics' figures: ``{{ value|figure }}`` (a number grouped the language's
way, a link, or "not provided by this platform" for a missing figure) and
``{% chart table.chart %}`` (the server-drawn SVG)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from analytics.common.charts import Chart, render_svg
from analytics.common.tables import FigureTable, Link, not_provided

register = template.Library()


@register.filter
def figure(value: Any) -> Any:
    if value is None:
        return format_html('<span class="not-provided">{}</span>', not_provided())
    if isinstance(value, Link):
        return format_html('<a href="{}">{}</a>', value.url, value.text)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return number_format(value, 0, force_grouping=True)
    if isinstance(value, (Decimal, float)):
        amount = Decimal(str(value))
        places = 0 if amount == amount.to_integral_value() else (2 if abs(amount) < 10 else 1)
        return number_format(round(amount, places), places, force_grouping=True)
    return value


@register.simple_tag
def chart(value: Chart) -> SafeString:
    return render_svg(value)


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
    rows = []
    for row in table.rows:
        cells = [format_html('<th scope="row">{}</th>', figure(row[0]))]
        cells += [format_html("<td>{}</td>", figure(value)) for value in row[1:]]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308  # every cell escaped by format_html
