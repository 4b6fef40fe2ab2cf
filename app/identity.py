"""Who a session belongs to: the id a person's browser or phone keeps in its own store.

The store is asked over the session's connection. That connection can go while it is asked
(a reload, a phone that locks, the app restarting under an open tab): the question then went
to a page that is gone. It is asked again as soon as the page is back, and a session that had
to start with a temporary id takes the person's real one when it can read it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from services.people import PERSON_KEY, is_person_id, new_person_id

log = logging.getLogger(__name__)

# Seconds to wait for the browser's or phone's store. A busy phone (or a loaded machine) can
# take seconds; giving up too early makes a person somebody new, without their data.
DEVICE_TIMEOUT = 15.0
ASKS = 3  # times the store is asked when the page comes back while it is asked


class DeviceStore(Protocol):
    """The person's own key-value store: local storage in a browser, the phone's store."""

    async def get(self, key: str) -> Any:
        """The stored value, or None."""
        ...

    async def set(self, key: str, value: str) -> Any:
        """Store a value."""
        ...


@dataclass(frozen=True)
class Person:
    """A session's person; `kept` is False for a temporary id the device could not be told."""

    id: str
    kept: bool


class Unanswered(Exception):
    """The device's store did not answer in time."""


async def _read(device: DeviceStore, back: asyncio.Event | None) -> Any:
    """The stored id; asked anew when `back` is set (the page reconnected) while waiting."""
    for ask in range(ASKS):
        if back is not None:
            back.clear()
        # (a cancelled read leaves Flet's note of the call behind until the session ends)
        reading = asyncio.ensure_future(device.get(PERSON_KEY))
        waiting = {reading}
        last = ask == ASKS - 1  # the last question gets its whole time, whatever comes back
        returned = asyncio.ensure_future(back.wait()) if back is not None and not last else None
        if returned is not None:
            waiting.add(returned)
        try:
            await asyncio.wait(waiting, timeout=DEVICE_TIMEOUT, return_when="FIRST_COMPLETED")
        finally:
            if returned is not None:
                returned.cancel()
        if reading.done():
            return reading.result()
        reading.cancel()
        if returned is None or back is None or not back.is_set():
            break
    raise Unanswered("the device's store did not answer")


async def person_of(
    device: DeviceStore, *, back: asyncio.Event | None = None, proposed: str | None = None
) -> Person:
    """The id this browser or phone keeps, made (or `proposed`) and stored on first use.

    A store that does not answer gets a temporary id for this session and is left as it is,
    so a person's id (and with it their data) is never overwritten by mistake.
    """
    try:
        known = await _read(device, back)
    except Exception as exc:  # unreadable, gone or silent: this session only, for now
        log.info("device store unreadable: %s", exc or type(exc).__name__)
        return Person(proposed or new_person_id(), kept=False)
    if is_person_id(known):
        return Person(str(known), kept=True)
    person = proposed or new_person_id()
    # the write goes on after a timeout (cancelling it could lose the id): the screen need
    # not wait for it longer than that
    writing = asyncio.ensure_future(device.set(PERSON_KEY, person))
    writing.add_done_callback(_log_failed_write)
    await asyncio.wait({writing}, timeout=DEVICE_TIMEOUT)
    # kept only once the device said so: otherwise it is asked again when the page is back
    written = writing.done() and not writing.cancelled() and writing.exception() is None
    return Person(person, kept=written)


def _log_failed_write(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.info("device store not writable: %s", task.exception())
