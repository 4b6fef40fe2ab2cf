"""Words, numbers and icons for sensor values, shared by the overview and the detail page."""

from __future__ import annotations

from datetime import timedelta

import flet as ft

from services.sensors.readings import SensorReading, assessment, label_of, rounded
from services.sensors.thresholds import Assessment, Level
from views.context import ScreenContext

JUST_NOW = timedelta(minutes=1)  # "in 0 seconds" and the like are said as "just now"
# the level is told by the icon's shape and by a word; the colour only repeats it
LEVEL_ICONS: dict[Level, ft.IconData] = {
    "good": ft.Icons.CHECK_CIRCLE,
    "elevated": ft.Icons.WARNING_AMBER,
    "high": ft.Icons.ERROR,
}
LEVEL_COLOURS: dict[Level, str] = {
    "good": ft.Colors.GREEN_800,
    "elevated": ft.Colors.ORANGE_900,
    "high": ft.Colors.RED_800,
}


def number(ctx: ScreenContext, value: float) -> str:
    """A measured value in the person's language, with as many decimals as make sense."""
    return ctx.tr.number(rounded(value))


def value_text(ctx: ScreenContext, value: float, unit: str | None) -> str:
    """A value with its unit, e.g. "23,4 µg/m³"."""
    shown = number(ctx, value)
    return f"{shown} {unit}" if unit else shown


def kind_label(ctx: ScreenContext, kind: str | None) -> str:
    """The heading of a kind, e.g. "Stickstoffdioxid (NO2)"; "Other sensors" for the rest."""
    label = label_of(kind, ctx.services.sensor_thresholds)
    return ctx._(label) if label else ctx._("Other sensors")


def measured_text(ctx: ScreenContext, reading: SensorReading) -> str:
    """The latest value, when it was measured, and whether it is current."""
    _ = ctx._
    if reading.value is None:
        return _("No value yet.")
    value = value_text(ctx, reading.value, reading.unit)
    if reading.measured_at is None:
        return _("{value}, time of measurement unknown").format(value=value)
    since = ctx.now() - reading.measured_at
    if timedelta(0) <= since < JUST_NOW and not reading.kept:
        return _("{value}, measured just now").format(value=value)
    age = ctx.tr.age(since)
    if reading.kept:
        text = _("{value}, last known value, measured {age}")
    elif not reading.is_current(ctx.now()):
        text = _("{value}, not current: measured {age}")
    else:
        text = _("{value}, measured {age}")
    return text.format(value=value, age=age)


def explanation(ctx: ScreenContext, assessed: Assessment) -> str:
    """What the level means, with the limits in the person's number format."""
    return assessed.text(ctx._, lambda limit: number(ctx, limit))


def level_icon(assessed: Assessment | None, *, size: int = 28) -> ft.Control:
    """The level's icon (a check, a triangle or an exclamation mark); its word is said beside it,
    so the icon itself is not read again."""
    if assessed is None:
        return ft.Icon(ft.Icons.SENSORS, size=size)
    return ft.Icon(LEVEL_ICONS[assessed.level], color=LEVEL_COLOURS[assessed.level], size=size)


def assessed(ctx: ScreenContext, reading: SensorReading) -> Assessment | None:
    """The reading's level against the (configured) limits of its kind, if it has any."""
    return assessment(reading, ctx.services.sensor_thresholds)
