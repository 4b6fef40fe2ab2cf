"""A dataset's preview: an automatic chart and the table itself, sortable by any column."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import flet as ft

from services.i18n import N_
from services.open_data.chart_choice import (
    ChartChoice,
    chart_points,
    choose_chart,
    is_year_column,
)
from services.open_data.csv_preview import Table
from views.context import ScreenContext, refresh_control

ROWS_SHOWN = 25  # rows at first; "Show more rows" adds as many again
SERIES_COLOURS = (ft.Colors.RED_800, ft.Colors.BLUE_800, ft.Colors.GREEN_800, ft.Colors.BROWN_700)
# lines told apart by their dashes as well, not by colour alone
SERIES_DASHES: tuple[list[int] | None, ...] = (None, [8, 4], [3, 3], [12, 3, 3, 3])
MAX_BARS = 30

NO_CHART = {
    "no_rows": N_("The table has no rows, so there is nothing to draw."),
    "no_numbers": N_("The table has no numbers to draw, so there is no chart."),
    "no_axis": N_("The table has no dates or categories to draw its numbers over."),
    "too_many_categories": N_("The table has too many categories for a readable chart."),
}


def cell_text(ctx: ScreenContext, value: Any, *, year: bool = False) -> str:
    """A cell in the person's language: numbers with their separators (a year without),
    dates written out."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return str(int(value)) if year else ctx.tr.number(value)
    if isinstance(value, date | datetime):
        return ctx.tr.plain_date(value)
    return str(value)


def sort_key(value: Any) -> tuple[int, Any]:
    """Empty cells last, whatever the direction; numbers, dates and texts each in order."""
    if value is None:
        return (1, 0)
    if isinstance(value, datetime):
        return (0, value.replace(tzinfo=None).isoformat())
    if isinstance(value, date):
        return (0, value.isoformat())
    if isinstance(value, str):
        return (0, value.casefold())
    return (0, value)


def sorted_rows(table: Table, column: int | None, ascending: bool) -> list[list[Any]]:
    """The rows sorted by one column (empty cells always last), or as they came."""
    if column is None:
        return table.rows
    filled = [row for row in table.rows if row[column] is not None]
    empty = [row for row in table.rows if row[column] is None]
    filled.sort(key=lambda row: sort_key(row[column]), reverse=not ascending)
    return filled + empty


def table_view(ctx: ScreenContext, table: Table) -> ft.Control:
    """The rows as a table; a column heading sorts by that column (again: the other way)."""
    _ = ctx._
    state: dict[str, Any] = {"column": None, "ascending": True, "shown": ROWS_SHOWN}
    years = [c.kind == "number" and is_year_column(table, c) for c in table.columns]
    box = ft.Column(spacing=8)

    def sort(index: int) -> None:
        if state["column"] == index:
            state["ascending"] = not state["ascending"]
        else:
            state["column"], state["ascending"] = index, True
        draw()

    def more() -> None:
        state["shown"] += ROWS_SHOWN
        draw()

    def draw() -> None:
        rows = sorted_rows(table, state["column"], state["ascending"])[: state["shown"]]
        column = state["column"]
        columns = [
            ft.DataColumn(
                ft.Text(c.name, weight=ft.FontWeight.BOLD),
                numeric=c.kind == "number",
                tooltip=_("Sort by {column}").format(column=c.name),
                on_sort=lambda _e, i=i: sort(i),
            )
            for i, c in enumerate(table.columns)
        ]
        grid = ft.DataTable(
            columns=columns,
            rows=[
                ft.DataRow(
                    cells=[
                        ft.DataCell(ft.Text(cell_text(ctx, v, year=year)))
                        for v, year in zip(row, years, strict=False)
                    ]
                )
                for row in rows
            ],
            sort_column_index=column,
            sort_ascending=state["ascending"],
            heading_row_height=56,
            data_row_min_height=48,
        )
        said = [ctx.tr.ngettext("{n} row shown", "{n} rows shown", len(rows)).format(n=len(rows))]
        if column is not None:
            order = _("ascending") if state["ascending"] else _("descending")
            said.append(
                _("sorted by {column}, {order}").format(
                    column=table.columns[column].name, order=order
                )
            )
        controls: list[ft.Control] = [
            ft.Semantics(live_region=True, content=ft.Text(", ".join(said) + ".")),
            ft.Row([grid], scroll=ft.ScrollMode.AUTO),
        ]
        if len(table.rows) > len(rows):
            controls.append(
                ft.OutlinedButton(
                    _("Show more rows"), icon=ft.Icons.EXPAND_MORE, on_click=lambda _e: more()
                )
            )
        box.controls = controls
        refresh_control(box)

    draw()
    return box


def chart_view(ctx: ScreenContext, table: Table) -> ft.Control:
    """The chart that suits the table, with its gist in words; or why there is none."""
    choice = choose_chart(table)
    if not choice.drawable:
        return ft.Text(ctx._(NO_CHART.get(choice.reason, NO_CHART["no_axis"])))
    points = chart_points(table, choice)
    x_column = next(c for c in table.columns if c.name == choice.x)
    year = x_column.kind == "number" and is_year_column(table, x_column)
    if choice.kind == "line":
        chart = _line_chart(ctx, choice, points, year=year)
    else:
        chart = _bar_chart(ctx, choice, points[:MAX_BARS])
    legend = ft.Column(
        [
            ft.Row(
                [
                    swatch(i),
                    ft.Text(_series_words(ctx, choice, name, [p[1][i] for p in points])),
                ],
                spacing=8,
            )
            for i, name in enumerate(choice.series)
        ],
        spacing=4,
    )
    return ft.Column(
        [
            # drawn on a canvas: the words beside it are what screen readers get
            ft.Semantics(
                exclude_semantics=True,
                # room on the right for the last label on the time axis
                content=ft.Container(chart, padding=ft.Padding.only(right=24)),
            ),
            ft.Text(
                ctx._("{series} over {axis}, by {split}").format(
                    series=choice.value, axis=choice.x, split=choice.split
                )
                if choice.split
                else ctx._("{series} over {axis}").format(
                    series=", ".join(choice.series), axis=choice.x or ""
                ),
                italic=True,
            ),
            legend,
        ],
        spacing=8,
    )


def swatch(index: int, width: int = 40) -> ft.Control:
    """A short piece of a series' line, in its colour and with its dashes."""
    colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    dashes = SERIES_DASHES[index % len(SERIES_DASHES)] or [width]
    pieces: list[ft.Control] = []
    drawn, n = 0, 0
    while drawn < width:
        length = min(dashes[n % len(dashes)], width - drawn)
        pieces.append(ft.Container(width=length, height=4, bgcolor=colour if n % 2 == 0 else None))
        drawn, n = drawn + length, n + 1
    return ft.Row(pieces, spacing=0, width=width, tight=True)


def _series_words(
    ctx: ScreenContext, choice: ChartChoice, name: str, values: list[float | None]
) -> str:
    numbers = [v for v in values if v is not None]
    if not numbers:
        return ctx._("{series}: no values").format(series=name)
    return ctx._("{series}: from {low} to {high}").format(
        series=name, low=ctx.tr.number(min(numbers)), high=ctx.tr.number(max(numbers))
    )


def _line_chart(
    ctx: ScreenContext,
    choice: ChartChoice,
    points: list[tuple[Any, list[float | None]]],
    *,
    year: bool,
) -> ft.Control:
    import flet_charts as fch  # loaded with the first chart, not at start-up

    data = []
    for i, _name in enumerate(choice.series):
        spots = [
            fch.LineChartDataPoint(
                x, values[i], tooltip=f"{cell_text(ctx, raw)}: {cell_text(ctx, values[i])}"
            )
            for x, (raw, values) in enumerate(points)
            if values[i] is not None
        ]
        data.append(
            fch.LineChartData(
                points=spots,
                color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                dash_pattern=SERIES_DASHES[i % len(SERIES_DASHES)],
                stroke_width=3,
            )
        )
    first, last = points[0][0], points[-1][0]
    return fch.LineChart(
        data_series=data,
        left_axis=fch.ChartAxis(label_size=56),
        bottom_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(
                    value=0, label=ft.Text(cell_text(ctx, first, year=year), size=12)
                ),
                fch.ChartAxisLabel(
                    value=len(points) - 1,
                    label=ft.Text(cell_text(ctx, last, year=year), size=12),
                ),
            ],
            label_size=32,
        ),
        height=260,
        expand=False,
    )


def _bar_chart(
    ctx: ScreenContext, choice: ChartChoice, points: list[tuple[Any, list[float | None]]]
) -> ft.Control:
    import flet_charts as fch

    groups = [
        fch.BarChartGroup(
            x=x,
            rods=[
                fch.BarChartRod(
                    from_y=0,
                    to_y=value,
                    width=10,
                    color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                    tooltip=f"{cell_text(ctx, raw)}: {cell_text(ctx, value)}",
                )
                for i, value in enumerate(values)
                if value is not None
            ],
        )
        for x, (raw, values) in enumerate(points)
    ]
    return fch.BarChart(
        groups=groups,
        left_axis=fch.ChartAxis(label_size=56),
        bottom_axis=fch.ChartAxis(show_labels=False),
        height=260,
        expand=False,
    )


def preview_status(ctx: ScreenContext, table: Table) -> str:
    """How much of the table the preview holds."""
    _ = ctx._
    if table.total is not None and table.total > len(table.rows):
        return _("The first {shown} of {total} rows.").format(
            shown=len(table.rows), total=ctx.tr.number(table.total)
        )
    if table.truncated:
        return _("The first {shown} rows; the file has more.").format(shown=len(table.rows))
    return ctx.tr.ngettext("All {n} row.", "All {n} rows.", len(table.rows)).format(
        n=len(table.rows)
    )
