"""Coordinators: cache first, one refresh at a time, last good data kept on failure."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from services.cache import ResourceCache
from services.clock import FixedClock
from services.connectivity import Connectivity
from services.coordinator import ResourceCoordinator
from services.errors import Offline, ServerError
from services.local_store import open_store

pytestmark = pytest.mark.anyio


class FakeSource:
    """Answers with the queued results, counting calls; can be held to test overlap."""

    def __init__(self, *results: object) -> None:
        self.results = list(results)
        self.calls = 0
        self.gate: asyncio.Event | None = None

    async def __call__(self) -> list[int]:
        self.calls += 1
        if self.gate:
            await self.gate.wait()
        result = self.results.pop(0)
        if isinstance(result, Exception):
            raise result
        return result  # type: ignore[return-value]


def make(
    tmp_path: Path,
    clock: FixedClock,
    source: FakeSource,
    connectivity: Connectivity | None = None,
    min_gap: float = 0.0,
) -> ResourceCoordinator[list[int]]:
    store = open_store(tmp_path, now=clock.now())
    return ResourceCoordinator(
        "numbers",
        source="numbers-source",
        fetch=source,
        adapter=TypeAdapter(list[int]),
        cache=ResourceCache(store),
        clock=clock,
        max_age=timedelta(minutes=20),
        connectivity=connectivity,
        min_gap=min_gap,
    )


async def test_refresh_stores_data_and_its_time(tmp_path: Path, clock: FixedClock) -> None:
    coordinator = make(tmp_path, clock, FakeSource([1, 2]))
    state = await coordinator.refresh()
    assert state.data == [1, 2]
    assert state.fetched_at == clock.now()
    assert not state.is_stale(clock.now())


async def test_failure_keeps_last_good_data_and_marks_it_stale(
    tmp_path: Path, clock: FixedClock
) -> None:
    connectivity = Connectivity()
    coordinator = make(tmp_path, clock, FakeSource([1], Offline("down")), connectivity)
    await coordinator.refresh()
    clock.advance(timedelta(minutes=5))
    state = await coordinator.refresh()
    assert state.data == [1]
    assert isinstance(state.last_error, Offline)
    assert state.is_stale(clock.now())
    assert state.age(clock.now()) == timedelta(minutes=5)
    assert connectivity.offline


async def test_success_after_failure_clears_the_error(tmp_path: Path, clock: FixedClock) -> None:
    coordinator = make(tmp_path, clock, FakeSource(ServerError("500"), [3]))
    assert isinstance((await coordinator.refresh()).last_error, ServerError)
    state = await coordinator.refresh()
    assert state.data == [3] and state.last_error is None


async def test_data_older_than_max_age_is_stale(tmp_path: Path, clock: FixedClock) -> None:
    coordinator = make(tmp_path, clock, FakeSource([1]))
    await coordinator.refresh()
    clock.advance(timedelta(minutes=21))
    assert coordinator.state.is_stale(clock.now())


async def test_a_new_coordinator_starts_from_the_cache(tmp_path: Path, clock: FixedClock) -> None:
    await make(tmp_path, clock, FakeSource([7, 8])).refresh()
    later = make(tmp_path, clock, FakeSource())  # would fail if it fetched
    assert later.state.data == [7, 8]
    assert later.state.fetched_at == clock.now()


async def test_never_two_refreshes_at_once(tmp_path: Path, clock: FixedClock) -> None:
    source = FakeSource([1])
    source.gate = asyncio.Event()
    coordinator = make(tmp_path, clock, source)
    first = asyncio.create_task(coordinator.refresh())
    second = asyncio.create_task(coordinator.refresh())
    coordinator.request_refresh()
    await asyncio.sleep(0)
    assert coordinator.refreshing
    source.gate.set()
    results = await asyncio.gather(first, second)
    assert source.calls == 1
    assert [r.data for r in results] == [[1], [1]]


async def test_listeners_hear_of_changes_and_can_leave(tmp_path: Path, clock: FixedClock) -> None:
    coordinator = make(tmp_path, clock, FakeSource([1], [2]))
    heard: list[object] = []
    leave = coordinator.subscribe(lambda: heard.append(coordinator.state.data))
    await coordinator.refresh()
    assert heard[-1] == [1]
    leave()
    count = len(heard)
    await coordinator.refresh()
    assert len(heard) == count


async def test_an_unreadable_cached_payload_is_dropped(tmp_path: Path, clock: FixedClock) -> None:
    store = open_store(tmp_path, now=clock.now())
    ResourceCache(store).put("numbers", '{"not": "a list"}', clock.now())
    coordinator = make(tmp_path, clock, FakeSource())
    assert coordinator.state.data is None
    assert ResourceCache(store).get("numbers") is None


async def test_screens_opened_together_share_one_fetch_but_refresh_asks_anew(
    tmp_path: Path, clock: FixedClock
) -> None:
    source = FakeSource([1], [2])
    coordinator = make(tmp_path, clock, source, min_gap=60.0)  # as wired, with a longer gap
    coordinator.request_refresh()
    await asyncio.sleep(0.01)
    coordinator.request_refresh()  # a second person opens the screen a moment later
    await asyncio.sleep(0.01)
    assert source.calls == 1
    coordinator.request_refresh(force=True)  # somebody presses "refresh"
    await asyncio.sleep(0.01)
    assert source.calls == 2 and coordinator.state.data == [2]
