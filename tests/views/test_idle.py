"""Shared screens start over after a while without touch, also when one try fails."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import flet as ft
import pytest

from services.i18n import Translator
from views.context import ScreenContext
from views.idle import IdleReset
from views.shell import build_kiosk_view

pytestmark = pytest.mark.anyio


async def test_a_failed_reset_is_tried_again_until_the_screen_is_clean() -> None:
    ctx = SimpleNamespace(services=SimpleNamespace(kiosk=SimpleNamespace(idle_seconds=0.02)))
    shown = {"answers": True, "tries": 0}

    def reset() -> None:
        shown["tries"] += 1
        if shown["tries"] == 1:
            raise RuntimeError("the page was busy")
        shown["answers"] = False

    idle = IdleReset(ctx, dirty=lambda: bool(shown["answers"]), reset=reset)  # type: ignore[arg-type]
    watching = asyncio.ensure_future(idle.watch())
    for _ in range(200):
        if not shown["answers"]:
            break
        await asyncio.sleep(0.01)
    watching.cancel()
    assert shown == {"answers": False, "tries": 2}


async def test_a_touched_screen_is_left_alone() -> None:
    ctx = SimpleNamespace(services=SimpleNamespace(kiosk=SimpleNamespace(idle_seconds=0.2)))
    resets: list[int] = []
    idle = IdleReset(ctx, dirty=lambda: True, reset=lambda: resets.append(1))  # type: ignore[arg-type]
    watching = asyncio.ensure_future(idle.watch())
    for _ in range(10):
        idle.touch()
        await asyncio.sleep(0.03)
    assert resets == []
    watching.cancel()


async def test_scrolling_a_shared_screen_counts_as_a_touch() -> None:
    services = SimpleNamespace(kiosk=SimpleNamespace(idle_seconds=60))
    page = SimpleNamespace(run_task=lambda work: asyncio.ensure_future(work()))
    ctx = ScreenContext(page, services, Translator("de"), lambda _r: None, lambda _l: None)  # type: ignore[arg-type]
    idle = IdleReset(ctx, dirty=lambda: True, reset=lambda: None).start()
    view = build_kiosk_view("/participate/tablet/KDW7PX", ft.Text("…"), scrolled=ctx.touched)
    column = view.controls[0]
    assert isinstance(column, ft.Column) and column.on_scroll is not None
    idle.touched -= 50  # untouched for 50 s
    column.on_scroll(None)  # type: ignore[arg-type]  # somebody reads on, scrolling
    assert time.monotonic() - idle.touched < 5
    ctx.leave()  # another screen: scrolling it touches nothing of this one
    assert ctx.touched != idle.touch and ctx.holds == 0  # the watch ended with the screen
