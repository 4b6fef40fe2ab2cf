"""The chart of a sensor's period, with a second stream to compare drawn dashed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import flet as ft

from services.sensors.downsample import WINDOWS, Points
from views.context import ScreenContext
from views.sensors.common import number, value_text

HOUR = 3600.0
TICKS = 4  # parts of the time axis between labels


@dataclass(frozen=True)
class Line:
    """One series to draw: whose it is, its unit, its points."""

    name: str
    unit: str | None
    points: Points


def nice_step(span: float, parts: int = 4) -> float:
    """A step of 1, 2 or 5 times a power of ten that cuts `span` into about `parts` rungs."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    rough = span / parts
    power = 10.0 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)


def time_label(ctx: ScreenContext, period: str, moment: datetime) -> str:
    """Times of day for a day, days for longer periods."""
    return ctx.tr.time(moment) if period == "24h" else ctx.tr.short_date(moment.date())


def series_chart(
    ctx: ScreenContext, period: str, now: datetime, main: Line, other: Line | None
) -> ft.Control:
    """A line chart of the period: hours since its start across, values up; the second dashed."""
    import flet_charts as fch  # loaded with the first chart, not at start-up

    start = now - WINDOWS[period]
    hours = WINDOWS[period].total_seconds() / HOUR
    lines = [main] + ([other] if other is not None else [])
    values = [v for line in lines for v in line.points.values]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    step = nice_step(high - low)
    bottom, top = math.floor(low / step) * step, math.ceil(high / step) * step
    if top <= bottom:
        top = bottom + step
    rungs = round((top - bottom) / step)
    value_ticks = [
        fch.ChartAxisLabel(
            value=bottom + i * step, label=ft.Text(number(ctx, bottom + i * step), size=11)
        )
        for i in range(rungs + 1)
    ]

    def data(line: Line, colour: str, dashed: bool) -> fch.LineChartData:
        points = [
            fch.LineChartDataPoint(
                (t - start.timestamp()) / HOUR,
                v,
                tooltip=f"{ctx.tr.date_time(datetime.fromtimestamp(t, UTC))}\n"
                f"{value_text(ctx, v, line.unit)}",
            )
            for t, v in zip(line.points.times, line.points.values, strict=True)
        ]
        return fch.LineChartData(
            points=points,
            color=colour,
            stroke_width=2 if dashed else 3,
            dash_pattern=[8, 5] if dashed else None,
        )

    series = [data(main, ft.Colors.BLUE_900, False)]
    if other is not None:
        series.append(data(other, ft.Colors.DEEP_ORANGE_900, True))
    ticks = [
        fch.ChartAxisLabel(
            value=hours * i / TICKS,
            label=ft.Text(time_label(ctx, period, start + WINDOWS[period] * i / TICKS), size=11),
        )
        for i in range(TICKS + 1)
    ]
    unit = main.unit or ctx._("Value")
    chart = fch.LineChart(
        data_series=series,
        min_x=0,
        max_x=hours,
        min_y=bottom,
        max_y=top,
        left_axis=fch.ChartAxis(title=ft.Text(unit), labels=value_ticks, label_size=48),
        bottom_axis=fch.ChartAxis(title=ft.Text(ctx._("Time")), labels=ticks, label_size=28),
        horizontal_grid_lines=fch.ChartGridLines(color=ft.Colors.GREY_300, width=1),
        height=260,
        expand=False,
    )
    return ft.Semantics(exclude_semantics=True, content=chart)  # its words are the summary
