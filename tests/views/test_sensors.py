"""The sensor screens without a browser: grouped list with values and levels in words, the
detail page's periods and comparison, and what is shown when the history cannot be loaded."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import flet as ft
import pytest

from services.hub import AppServices
from services.i18n import Translator
from services.sensors.readings import assessment, grouped, label_of
from services.sensors.thresholds import configured
from tests.views.controls import texts, walk
from views import sensors
from views.context import ScreenContext

pytestmark = pytest.mark.anyio


def context(services: AppServices, routes: list[str], locale: str = "en") -> ScreenContext:
    def run_task(work: Any, *args: Any) -> asyncio.Future[Any]:
        return asyncio.ensure_future(work(*args))

    return ScreenContext(
        SimpleNamespace(run_task=run_task),  # type: ignore[arg-type]
        services,
        Translator(locale),
        routes.append,
        lambda _locale: None,
    )


async def settle() -> None:
    for _ in range(50):
        await asyncio.sleep(0.01)


async def test_the_overview_groups_by_kind_with_values_and_levels(services: AppServices) -> None:
    await services.coordinators.sensor_readings.refresh()
    readings = services.coordinators.sensor_readings.data
    assert readings is not None and readings.entries
    routes: list[str] = []
    ctx = context(services, routes)
    screen = sensors.build(ctx)
    shown = texts(screen)
    labelled = [k for k, _members in grouped(readings) if k is not None]
    assert labelled, "the stub has sensors of known kinds"
    tiles = [c for c in walk(screen) if isinstance(c, ft.ListTile)]
    assert len(tiles) == len(readings.entries)
    joined = "\n".join(shown)
    assert "measured" in joined
    for kind in labelled:  # a heading per kind, named as the thresholds name it
        assert ctx._(label_of(kind) or "") in shown
    levels = [level for r in readings.entries if (level := assessment(r)) is not None]
    assert levels, "some values are assessed"
    for level in levels:  # the level's word, with its explanation in words
        assert f"{ctx._(level.word)}: " in joined
    first = tiles[0]
    assert first.on_click is not None
    first.on_click(None)  # type: ignore[call-arg, arg-type]
    assert routes and routes[0].startswith("/sensors/")
    ctx.leave()


async def test_the_detail_shows_periods_and_a_comparison(services: AppServices) -> None:
    await services.coordinators.sensor_readings.refresh()
    readings = services.coordinators.sensor_readings.data
    assert readings is not None
    main = next(r for r in readings.entries if r.value is not None)
    ctx = context(services, [])
    screen = sensors.build_datastream(ctx, str(main.id))
    await settle()
    box = screen.controls[-1]  # type: ignore[attr-defined]
    day = "\n".join(texts(box))
    assert "Minimum:" in day and "Maximum:" in day and "Mean:" in day
    group = next(c for c in walk(screen) if isinstance(c, ft.RadioGroup))
    group.value = "30d"
    group.on_change(SimpleNamespace(control=group))  # type: ignore[misc, arg-type]
    month = "\n".join(texts(box))
    assert "Minimum:" in month and month != day
    choice = next(c for c in walk(screen) if isinstance(c, ft.Dropdown))
    other = choice.options[1]
    choice.value = other.key
    choice.on_select(SimpleNamespace(control=choice))  # type: ignore[misc, arg-type]
    await settle()
    compared = "\n".join(texts(box))
    assert f"Compared with: {other.text}" in compared
    assert "Dashed line:" in compared
    assert services.sensor_series.fetches == 2
    ctx.leave()


async def test_offline_the_latest_saved_value_stays_and_the_problem_is_said(
    offline_services: AppServices,
) -> None:
    ctx = context(offline_services, [])
    screen = sensors.build_datastream(ctx, "1")
    await settle()
    shown = "\n".join(texts(screen))
    assert "The history cannot be loaded right now" in shown
    assert any(isinstance(c, ft.Button) for c in walk(screen))  # "Try again"
    ctx.leave()


async def test_the_levels_follow_configured_limits(services: AppServices) -> None:
    await services.coordinators.sensor_readings.refresh()
    readings = services.coordinators.sensor_readings.data
    assert readings is not None
    no2 = [r for r in readings.entries if r.kind == "no2" and r.value is not None]
    assert no2 and all(r.value is not None and 1 < r.value < 200 for r in no2)
    services.sensor_thresholds = configured({"no2": {"elevated": 0.5, "high": 1}})
    ctx = context(services, [])
    shown = "\n".join(texts(sensors.build(ctx)))
    assert shown.count("high: 1 µg/m³ or more") >= len(no2), "every NO2 value is now high"
    ctx.leave()
