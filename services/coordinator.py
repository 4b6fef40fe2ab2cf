"""One coordinator per remote resource: cache first, background refresh, last good data kept."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from services.cache import ResourceCache
from services.clock import Clock
from services.connectivity import Connectivity
from services.errors import BadData, ServiceError
from services.freshness import Freshness, KnowsFreshness
from services.listeners import Listeners

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class ResourceState(Generic[T]):
    """What a screen needs to show a resource honestly."""

    data: T | None
    fetched_at: datetime | None
    last_error: ServiceError | None
    refreshing: bool
    max_age: timedelta
    # how current the values are by their own timestamps (None: no data yet)
    freshness: Freshness | None = None

    def age(self, now: datetime) -> timedelta | None:
        """How long ago the shown data was fetched."""
        return None if self.fetched_at is None else now - self.fetched_at

    def is_stale(self, now: datetime) -> bool:
        """True when the data is missing, was fetched too long ago, or the last refresh failed."""
        age = self.age(now)
        return age is None or age > self.max_age or self.last_error is not None

    def is_current(self, now: datetime) -> bool:
        """Only then may a screen say "current": fetched lately, and every value current."""
        return not self.is_stale(now) and (self.freshness is None or self.freshness.all_current)


class ResourceCoordinator(Generic[T]):
    """Owns one resource's data: loads it from the cache, refreshes it, tells listeners."""

    def __init__(
        self,
        key: str,
        *,
        source: str,
        fetch: Callable[[], Awaitable[T]],
        adapter: TypeAdapter[T],
        cache: ResourceCache,
        clock: Clock,
        max_age: timedelta,
        connectivity: Connectivity | None = None,
        min_gap: float = 0.0,
    ) -> None:
        self.key = key
        self.source = source
        self._fetch = fetch
        self._adapter = adapter
        self._cache = cache
        self._clock = clock
        self.max_age = max_age
        self._connectivity = connectivity
        self._data: T | None = None
        self._fetched_at: datetime | None = None
        self._last_error: ServiceError | None = None
        self._loaded = False
        self._task: asyncio.Task[None] | None = None
        # a screen opened by many people at once asks the source once, not once each
        self._min_gap = min_gap
        self._last_attempt = -min_gap
        self._poller: asyncio.Task[None] | None = None
        self._watchers = 0
        self.listeners = Listeners()

    @property
    def state(self) -> ResourceState[T]:
        """A snapshot of the data and its freshness; reads the cache on first use."""
        self._load_cached()
        data = self._data
        return ResourceState(
            data=data,
            fetched_at=self._fetched_at,
            last_error=self._last_error,
            refreshing=self.refreshing,
            max_age=self.max_age,
            freshness=(
                data.freshness(self._clock.now()) if isinstance(data, KnowsFreshness) else None
            ),
        )

    @property
    def data(self) -> T | None:
        """The last good data (from the cache until the first refresh)."""
        self._load_cached()
        return self._data

    @property
    def refreshing(self) -> bool:
        """Whether a refresh is under way."""
        return self._task is not None and not self._task.done()

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` whenever the state changes; returns the unsubscribe function."""
        return self.listeners.add(callback)

    async def refresh(self) -> ResourceState[T]:
        """Fetch now, or join the refresh already under way; never two at once."""
        if not self.refreshing:
            self._task = asyncio.create_task(self._run_refresh())
            self.listeners.notify()
        assert self._task is not None
        await asyncio.shield(self._task)
        return self.state

    def request_refresh(self, *, force: bool = False) -> None:
        """Start a refresh in the background without waiting (a screen was opened).

        Unless `force`d (a person pressed "refresh"), a refresh that started less than
        `min_gap` seconds ago is enough.
        """
        if self.refreshing:
            return
        if not force and time.monotonic() - self._last_attempt < self._min_gap:
            return
        self._task = asyncio.create_task(self._run_refresh())
        self.listeners.notify()

    def watch(self, callback: Callable[[], None], every: float) -> Callable[[], None]:
        """Subscribe and refresh every `every` seconds while anybody watches (one poller)."""
        remove = self.subscribe(callback)
        self._watchers += 1
        if self._poller is None or self._poller.done():
            self._poller = asyncio.create_task(self._poll(every))

        def unwatch() -> None:
            remove()
            self._watchers -= 1
            if self._watchers <= 0 and self._poller is not None:
                self._poller.cancel()
                self._poller = None

        return unwatch

    @property
    def polling(self) -> bool:
        """Whether a poller runs for somebody watching."""
        return self._poller is not None and not self._poller.done()

    async def _poll(self, every: float) -> None:
        while True:
            await self.refresh()
            await asyncio.sleep(every)

    async def _run_refresh(self) -> None:
        self._last_attempt = time.monotonic()
        self._load_cached()
        try:
            data = await self._fetch()
            payload = self._adapter.dump_json(data).decode()
        except ServiceError as error:
            self._record_failure(error)
        except Exception as error:  # a bug in a parser must not kill the scheduler
            log.exception("refresh of %s failed unexpectedly", self.key)
            self._record_failure(BadData(f"{error.__class__.__name__}: {error}"))
        else:
            self._store(data, payload)
        finally:
            self._task = None
            self.listeners.notify()

    def accept(self, data: T) -> None:
        """New data that came another way (a waiting request): keep it and tell listeners."""
        self._load_cached()
        self._store(data, self._adapter.dump_json(data).decode())
        self.listeners.notify()

    def reject(self, error: ServiceError) -> None:
        """A failure that came another way: the last good data stays, marked as such."""
        self._record_failure(error)
        self.listeners.notify()

    def _store(self, data: T, payload: str) -> None:
        now = self._clock.now()
        self._cache.put(self.key, payload, now)
        if self._last_error is not None:
            log.info("%s: refresh works again", self.key)
        self._data, self._fetched_at, self._last_error = data, now, None
        if self._connectivity:
            self._connectivity.report(self.source, None)

    def _record_failure(self, error: ServiceError) -> None:
        if type(self._last_error) is not type(error):
            log.warning("%s: refresh failed: %s", self.key, error)  # log on change only
        self._last_error = error
        if self._connectivity:
            self._connectivity.report(self.source, error)

    def _load_cached(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        hit = self._cache.get(self.key)
        if hit is None:
            return
        try:
            self._data = self._adapter.validate_json(hit.payload)
            self._fetched_at = hit.fetched_at
        except ValidationError:
            log.warning("%s: cached payload no longer decodes; dropped", self.key)
            self._cache.drop(self.key)
