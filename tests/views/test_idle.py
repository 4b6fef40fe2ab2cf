"""Shared screens start over after a while without touch, also when one try fails."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from views.idle import IdleReset

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
