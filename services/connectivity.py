"""Whether the sources answered lately, so every screen can say "offline" the same way."""

from __future__ import annotations

import logging
from collections.abc import Callable

from services.errors import Offline, ServiceError
from services.listeners import Listeners

log = logging.getLogger(__name__)


class Connectivity:
    """The latest outcome per source: reachable, or the error it gave."""

    def __init__(self) -> None:
        self._last: dict[str, ServiceError | None] = {}
        self.listeners = Listeners()  # screens
        self.back = Listeners()  # the app's own services, told when it is online again

    def report(self, source: str, error: ServiceError | None) -> None:
        """Record how the latest call to `source` went; notify when `offline` flips."""
        was_offline = self.offline
        self._last[source] = error
        if self.offline != was_offline:
            log.info("connectivity: %s", "offline" if self.offline else "online")
            self.listeners.notify()
            if not self.offline:
                self.back.notify()

    @property
    def offline(self) -> bool:
        """True when every source heard from was unreachable at its latest call."""
        return bool(self._last) and all(isinstance(e, Offline) for e in self._last.values())

    def unreachable(self) -> list[str]:
        """The sources whose latest call found them unreachable."""
        return [source for source, e in self._last.items() if isinstance(e, Offline)]

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` when `offline` changes; returns the unsubscribe function."""
        return self.listeners.add(callback)
