"""`/sensors`: every sensor's latest value, grouped by what it measures, and a map of them."""

from __future__ import annotations

import flet as ft

from services.sensors.readings import SensorReading, SensorReadings, grouped, with_places
from views.context import ScreenContext
from views.sensors.common import assessed, explanation, kind_label, level_icon, measured_text
from views.widgets import MIN_TOUCH, heading, resource_screen


def reading_tile(ctx: ScreenContext, reading: SensorReading) -> ft.Control:
    """One sensor as a large row: place, value, age and its level in words; opens the detail."""
    lines = [measured_text(ctx, reading)]
    level = assessed(ctx, reading)
    if level is not None:
        lines.append(
            ctx._("{level}: {explanation}").format(
                level=ctx._(level.word), explanation=explanation(ctx, level)
            )
        )
    return ft.ListTile(
        leading=level_icon(level),
        title=ft.Text(reading.place, weight=ft.FontWeight.W_600),
        subtitle=ft.Text("\n".join(lines)),
        on_click=lambda _e, sid=reading.id: ctx.navigate(f"/sensors/{sid}"),
        min_height=MIN_TOUCH + 8,
    )


def sensor_map(ctx: ScreenContext, readings: list[SensorReading]) -> ft.Control | None:
    """A pin per place with a sensor; with no tile server configured the pins stand alone."""
    places = {(r.lat, r.lon): r.place for r in with_places(readings)}
    if not places:
        return None
    import flet_map as fmap  # loaded with the first map, not at start-up

    lats = [lat for lat, _lon in places if lat is not None]
    lons = [lon for _lat, lon in places if lon is not None]
    centre = fmap.MapLatitudeLongitude(sum(lats) / len(lats), sum(lons) / len(lons))
    layers: list[fmap.MapLayer] = []
    if ctx.services.map_tiles:
        layers.append(fmap.TileLayer(url_template=ctx.services.map_tiles))
    markers = [
        fmap.Marker(
            content=ft.Icon(ft.Icons.LOCATION_ON, color=ft.Colors.RED_800, size=28, tooltip=name),
            coordinates=fmap.MapLatitudeLongitude(lat, lon),
            width=28,
            height=28,
        )
        for (lat, lon), name in places.items()
        if lat is not None and lon is not None
    ]
    layers.append(fmap.MarkerLayer(markers=markers))
    # drawn on a canvas: the list above says everything the map shows
    return ft.Semantics(
        exclude_semantics=True,
        content=ft.Container(
            content=fmap.Map(
                layers=layers,
                initial_center=centre,
                initial_zoom=11,
                # every pin in view, with room for the pins' heads at the edges
                initial_camera_fit=fmap.CameraFit(
                    bounds=fmap.MapLatitudeLongitudeBounds(
                        fmap.MapLatitudeLongitude(min(lats), min(lons)),
                        fmap.MapLatitudeLongitude(max(lats), max(lons)),
                    ),
                    padding=ft.Padding.all(32),
                    max_zoom=15,
                ),
            ),
            height=240,
            border_radius=12,
        ),
    )


def rows(ctx: ScreenContext, readings: SensorReadings) -> list[ft.Control]:
    """A heading per kind with its sensors, then the map."""
    shown: list[ft.Control] = []
    for kind, members in grouped(readings):
        shown.append(heading(kind_label(ctx, kind), level=2))
        shown.extend(reading_tile(ctx, r) for r in members)
    where = sensor_map(ctx, readings.entries)
    if where is not None:
        shown.append(heading(ctx._("Where the sensors are"), level=2))
        shown.append(where)
    return shown


def build(ctx: ScreenContext) -> ft.Control:
    """All sensors with their latest value, from the saved overview at once."""
    _ = ctx._
    return resource_screen(
        ctx,
        _("Sensors"),
        _("Measurements of the city's sensor network."),
        ctx.services.coordinators.sensor_readings,
        lambda data: rows(ctx, data),
        _("No sensor reports right now."),
    )
