"""Held requests (long polling): a client that has the current state waits for the next one.

A ticket's status and a call display accept `Prefer: wait=N` (RFC 7240) with `If-None-Match`:
the answer is held until that Kundenzentrum's queue changes or N seconds (at most `MAX_WAIT`)
pass. No thread is held per request: each waits on an asyncio event, and one ticker per stub
runs the queues forward and wakes the requests of the Kundenzentren that changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass
from datetime import date

from backend_stub.clock import Clock
from backend_stub.queues.world import QueueWorld

MAX_WAIT = 25  # seconds a request may be held
TICK = 0.2  # seconds between two looks at the queues while requests are held
IDLE_TICKS = 5  # the ticker stops after this many looks with nobody waiting
PREFER_WAIT = re.compile(r"(?:^|[,;\s])wait\s*=\s*(\d{1,6})(?:$|[,;\s])", re.IGNORECASE)


def requested_wait(prefer: str | None, most: float = MAX_WAIT) -> float:
    """Seconds the client is willing to wait (`Prefer: wait=25`), capped; 0 for none."""
    found = PREFER_WAIT.search(prefer or "")
    return min(float(found.group(1)), most) if found else 0.0


@dataclass
class WaitStats:
    """What the held requests did, for operators and tests."""

    held: int = 0  # requests waiting right now
    woken: int = 0  # held requests answered because their queue changed
    timed_out: int = 0  # held requests answered 304 after their time
    plain: int = 0  # answers to requests that did not wait


class ChangeNotifier:
    """Wakes the requests held for a Kundenzentrum when its queue changes."""

    def __init__(self, world: QueueWorld, clock: Clock, *, max_wait: float = MAX_WAIT) -> None:
        self._world = world
        self._clock = clock
        self.max_wait = max_wait
        self._events: dict[str, asyncio.Event] = {}
        self._seen: dict[str, tuple[date, int]] = {}
        self._ticker: asyncio.Task[None] | None = None
        self.stats = WaitStats()
        self.closing = False  # the stub stops: held requests are answered now

    def release_all(self) -> None:
        """The stub is stopping: answer every held request at once (call on the event loop)."""
        self.closing = True
        for event in self._events.values():
            event.set()
        self._events.clear()

    def next_change(self, slug: str) -> asyncio.Event:
        """The event set at `slug`'s next change: take it before reading the state, so a
        change between reading and waiting is not missed."""
        if self._ticker is None or self._ticker.done():
            self._seen = self._world.revisions(self._clock.now())
            self._ticker = asyncio.create_task(self._tick())
        return self._events.setdefault(slug, asyncio.Event())

    async def wait(self, change: asyncio.Event, timeout: float) -> bool:
        """Hold until `change` is set (True) or `timeout` seconds pass (False)."""
        self.stats.held += 1
        try:
            async with asyncio.timeout(timeout):
                await change.wait()
            return True
        except TimeoutError:
            return False
        finally:
            self.stats.held -= 1

    async def _tick(self) -> None:
        """Run the queues forward a few times a second while anybody waits; wake on change."""
        idle = 0
        while idle < IDLE_TICKS:
            await asyncio.sleep(TICK)
            idle = idle + 1 if self.stats.held == 0 else 0
            revisions = self._world.revisions(self._clock.now())
            for slug, revision in revisions.items():
                if self._seen.get(slug) != revision:
                    self._seen[slug] = revision
                    if event := self._events.pop(slug, None):
                        event.set()

    async def aclose(self) -> None:
        """Stop the ticker (the stub shuts down)."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
