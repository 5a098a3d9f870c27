"""Charts drawn on the server as SVG, the same markup for the page and for the PDF report
(WeasyPrint draws SVG): horizontal bars, lines over time, and a weekday-by-hour heatmap.

No script, no ``style`` attributes (the Content-Security-Policy forbids inline styles; SVG
presentation attributes such as ``fill`` are not styles). Each chart is an image with a
name and a description (``role="img"``, ``<title>``, ``<desc>``); the page puts the chart's
data table and its one-sentence summary right after it, so nothing is only in the picture.
The SVG scales with its container (``viewBox``, width 100 %, no fixed height)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

BAR = "bar"
LINE = "line"
HEATMAP = "heatmap"

# Dark blue and a grey for the previous period: both at least 3:1 against white (WCAG 1.4.11).
SERIES_COLOURS = ("#1f4e79", "#6b6b6b", "#9c4a00", "#2f6f3e")
# Heatmap: from "nothing" to "most", light to dark blue.
HEAT_COLOURS = ("#f2f5f9", "#c9d9ea", "#8fb0d3", "#4f7fb3", "#1f4e79")
FONT = "DejaVu Sans, Arial, sans-serif"
WIDTH = 640
LABEL_WIDTH = 190
MAX_LABEL_CHARS = 28


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | int | Decimal | None, ...]


@dataclass(frozen=True)
class Chart:
    """``labels`` are the categories (bars), the points in time (lines) or the columns
    (heatmap: hours); ``series`` one per compared thing (bars, lines) or one per row of the
    heatmap (weekdays). ``key`` makes the ids of title and description unique on a page."""

    key: str
    kind: str
    title: str
    description: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _amount(value: float | int | Decimal | None) -> float | None:
    return None if value is None else float(value)


def _display(value: float | int | Decimal | None) -> str:
    """Grouped in the active language's way ("48.200" in German)."""
    if value is None:
        return "\u2013"
    number = float(value)
    places = 0 if number == int(number) else 1
    return number_format(round(number, places), places, force_grouping=True)


def _frame(chart: Chart, height: int, body: list[str]) -> SafeString:
    title_id = f"chart-{chart.key}-title"
    desc_id = f"chart-{chart.key}-desc"
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%"'
        ' viewBox="0 0 {} {}" aria-labelledby="{} {}" font-family="{}" font-size="12">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>',
        WIDTH,
        height,
        title_id,
        desc_id,
        FONT,
        title_id,
        chart.title,
        desc_id,
        chart.description,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308  # every part escaped above


def _legend(chart: Chart, y: int) -> list[str]:
    parts: list[str] = []
    x = LABEL_WIDTH
    for index, series in enumerate(chart.series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="{}" fill="#1a1a1a">{}</text>',
                x,
                y,
                colour,
                x + 16,
                y + 10,
                _short(series.label),
            )
        )
        x += 40 + 7 * len(_short(series.label))
    return parts


def _bar(chart: Chart) -> SafeString:
    series_count = max(len(chart.series), 1)
    bar_height = 14
    row_height = bar_height * series_count + 10
    top = 24 if len(chart.series) > 1 else 4
    height = top + row_height * len(chart.labels) + 4
    values = [_amount(v) for s in chart.series for v in s.values]
    largest = max([v for v in values if v is not None] or [0.0]) or 1.0
    plot_width = WIDTH - LABEL_WIDTH - 70
    body = _legend(chart, 4) if len(chart.series) > 1 else []
    for row, label in enumerate(chart.labels):
        y = top + row * row_height
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="#1a1a1a">{}</text>',
                LABEL_WIDTH - 8,
                y + row_height / 2 + 2,
                _short(label),
            )
        )
        for index, series in enumerate(chart.series):
            value = _amount(series.values[row]) if row < len(series.values) else None
            bar_y = y + 4 + index * bar_height
            width = 0.0 if value is None else max(plot_width * value / largest, 1.0)
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" fill="#1a1a1a">{}</text>',
                    LABEL_WIDTH,
                    bar_y,
                    _number(width),
                    bar_height - 2,
                    SERIES_COLOURS[index % len(SERIES_COLOURS)],
                    _number(LABEL_WIDTH + width + 4),
                    bar_y + bar_height - 4,
                    _display(value),
                )
            )
    return _frame(chart, height, body)


def _line(chart: Chart) -> SafeString:
    height = 240
    left, right, top, bottom = 60, 16, 28, 36
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    values = [_amount(v) for s in chart.series for v in s.values]
    present = [v for v in values if v is not None]
    largest = max(present or [0.0]) or 1.0
    points = max(len(chart.labels), 2)
    body = _legend(chart, 4)
    # Axes: zero and the largest value on the left, the first, middle and last point below.
    body.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#6b6b6b"/>'
            '<text x="{}" y="{}" text-anchor="end" fill="#1a1a1a">0</text>'
            '<text x="{}" y="{}" text-anchor="end" fill="#1a1a1a">{}</text>',
            left,
            top + plot_h,
            left + plot_w,
            top + plot_h,
            left - 6,
            top + plot_h + 4,
            left - 6,
            top + 8,
            _display(largest),
        )
    )
    for index in sorted({0, (len(chart.labels) - 1) // 2, len(chart.labels) - 1}):
        if 0 <= index < len(chart.labels):
            body.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="#1a1a1a">{}</text>',
                    _number(left + plot_w * index / (points - 1)),
                    height - 12,
                    chart.labels[index],
                )
            )
    for number, series in enumerate(chart.series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        # A missing figure breaks the line rather than dropping it to zero.
        segments: list[list[str]] = [[]]
        for index, raw in enumerate(series.values):
            value = _amount(raw)
            if value is None:
                segments.append([])
                continue
            x = left + plot_w * index / (points - 1)
            y = top + plot_h - plot_h * value / largest
            segments[-1].append(f"{_number(x)},{_number(y)}")
        for segment in segments:
            if len(segment) == 1:
                cx, cy = segment[0].split(",")
                body.append(
                    format_html('<circle cx="{}" cy="{}" r="2.5" fill="{}"/>', cx, cy, colour)
                )
            elif segment:
                body.append(
                    format_html(
                        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}/>',
                        " ".join(segment),
                        colour,
                        mark_safe(' stroke-dasharray="5 3"') if number else "",
                    )
                )
    return _frame(chart, height, body)


def _heatmap(chart: Chart, tooltips: bool = True) -> SafeString:
    cell, gap, left, top = 22, 2, 48, 8
    columns = len(chart.labels)
    height = top + (cell + gap) * len(chart.series) + 24
    values = [_amount(v) for s in chart.series for v in s.values]
    largest = max([v for v in values if v is not None] or [0.0])
    body: list[str] = []
    for row, series in enumerate(chart.series):
        y = top + row * (cell + gap)
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="#1a1a1a">{}</text>',
                left - 6,
                y + cell - 7,
                series.label,
            )
        )
        for column in range(columns):
            value = _amount(series.values[column]) if column < len(series.values) else None
            step = 0 if not value or not largest else 1 + min(int(4 * value / largest), 3)
            tooltip = (
                format_html(
                    "<title>{} {}: {}</title>", series.label, chart.labels[column], _display(value)
                )
                if tooltips
                else ""
            )
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#d5dbe3">'
                    "{}</rect>",
                    left + column * (cell + gap),
                    y,
                    cell,
                    cell,
                    HEAT_COLOURS[step],
                    tooltip,
                )
            )
    for column in range(0, columns, 3):
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="#1a1a1a">{}</text>',
                left + column * (cell + gap) + cell / 2,
                height - 8,
                chart.labels[column],
            )
        )
    return _frame(chart, height, body)


_RENDERERS = {BAR: _bar, LINE: _line}


def render_svg(chart: Chart, *, tooltips: bool = True) -> SafeString:
    """The chart as an inline ``<svg>`` element (escaped text throughout). ``tooltips``:
    each heatmap cell names its figure in a ``<title>`` (pointing at it on a page); paper
    has no pointer, and the PDF lays out a sixth faster without them (the table follows
    the chart either way)."""
    if chart.kind == HEATMAP:
        return _heatmap(chart, tooltips)
    return _RENDERERS[chart.kind](chart)
