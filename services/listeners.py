"""A tiny list of change callbacks that one failing listener cannot break."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


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


class PersonalChannel(Generic[T]):
    """Callbacks per person: what is published for one person reaches only their sessions."""

    def __init__(self) -> None:
        self._by_person: dict[str, list[Callable[[T], None]]] = {}

    def add(self, person: str, callback: Callable[[T], None]) -> Callable[[], None]:
        """Register `callback` for `person`; call the returned function to remove it again."""
        self._by_person.setdefault(person, []).append(callback)

        def remove() -> None:
            callbacks = self._by_person.get(person, [])
            if callback in callbacks:
                callbacks.remove(callback)
            if not callbacks:
                self._by_person.pop(person, None)

        return remove

    def publish(self, person: str, payload: T) -> None:
        """Call every callback of `person` with `payload`; nobody else hears of it."""
        for callback in list(self._by_person.get(person, [])):
            try:
                callback(payload)
            except Exception:
                log.exception("listener of a person failed")

    def people(self) -> set[str]:
        """The persons with at least one callback (a session that shows their data)."""
        return set(self._by_person)

    def __len__(self) -> int:
        return sum(len(callbacks) for callbacks in self._by_person.values())
