"""The hall's call display: one poller per Kundenzentrum, however many screens show it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from services.cache import ResourceCache
from services.clock import FixedClock
from services.connectivity import Connectivity
from services.local_store import open_store
from services.waiting_times.calls import CallDisplays
from services.waiting_times.queue import QueueClient

BODY = {"location": "kalk", "isOpen": True, "calls": [{"displayNumber": "A001", "counter": 2}]}


@pytest.mark.anyio
async def test_two_screens_share_one_poller_and_it_stops_with_the_last(
    tmp_path: Path, clock: FixedClock
) -> None:
    asked: list[str | None] = []
    prefer: list[str | None] = []

    def server(request: httpx.Request) -> httpx.Response:  # a server that does not wait
        prefer.append(request.headers.get("Prefer"))
        asked.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, content=json.dumps(BODY), headers={"ETag": '"v1"'})

    client = QueueClient("http://queue.test/queue/v1", transport=httpx.MockTransport(server))
    cache = ResourceCache(open_store(tmp_path, now=clock.now()))
    displays = CallDisplays(client, cache, clock, Connectivity())
    seen: list[str] = []
    hall = displays.watch("kalk", lambda: seen.append("hall"))
    phone = displays.watch("kalk", lambda: seen.append("phone"))
    await asyncio.sleep(0.05)
    assert displays.polling() == 1 and len(asked) == 1  # one request for both screens
    assert prefer == ["wait=25"]  # it was asked to wait
    assert displays._waits["kalk"].held is False  # and did not: the app asks every 5 s
    state = displays.of("kalk").state
    assert state.data is not None and state.data.calls[0].display_number == "A001"
    assert "hall" in seen and "phone" in seen

    await displays.of("kalk").refresh()
    assert asked[-1] == '"v1"'  # asked conditionally: the unchanged display costs a 304

    hall()
    assert displays.polling() == 1
    phone()
    assert displays.polling() == 0 and displays.watchers() == 0
    await client.aclose()
