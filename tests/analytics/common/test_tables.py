"""``top_rows``: a long table cut for print keeps its largest rows, says how many it left
out and adds up the columns that add up over every row ("not provided" stays ``None``)."""

from __future__ import annotations

from analytics.common.charts import HEATMAP
from analytics.common.charts import Chart
from analytics.common.charts import Series
from analytics.common.charts import render_svg
from analytics.common.tables import Column
from analytics.common.tables import FigureTable
from analytics.common.tables import top_rows

COLUMNS = (
    Column("channel", "Channel"),
    Column("reach", "Reach", numeric=True, total=True),
    Column("rate", "Rate", numeric=True),
    Column("clicks", "Clicks", numeric=True, total=True),
)


def _table(rows: list[tuple[object, ...]]) -> FigureTable:
    return FigureTable(
        key="channels", title="Per channel", columns=COLUMNS, rows=tuple(rows), summary=""
    )


def test_a_short_table_is_kept_whole() -> None:
    table = _table([("a", 1, 2, None), ("b", 3, 4, None)])

    part = top_rows(table, 2, "reach")

    assert (part.rows, part.left_out, part.totals) == (table.rows, 0, None)


def test_the_largest_rows_first_the_rest_counted_and_totalled() -> None:
    table = _table([("a", 5, 1, None), ("b", None, 1, None), ("c", 9, 1, None), ("d", 7, 1, None)])

    part = top_rows(table, 2, "reach")

    assert [row[0] for row in part.rows] == ["c", "d"]
    assert part.left_out == 2
    assert part.totals == ("", 21, "", None)  # rates do not add up; no clicks provided


def test_without_a_ranking_the_first_rows_are_kept() -> None:
    table = _table([("a", 1, 1, 1), ("b", 2, 1, 1), ("c", 3, 1, 1)])

    part = top_rows(table, 2)

    assert [row[0] for row in part.rows] == ["a", "b"]
    assert part.totals == ("", 6, "", 3)


def test_heatmap_cells_name_their_figure_only_where_there_is_a_pointer() -> None:
    chart = Chart(
        key="t",
        kind=HEATMAP,
        title="T",
        description="D",
        labels=("00", "01"),
        series=(Series("Mo", (1, 2)),),
    )

    assert render_svg(chart).count("<title") == 3  # the chart's own and one per cell
    assert render_svg(chart, tooltips=False).count("<title") == 1
