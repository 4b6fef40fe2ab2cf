"""Readings of the city's LoRaWAN sensors (SensorThings)."""

from __future__ import annotations

import flet as ft

from services.checked import Checked
from services.sensors.sensorthings import Datastream
from views.context import ScreenContext
from views.widgets import heading, info_tile, resource_screen


def build(ctx: ScreenContext) -> ft.Control:
    """All datastreams with their sensor and unit."""
    _ = ctx._

    def rows(data: Checked[Datastream]) -> list[ft.Control]:
        return [
            info_tile(
                s.name,
                " · ".join(p for p in (s.thing_name, s.unit.name) if p),
                icon=ft.Icons.SENSORS,
                on_click=lambda _e, sid=s.id: ctx.navigate(f"/sensors/{sid}"),
            )
            for s in data.entries
        ]

    return resource_screen(
        ctx,
        _("Sensors"),
        _("Measurements of the city's sensor network."),
        ctx.services.coordinators.datastreams,
        rows,
        _("No sensor reports right now."),
    )


def build_datastream(ctx: ScreenContext, datastream: str) -> ft.Control:
    """One datastream, as far as the saved list knows it."""
    _ = ctx._
    data = ctx.services.coordinators.datastreams.state.data
    stream = next((s for s in data.entries if str(s.id) == datastream), None) if data else None
    if stream is None:
        return ft.Column(
            [heading(_("Sensor")), ft.Text(_("This sensor is not in the saved list."))]
        )
    return ft.Column(
        [
            heading(stream.name),
            ft.Text(stream.description or ""),
            ft.Text(_("Unit: {unit}").format(unit=stream.unit.name or "–")),
        ],
        spacing=12,
    )
