"""A tiny ASGI server that serves the city's waiting-time feed in each way it can go wrong.

The test sets `mode`; the next request gets that answer. "refused" is played by the
`CuttableProxy` in front of it (nothing answers at all).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from datetime import datetime, timedelta
from typing import Any

import uvicorn

from app.embedded_backend import free_port
from services.clock import CITY_TZ, StartedClock
from tests.conftest import KUNDENZENTREN

OFFICES = KUNDENZENTREN
MODES = [
    "good",
    "refused",
    "slow",
    "http500",
    "malformed",
    "html",
    "not_list",
    "mixed",
    "empty",
    "frozen",
]
SLOW_SECONDS = 12  # longer than the app waits (10 s)

# In "mixed", these entries are broken, each its own way; the others stay good.
BROKEN: dict[str, Any] = {
    "Kalk": {"status": "7"},  # unknown status
    "Nippes": {"status": None},
    "Lindenthal": {"status": ...},  # absent
    "Chorweiler": {"wartezeit_minuten": "viel"},
    "Mülheim": {"timestamp": ...},
    "Rodenkirchen": {"title_anz": {"x": 1}, "wartezeit_minuten": "100"},  # no readable name
    "Porz": "not an object",
}
NAMELESS = {"Rodenkirchen", "Porz"}


def minutes_of(office: str) -> int:
    """A fixed, different wait per office (so a mix-up would show)."""
    return 5 + 3 * OFFICES.index(office)


class FaultFeed:
    """The feed as an ASGI app; `mode` picks the answer."""

    def __init__(self, clock: StartedClock) -> None:
        self.clock = clock
        self.mode = "good"
        self.requests = 0

    def item(self, office: str, measured: datetime) -> Any:
        entry: dict[str, Any] = {
            "title_anz": f"Kundenzentrum {office}",
            "timestamp": measured.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M:%S"),
            "link": f"https://www.stadt-koeln.de/service/adressen/{office.lower()}",
            "status": "1",
            "sondertext": "",
            "wartezeit_minuten": str(minutes_of(office)),
        }
        if self.mode == "mixed" and office in BROKEN:
            broken = BROKEN[office]
            if not isinstance(broken, dict):
                return broken
            entry.update(broken)
        return {k: v for k, v in entry.items() if v is not ...}

    def answer(self) -> tuple[int, bytes, bytes]:
        now = self.clock.now().replace(second=0, microsecond=0)
        if self.mode == "http500":
            return 500, b"Internal Server Error", b"text/plain"
        if self.mode == "malformed":
            return 200, b'{"success": true, "items": [{"title_anz": ', b"application/json"
        if self.mode == "html":
            return 200, b"<html><body>Wartungsarbeiten</body></html>", b"text/html"
        if self.mode == "not_list":
            body: dict[str, Any] = {"success": True, "items": {"Kalk": "12"}}
        elif self.mode == "empty":
            body = {"success": True, "items": []}
        else:
            measured = now - timedelta(days=3) if self.mode == "frozen" else now
            body = {"success": True, "items": [self.item(o, measured) for o in OFFICES]}
        return 200, json.dumps(body).encode(), b"application/json"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        self.requests += 1
        if self.mode == "slow":
            await asyncio.sleep(SLOW_SECONDS)
        status, body, kind = self.answer()
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", kind)]}
        )
        await send({"type": "http.response.body", "body": body})


class FeedServer:
    """`FaultFeed` served by uvicorn in a thread on 127.0.0.1."""

    def __init__(self, feed: FaultFeed) -> None:
        self.feed = feed
        self.port = free_port()
        config = uvicorn.Config(
            feed,
            host="127.0.0.1",
            port=self.port,
            lifespan="off",
            log_level="warning",
            timeout_keep_alive=120,  # the app's next poll must not race a closing connection
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise AssertionError("the fault feed did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
