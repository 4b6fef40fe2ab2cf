"""A live region speaks when what it says of the values changed, not when their age ticks."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import flet as ft
import pytest

from services.clock import FixedClock
from services.coordinator import ResourceState
from services.freshness import Freshness
from services.hub import AppServices
from tests.views.controls import reading_context
from views.widgets import freshness_notice

pytestmark = pytest.mark.anyio


async def test_the_freshness_line_speaks_once_per_change_of_the_values(
    services: AppServices,
) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    ctx = reading_context(services)
    now = clock.now()
    state: ResourceState[object] = ResourceState(
        data=object(),
        fetched_at=now,
        last_error=None,
        refreshing=False,
        max_age=timedelta(minutes=5),
        freshness=Freshness(total=9, oldest=now, newest=now),
    )

    def spoken() -> bool:
        notice = freshness_notice(ctx, state)
        assert isinstance(notice, ft.Semantics)
        return bool(notice.live_region)

    assert spoken()  # the first time it is shown
    clock.advance(timedelta(minutes=1))
    assert not spoken()  # "1 minute ago": only the age moved on
    state = dataclasses.replace(
        state, freshness=Freshness(total=9, stale=1, oldest=now, newest=now)
    )
    assert spoken()  # one value is no longer current: worth saying
    assert not spoken()
