"""The hall's call displays and the kiosk's ticket machine: the queue as the hall sees it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from pydantic import TypeAdapter

from services.cache import ResourceCache
from services.clock import Clock
from services.connectivity import Connectivity
from services.coordinator import ResourceCoordinator
from services.http import Waited
from services.long_poll import WAIT, LongPoll
from services.waiting_times.queue import CallDisplay, DrawnTicket, QueueClient

CALLS_EVERY = 5.0  # seconds between two looks, when the server does not hold requests
CALLS_MAX_AGE = timedelta(minutes=1)  # a call display older than this is not current


class CallDisplays:
    """One coordinator per Kundenzentrum's call display, shared by every session showing it."""

    def __init__(
        self, client: QueueClient, cache: ResourceCache, clock: Clock, connectivity: Connectivity
    ) -> None:
        self._client = client
        self._cache = cache
        self._clock = clock
        self._connectivity = connectivity
        self._displays: dict[str, ResourceCoordinator[CallDisplay]] = {}
        self._waits: dict[str, LongPoll] = {}

    def of(self, office: str) -> ResourceCoordinator[CallDisplay]:
        """The call display of `office` (made on first use, then shared)."""
        if office not in self._displays:
            self._displays[office] = ResourceCoordinator(
                f"calls:{office}",
                source="queue",
                fetch=lambda: self._client.calls(office),
                adapter=TypeAdapter(CallDisplay),
                cache=self._cache,
                clock=self._clock,
                max_age=CALLS_MAX_AGE,
                connectivity=self._connectivity,
            )
        return self._displays[office]

    def watch(self, office: str, callback: Callable[[], None]) -> Callable[[], None]:
        """Show `office`'s call display: one waiting request is held for it while anybody does,
        so a call shows within moments (a server that does not wait is asked every few s)."""
        display = self.of(office)
        remove = display.subscribe(callback)
        if office not in self._waits:

            async def ask(etag: str | None) -> Waited:
                return await self._client.wait_calls(office, etag, WAIT)

            self._waits[office] = LongPoll(
                f"calls {office}", ask, display.accept, display.reject, poll_every=CALLS_EVERY
            )
        self._waits[office].start()

        def release() -> None:
            remove()
            if not display.listeners and self._displays.get(office) is display:
                del self._displays[office]  # nobody shows it: no request, no memory kept
                if poll := self._waits.pop(office, None):
                    poll.stop()

        return release

    def stop_waiting(self) -> None:
        """End every waiting request (the app stops)."""
        for poll in self._waits.values():
            poll.stop()
        self._waits.clear()

    def watchers(self) -> int:
        """How many screens watch a call display now."""
        return sum(len(display.listeners) for display in self._displays.values())

    def polling(self) -> int:
        """How many call displays have a (waiting) request going now."""
        return sum(1 for poll in self._waits.values() if poll.running)


class TicketMachine:
    """The kiosk's ticket machine in one Kundenzentrum: takes numbers, keeps nothing."""

    def __init__(self, client: QueueClient, office: str) -> None:
        self._client = client
        self.office = office

    async def draw(self, service_id: int) -> DrawnTicket:
        """Take a number for `service_id`; raises a `ServiceError` the kiosk explains."""
        return await self._client.draw(self.office, service_id)

    async def check_in(self, process_id: int, auth_key: str | None) -> DrawnTicket:
        """An appointment's holder arrived: their ticket, ahead of the walk-ins."""
        return await self._client.check_in(self.office, process_id, auth_key)
