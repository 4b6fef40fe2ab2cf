"""Shared data fetched on demand once for everybody: one request per key, kept for a while.

A dataset preview or a sensor's history is shared data, like the catalogue, but there are too
many of them to fetch in advance. When many people open the same one at once, one request goes
out and all of them get its answer; the answer is kept for `keep` and then fetched again, and
only the `most` recently used answers are kept, so memory stays bounded.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from services.clock import Clock

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class Kept(Generic[V]):
    """An answer and when it was fetched."""

    value: V
    fetched_at: datetime


class SharedFetches(Generic[K, V]):
    """Answers of `fetch(key)`, shared among callers: one fetch in flight per key."""

    def __init__(
        self,
        fetch: Callable[[K], Awaitable[V]],
        clock: Clock,
        *,
        keep: timedelta = timedelta(minutes=5),
        most: int = 32,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._keep = keep
        self._most = most
        self._kept: OrderedDict[K, Kept[V]] = OrderedDict()
        self._running: dict[K, asyncio.Future[Kept[V]]] = {}
        self.fetches = 0  # how many fetches went out (for tests)

    def kept(self, key: K) -> Kept[V] | None:
        """The kept answer for `key`, however old, without fetching."""
        return self._kept.get(key)

    def forget(self, key: K) -> None:
        """Fetch `key` anew next time (what was kept is known to be out of date)."""
        self._kept.pop(key, None)

    async def get(self, key: K) -> Kept[V]:
        """The kept answer if it is young enough, else a fresh one (errors are not kept)."""
        kept = self._kept.get(key)
        if kept is not None and self._clock.now() - kept.fetched_at < self._keep:
            self._kept.move_to_end(key)
            return kept
        running = self._running.get(key)
        if running is None:
            running = asyncio.ensure_future(self._run(key))
            self._running[key] = running
            running.add_done_callback(lambda done: self._finished(key, done))
        # a caller that gives up (its screen closed) does not cancel the others' fetch
        return await asyncio.shield(running)

    def _finished(self, key: K, done: asyncio.Future[Kept[V]]) -> None:
        self._running.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved: nobody may be left waiting for it

    async def _run(self, key: K) -> Kept[V]:
        self.fetches += 1
        value = await self._fetch(key)
        kept = Kept(value, self._clock.now())
        self._kept[key] = kept
        self._kept.move_to_end(key)
        while len(self._kept) > self._most:
            self._kept.popitem(last=False)
        return kept

    def __len__(self) -> int:
        return len(self._kept)
