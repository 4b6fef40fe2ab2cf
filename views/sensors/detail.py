"""`/sensors/<datastream>`: latest value and its level, the chart of 24 h / 7 d / 30 d with
minimum, maximum and mean in words, and a second stream to compare."""

from __future__ import annotations

from typing import Any

import flet as ft

from services.coordinator import ResourceState
from services.errors import ServiceError
from services.sensors.readings import SensorReadings, compare_candidates, datastream_id
from views.context import ScreenContext, refresh_control
from views.sensors.common import assessed, explanation, kind_label, level_icon, measured_text
from views.sensors.history import Shown, history, stream_title
from views.widgets import freshness_notice, heading, live_section, radio_group

NO_COMPARISON = "-"


def latest(ctx: ScreenContext, state: ResourceState[SensorReadings], key: str) -> ft.Control:
    """The stream's name, place and latest saved value with its level explained."""
    _ = ctx._
    reading = state.data.find(key) if state.data else None
    if reading is None:
        return ft.Column(
            [
                freshness_notice(ctx, state),
                heading(_("Sensor")),
                ft.Text(_("This sensor is not in the saved overview (yet).")),
            ]
        )
    rows: list[ft.Control] = [
        freshness_notice(ctx, state),
        heading(reading.name),
        ft.Semantics(
            identifier="sensor-place",
            container=True,
            content=ft.Text(_("Place: {place}").format(place=reading.place)),
        ),
        ft.Text(_("Measures: {kind}").format(kind=kind_label(ctx, reading.kind))),
        ft.Text(measured_text(ctx, reading), size=18, weight=ft.FontWeight.W_600),
    ]
    level = assessed(ctx, reading)
    if level is not None:
        words = _("{level}: {explanation}").format(
            level=_(level.word), explanation=explanation(ctx, level)
        )
        rows.append(
            ft.Semantics(
                identifier="sensor-level",
                container=True,
                content=ft.Row([level_icon(level), ft.Text(words, expand=True)]),
            )
        )
    return ft.Column(rows, spacing=6)


def compare_options(ctx: ScreenContext, key: str) -> list[ft.DropdownOption]:
    """ "No comparison", then the other streams, those measuring the same first."""
    readings = ctx.services.coordinators.sensor_readings.data
    others = compare_candidates(readings, key) if readings else []
    options = [ft.DropdownOption(key=NO_COMPARISON, text=ctx._("No comparison"))]
    options.extend(ft.DropdownOption(key=str(r.id), text=stream_title(r)) for r in others)
    return options


def compare_choice(ctx: ScreenContext, key: str, on_choose: Any) -> ft.Dropdown:
    """A list to choose the stream drawn beside this one."""
    return ft.Dropdown(
        label=ctx._("Compare with"),
        options=compare_options(ctx, key),
        value=NO_COMPARISON,
        on_select=on_choose,
        enable_search=False,
        menu_height=400,
    )


def build_datastream(ctx: ScreenContext, datastream: str) -> ft.Control:
    """One datastream in detail; its history is shared with everybody looking at it."""
    _ = ctx._
    services = ctx.services
    coordinator = services.coordinators.sensor_readings
    shown = Shown()
    kept = services.sensor_series.kept(datastream_id(coordinator.data, datastream))
    if kept is not None:  # shown at once, however old, while a fresh one is asked for
        shown.series[datastream] = kept.value
    box = ft.Container()

    def redraw() -> None:
        box.content = history(ctx, shown, datastream, retry)
        refresh_control(box)

    async def load(key: str) -> None:
        shown.loading.add(key)
        redraw()
        try:
            kept = await services.sensor_series.get(datastream_id(coordinator.data, key))
        except ServiceError as error:
            shown.errors[key] = error
        else:
            shown.series[key] = kept.value
            shown.errors.pop(key, None)
        finally:
            shown.loading.discard(key)
        redraw()

    def retry(_e: Any = None) -> None:
        for key in [datastream] + ([shown.compare] if shown.compare else []):
            ctx.run_task(load, key)

    def choose_period(period: str) -> None:
        shown.period = period
        redraw()

    def choose_other(e: Any) -> None:
        value = e.control.value
        shown.compare = None if not value or value == NO_COMPARISON else str(value)
        if shown.compare is not None and shown.compare not in shown.series:
            ctx.run_task(load, shown.compare)
        redraw()

    box.content = history(ctx, shown, datastream, retry)

    def named() -> list[tuple[str, str | None] | None]:
        readings = coordinator.data
        keys = [datastream] + ([shown.compare] if shown.compare else [])
        found = [readings.find(k) if readings else None for k in keys]
        return [(stream_title(r), r.unit) if r else None for r in found]

    seen = named()

    def overview_changed() -> None:
        # names and units come with the overview; redraw only when they did (not at every tick,
        # which would swap the controls under a finger)
        nonlocal seen
        if named() != seen:
            seen = named()
            redraw()
        options = compare_options(ctx, datastream)
        if [o.key for o in options] != [o.key for o in choice.options]:
            choice.options = options
            refresh_control(choice)

    choice = compare_choice(ctx, datastream, choose_other)
    ctx.on_leave(coordinator.subscribe(overview_changed))
    ctx.run_task(load, datastream)
    periods = [("24h", _("24 hours")), ("7d", _("7 days")), ("30d", _("30 days"))]
    return ft.Column(
        [
            live_section(ctx, coordinator, lambda state: latest(ctx, state, datastream)),
            heading(_("History"), level=2),
            radio_group(
                _("Period"), periods, shown.period, choose_period, scale=ctx.text_scale, across=True
            ),
            # named as a whole, or the menu's button has no name in the browser
            ft.Semantics(label=_("Compare with"), content=choice),
            box,
        ],
        spacing=12,
    )
