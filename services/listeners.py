"""A tiny list of change callbacks that one failing listener cannot break."""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


class Listeners:
    """Callbacks to notify on change; each returns an unsubscribe function."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[], None]] = []

    def add(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Register `callback`; call the returned function to remove it again."""
        self._callbacks.append(callback)

        def remove() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return remove

    def notify(self) -> None:
        """Call every callback; a listener whose screen is gone must not stop the others."""
        for callback in list(self._callbacks):
            try:
                callback()
            except Exception:
                log.exception("listener failed")

    def __len__(self) -> int:
        return len(self._callbacks)
