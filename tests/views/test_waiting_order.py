"""The waiting list does not jump under a finger: new values are shown in place, a change of
order is said once, and the list re-sorts when the person asks."""

from __future__ import annotations

from typing import Any

import flet as ft
import pytest

from services.hub import AppServices
from services.waiting_times.feed import OPEN, WaitingTime, WaitingTimes
from tests.views.controls import reading_context, texts, walk
from views.waiting_times import overview

pytestmark = pytest.mark.anyio


def feed(services: AppServices, waits: dict[str, int]) -> WaitingTimes:
    now = services.clock.now()
    return WaitingTimes(
        offices=[
            WaitingTime(
                key=key,
                office=f"Kundenzentrum {key.title()}",
                measured_at=now,
                wait_minutes=minutes,
                state=OPEN,
            )
            for key, minutes in waits.items()
        ]
    )


def order(screen: ft.Control) -> list[str]:
    return [
        str(c.identifier).removeprefix("office-")
        for c in walk(screen)
        if isinstance(c, ft.Semantics) and str(c.identifier or "").startswith("office-")
    ]


def sort_again(screen: ft.Control) -> ft.TextButton:
    return next(
        c for c in walk(screen) if isinstance(c, ft.TextButton) and c.content == "Sort again"
    )


def notice(screen: ft.Control) -> ft.Semantics | None:
    found = [c for c in walk(screen) if isinstance(c, ft.Semantics) and c.identifier == "resort"]
    return found[0] if found else None


async def test_new_values_keep_the_order_until_the_person_sorts_again(
    offline_services: AppServices,
) -> None:
    waiting = offline_services.coordinators.waiting_times
    waiting.accept(feed(offline_services, {"kalk": 10, "porz": 20, "nippes": 30}))
    ctx = reading_context(offline_services)
    screen = overview.build(ctx)
    assert order(screen) == ["kalk", "porz", "nippes"]
    line = notice(screen)  # always there: its appearing would move the list
    assert line is not None and "In order of the latest values." in texts(line)
    assert not line.live_region
    assert sort_again(screen).disabled

    waiting.accept(feed(offline_services, {"kalk": 40, "porz": 20, "nippes": 5}))
    assert order(screen) == ["kalk", "porz", "nippes"]  # where the finger was
    assert any("40 minutes" in t for t in texts(screen))  # with the new values
    said = notice(screen)
    assert said is not None and said.live_region  # announced
    assert "The order has changed with the new values." in texts(said)

    waiting.accept(feed(offline_services, {"kalk": 41, "porz": 20, "nippes": 5}))
    said = notice(screen)
    assert said is not None and not said.live_region  # said once, not on every refresh

    again = sort_again(screen)
    assert not again.disabled
    handler: Any = again.on_click
    handler(None)
    assert order(screen) == ["nippes", "porz", "kalk"]
    line = notice(screen)
    assert line is not None and "In order of the latest values." in texts(line)
    assert sort_again(screen).disabled
