"""One waiting request kept open for one resource, shared by everybody who shows it.

The server holds the request until the resource changes (or about 25 s pass), so a change
reaches the app at once. A server that does not wait (the city's own systems may not) is
asked every `poll_every` seconds instead, and a failing one with growing pauses.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from services.errors import BadData, ServiceError
from services.http import Waited

log = logging.getLogger(__name__)

WAIT = 25.0  # seconds a server may hold one request
POLL_EVERY = 20.0  # seconds between two plain requests to a server that does not wait
MIN_GAP = 0.5  # seconds between two requests when changes come one after the other
BACKOFF = (2.0, 5.0, 10.0, 30.0, 60.0)  # pauses after the 1st, 2nd, … failure in a row


def on_loop(loop: asyncio.AbstractEventLoop | None, work: Callable[[], object]) -> None:
    """Run `work` on `loop`: now if this is its thread, else as soon as the loop can."""
    if loop is None or loop.is_closed():
        return
    try:
        here = asyncio.get_running_loop()
    except RuntimeError:
        here = None
    if here is loop:
        work()
    else:
        loop.call_soon_threadsafe(work)


class LongPoll:
    """Asks `ask(etag)` again and again; hands new data to `on_data`, failures to `on_error`."""

    def __init__(
        self,
        name: str,
        ask: Callable[[str | None], Awaitable[Waited]],
        on_data: Callable[[Any], object],
        on_error: Callable[[ServiceError], object],
        *,
        poll_every: float = POLL_EVERY,
    ) -> None:
        self.name = name
        self._ask = ask
        self._on_data = on_data
        self._on_error = on_error
        self._poll_every = poll_every
        self.etag: str | None = None
        self.held: bool | None = None  # whether the server waits (None: not known yet)
        self.answers = 0
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def running(self) -> bool:
        """Whether the request loop runs."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start asking (call on the event loop); a running loop is left alone."""
        if not self.running:
            self._loop = asyncio.get_running_loop()
            self._task = self._loop.create_task(self._run(), name=f"long-poll {self.name}")

    def stop(self) -> None:
        """Stop asking; safe from any thread."""
        task, loop = self._task, self._loop
        self._task = None
        if task is None or loop is None or task.done():
            return
        on_loop(loop, task.cancel)  # at once on the loop: the client may be closed right after

    async def _run(self) -> None:
        failures = 0
        while True:
            started = time.monotonic()
            try:
                answer = await self._ask(self.etag)
            except ServiceError as error:
                self._on_error(error)
                await asyncio.sleep(BACKOFF[min(failures, len(BACKOFF) - 1)])
                failures += 1
                continue
            except Exception as error:  # a bug must not end the watch for everybody
                log.exception("%s: waiting request failed", self.name)
                self._on_error(BadData(f"{error.__class__.__name__}: {error}"))
                await asyncio.sleep(BACKOFF[min(failures, len(BACKOFF) - 1)])
                failures += 1
                continue
            failures = 0
            self.answers += 1
            if self.held is not answer.held:
                log.info(
                    "%s: the server %s", self.name, "waits" if answer.held else "does not wait"
                )
            self.etag, self.held = answer.etag, answer.held
            if answer.body is not None:
                self._on_data(answer.body)
            if not answer.held:
                await asyncio.sleep(self._poll_every)
            elif (spent := time.monotonic() - started) < MIN_GAP:
                await asyncio.sleep(MIN_GAP - spent)
