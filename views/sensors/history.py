"""The history part of a sensor's page: chart and minimum, maximum and mean of the period in
words, for the stream and the one it is compared with, or why they cannot be shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import flet as ft

from services.errors import ServiceError
from services.sensors.readings import SensorReading
from services.sensors.sensorthings import ObservationSeries
from services.sensors.series_cache import PeriodView, period_view
from views.context import ScreenContext
from views.sensors.chart import Line, series_chart
from views.sensors.common import value_text
from views.widgets import error_text, live_notice


@dataclass
class Shown:
    """What the detail page of one session shows and has loaded."""

    period: str = "24h"
    compare: str | None = None  # the other stream's id, as in its route
    series: dict[str, ObservationSeries] = field(default_factory=dict)
    errors: dict[str, ServiceError] = field(default_factory=dict)
    loading: set[str] = field(default_factory=set)


def stream_title(reading: SensorReading) -> str:
    """ "Luftsensor Neumarkt – NO2 Neumarkt", or the name alone where it names the place."""
    if reading.thing_name and reading.thing_name not in reading.name:
        return f"{reading.thing_name} – {reading.name}"
    return reading.name


def summary_block(
    ctx: ScreenContext, view: PeriodView, title: str, unit: str | None, ident: str
) -> ft.Control:
    """Minimum, maximum and mean of the period in words: the chart is not the only carrier."""
    _, now = ctx._, ctx.now()
    found = view.summary
    if found is None:
        lines = [_("No values in this period.")]
    else:
        lines = [
            _("Minimum: {value} ({when})").format(
                value=value_text(ctx, found.minimum, unit), when=ctx.tr.stamp(found.minimum_at, now)
            ),
            _("Maximum: {value} ({when})").format(
                value=value_text(ctx, found.maximum, unit), when=ctx.tr.stamp(found.maximum_at, now)
            ),
            _("Mean: {value}").format(value=value_text(ctx, found.mean, unit)),
            ctx.tr.ngettext(
                "From {n} measured value.", "From {n} measured values.", found.count
            ).format(n=found.count),
        ]
    if not view.complete:
        lines.append(_("Only part of the history could be read; the values are from that part."))
    return ft.Semantics(
        identifier=ident,
        container=True,
        content=ft.Column(
            [ft.Text(title, weight=ft.FontWeight.W_600), *(ft.Text(line) for line in lines)],
            spacing=2,
        ),
    )


def history(ctx: ScreenContext, shown: Shown, key: str, retry: Any) -> ft.Control:
    """The chart and summaries of the chosen period, or why they cannot be shown."""
    _ = ctx._
    readings = ctx.services.coordinators.sensor_readings.data
    keys = [key] + ([shown.compare] if shown.compare else [])
    parts: list[ft.Control] = []
    failed = [k for k in keys if k in shown.errors]
    if failed:
        parts.append(
            live_notice(
                "history-problem",
                ft.Icons.CLOUD_OFF,
                error_text(ctx, shown.errors[failed[0]])
                + " "
                + _(
                    "The history cannot be loaded right now; the latest saved value is shown above."
                ),
                ft.Button(_("Try again"), icon=ft.Icons.REFRESH, on_click=retry),
            )
        )
    if key not in shown.series:
        if key in shown.loading:
            parts.append(ft.Text(_("Loading the history …")))
        return ft.Column(parts, spacing=8)
    now = ctx.now()
    lines: list[tuple[Line, PeriodView, str]] = []
    for k in keys:
        if k not in shown.series:
            continue
        reading = readings.find(k) if readings else None
        name = stream_title(reading) if reading else k
        unit = reading.unit if reading else None
        view = period_view(shown.series[k], now, shown.period)
        lines.append((Line(name, unit, view.points), view, name))
    main_line, main_view, main_name = lines[0]
    other = lines[1] if len(lines) > 1 else None
    if main_view.summary is not None:
        parts.append(series_chart(ctx, shown.period, now, main_line, other and other[0]))
        legend = _("Solid line: {name}").format(name=main_name)
        if other is not None:
            legend += "\n" + _("Dashed line: {name}").format(name=other[2])
        parts.append(ft.Text(legend))
    parts.append(summary_block(ctx, main_view, main_name, main_line.unit, "summary-main"))
    if other is not None:
        title = _("Compared with: {name}").format(name=other[2])
        parts.append(summary_block(ctx, other[1], title, other[0].unit, "summary-compare"))
    elif shown.compare and shown.compare in shown.loading:
        parts.append(ft.Text(_("Loading the history …")))
    return ft.Column(parts, spacing=8)
