"""`/waiting/office/<office>`: address, hours, current wait, today's chart and a map."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from services.city_names import city_name
from services.waiting_times.feed import WaitingTime
from services.waiting_times.queue import Location
from views.context import ScreenContext, refresh_control
from views.waiting_times.common import (
    WEEKDAY_NAMES,
    WEEKDAYS,
    describe,
    hours_text,
    known_locations,
    wait_words,
)
from views.widgets import heading, refresh_button


def hours_table(ctx: ScreenContext, hours: dict[str, str]) -> ft.Control:
    """One line per weekday that has hours."""
    return ft.Column(
        [
            ft.Text(f"{ctx._(WEEKDAY_NAMES[day])}: {hours_text(hours[day])}")
            for day in WEEKDAYS
            if day in hours
        ],
        spacing=2,
    )


def today_chart(ctx: ScreenContext, samples: list[tuple[datetime, int]]) -> ft.Control:
    """Today's waiting times as this app recorded them, as a line and in words."""
    import flet_charts as fch  # loaded with the first chart, not at start-up

    _ = ctx._
    if not samples:
        return ft.Text(_("No waiting time recorded today yet, so there is no chart."))
    if len(samples) < 2:  # one point is no line: say it instead of drawing one
        at, minutes = samples[0]
        return ft.Text(
            _("Only one value recorded today so far ({time}: {wait}); the chart needs two.").format(
                time=ctx.tr.time(at), wait=wait_words(ctx, minutes)
            )
        )
    first = samples[0][0]
    points = [
        fch.LineChartDataPoint(
            (at - first).total_seconds() / 60,
            minutes,
            tooltip=f"{ctx.tr.time(at)}: {minutes} min",
        )
        for at, minutes in samples
    ]
    highest = max(m for _t, m in samples)
    summary = _("Today from {start} to {end}: between {low} and {high} minutes.").format(
        start=ctx.tr.time(samples[0][0]),
        end=ctx.tr.time(samples[-1][0]),
        low=min(m for _t, m in samples),
        high=highest,
    )
    chart = fch.LineChart(
        data_series=[fch.LineChartData(points=points, color=ft.Colors.RED_800, stroke_width=3)],
        min_y=0,
        max_y=max(10, highest + 5),
        left_axis=fch.ChartAxis(title=ft.Text(_("Minutes")), label_size=40),
        bottom_axis=fch.ChartAxis(show_labels=False),
        height=220,
        expand=False,
    )
    # the chart is drawn on a canvas: its words are the summary that screen readers get
    return ft.Column([ft.Semantics(exclude_semantics=True, content=chart), ft.Text(summary)])


def location_map(ctx: ScreenContext, location: Location) -> ft.Control:
    """A map with the Kundenzentrum's pin; without a tile server the pin and address still help."""
    import flet_map as fmap  # loaded with the first map, not at start-up

    if location.geo is None:
        return ft.Container()
    here = fmap.MapLatitudeLongitude(location.geo.lat, location.geo.lon)
    layers: list[fmap.MapLayer] = []
    if ctx.services.map_tiles:
        layers.append(fmap.TileLayer(url_template=ctx.services.map_tiles))
    layers.append(
        fmap.MarkerLayer(
            markers=[
                fmap.Marker(
                    content=ft.Icon(ft.Icons.LOCATION_ON, color=ft.Colors.RED_800, size=36),
                    coordinates=here,
                    width=36,
                    height=36,
                )
            ]
        )
    )
    return ft.Column(
        [
            ft.Semantics(
                exclude_semantics=True,
                content=ft.Container(
                    content=fmap.Map(layers=layers, initial_center=here, initial_zoom=15),
                    height=240,
                    border_radius=12,
                ),
            ),
            ft.Text(
                ctx._("Location: {lat}, {lon}").format(
                    lat=f"{location.geo.lat:.4f}", lon=f"{location.geo.lon:.4f}"
                )
            ),
        ]
    )


def details(ctx: ScreenContext, office: str) -> ft.Control:
    """What is known now of one Kundenzentrum."""
    _ = ctx._
    location = next((loc for loc in known_locations(ctx) if loc.id == office), None)
    if location is None:
        return ft.Column(
            [heading(_("Kundenzentrum")), ft.Text(_("This Kundenzentrum is not known (yet)."))]
        )
    waiting = ctx.services.coordinators.waiting_times.state.data
    entry: WaitingTime | None = waiting.get(location.id) if waiting else None
    address = location.address
    lines = [f"{address.street}, {address.postal_code} {address.city}"]
    if address.sample:
        lines.append(_("(sample address)"))
    samples = ctx.services.history.today(location.id, ctx.now())
    # the refresh button is also where the keyboard enters the page, so it scrolls by keys
    refresh = refresh_button(ctx, ctx.services.coordinators.waiting_times)
    return ft.Column(
        [
            ft.Row([heading(city_name(ctx.tr, location.name)), refresh], wrap=True),
            ft.Text(describe(ctx, entry) if entry else _("No current waiting time.")),
            ft.Text(" ".join(lines)),
            heading(_("Opening hours"), level=2),
            hours_table(ctx, location.opening_hours),
            heading(_("Walk-in hours (without appointment)"), level=2),
            hours_table(ctx, location.walk_in_hours)
            if location.walk_in_hours
            else ft.Text(_("No walk-in hours.")),
            heading(_("Waiting times today"), level=2),
            today_chart(ctx, samples),
            heading(_("Map"), level=2),
            location_map(ctx, location),
        ],
        spacing=10,
    )


def build(ctx: ScreenContext, office: str) -> ft.Control:
    """One Kundenzentrum in detail, drawn anew when its data arrives or changes."""
    box = ft.Container(content=details(ctx, office))

    def redraw() -> None:
        box.content = details(ctx, office)
        refresh_control(box)

    for coordinator in (
        ctx.services.coordinators.locations,
        ctx.services.coordinators.waiting_times,
    ):
        ctx.on_leave(coordinator.subscribe(redraw))
        coordinator.request_refresh()
    return box
