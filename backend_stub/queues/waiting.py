"""Held requests (long polling): a client that has the current state waits for the next one.

A ticket's status and a call display accept `Prefer: wait=N` (RFC 7240) with `If-None-Match`:
the answer is held until what it shows changes or N seconds (at most `MAX_WAIT`) pass. No
thread is held per request: each waits on an asyncio event, and one ticker per stub runs the
queues forward, looks once at what the held requests of a changed queue show, and wakes only
those whose answer changed (a ticket drawn behind a thousand others wakes none of them).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from backend_stub.clock import Clock
from backend_stub.queues.simulation import OfficeQueue
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


# What a client sees of one thing (a ticket's number, or `CALLS`) in a queue: a held request is
# woken only when this changes, not at every change of its Kundenzentrum.
Fingerprint = Callable[[OfficeQueue, str], object]
CALLS = "calls"


class ChangeNotifier:
    """Wakes the requests held for one thing of a Kundenzentrum when what they show changes."""

    def __init__(
        self,
        world: QueueWorld,
        clock: Clock,
        fingerprint: Fingerprint,
        *,
        max_wait: float = MAX_WAIT,
    ) -> None:
        self._world = world
        self._clock = clock
        self._fingerprint = fingerprint
        self.max_wait = max_wait
        self._events: dict[tuple[str, str], asyncio.Event] = {}
        self._prints: dict[tuple[str, str], object] = {}  # what the held requests have seen
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
        self._prints.clear()

    def next_change(self, slug: str, what: str) -> asyncio.Event:
        """The event set when `what` of `slug` next looks different: take it before reading
        the state, so a change between reading and waiting is not missed."""
        if self._ticker is None or self._ticker.done():
            self._seen = self._world.look(self._clock.now(), revisions)
            self._ticker = asyncio.create_task(self._tick())
        key = (slug, what)
        if key not in self._events:
            self._events[key] = asyncio.Event()
            self._prints[key] = self._world.look(
                self._clock.now(), lambda queues: self._fingerprint(queues[slug], what)
            )
        return self._events[key]

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
        """Run the queues forward a few times a second while anybody waits; in the queues that
        changed, look once at what each held request shows, and wake those it changed for."""
        idle = 0
        while idle < IDLE_TICKS:
            await asyncio.sleep(TICK)
            idle = idle + 1 if self.stats.held == 0 else 0
            self._world.look(self._clock.now(), self._compare)

    def _compare(self, queues: dict[str, OfficeQueue]) -> None:
        now = revisions(queues)
        changed = {slug for slug, revision in now.items() if self._seen.get(slug) != revision}
        self._seen = now
        for key in [k for k in self._events if k[0] in changed]:
            print_now = self._fingerprint(queues[key[0]], key[1])
            if print_now != self._prints.get(key):
                self._prints.pop(key, None)
                self._events.pop(key).set()

    async def aclose(self) -> None:
        """Stop the ticker (the stub shuts down)."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker


def revisions(queues: dict[str, OfficeQueue]) -> dict[str, tuple[date, int]]:
    """Each queue's day and change count."""
    return {slug: (queue.day, queue.revision) for slug, queue in queues.items()}
