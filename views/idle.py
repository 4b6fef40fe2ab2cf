"""Starting a shared screen over after a while without touch (the kiosk, a workshop tablet)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from views.context import ScreenContext

log = logging.getLogger(__name__)


class IdleReset:
    """Calls `reset` once nobody touched the screen for the configured time and it shows
    something of the last visitor (`dirty`), so the next one starts afresh.

    The time is `services.kiosk.idle_seconds` (`KOELN_KIOSK_IDLE_SECONDS`), read at each look,
    so one setting serves every shared screen."""

    def __init__(
        self, ctx: ScreenContext, *, dirty: Callable[[], bool], reset: Callable[[], None]
    ) -> None:
        self._ctx = ctx
        self._dirty = dirty
        self._reset = reset
        self.touched = time.monotonic()

    def touch(self) -> None:
        """Somebody used the screen just now."""
        self.touched = time.monotonic()

    @property
    def seconds(self) -> float:
        """How long the screen may stay untouched."""
        return self._ctx.services.kiosk.idle_seconds

    async def watch(self) -> None:
        """Look about once a second (more often for very short times) until the screen goes."""
        while True:
            await asyncio.sleep(min(1.0, max(self.seconds / 4, 0.01)))
            if time.monotonic() - self.touched >= self.seconds and self._dirty():
                try:
                    self._reset()
                except Exception:  # the next visitor must not meet the last one's answers
                    log.exception("starting the shared screen over failed; trying again")
                    continue
                self.touch()

    def start(self) -> IdleReset:
        """Watch for as long as the screen is shown; scrolling it counts as a touch."""
        self._ctx.touched = self.touch
        self._ctx.on_leave(self._forget)
        self._ctx.run_task(self.watch)
        return self

    def _forget(self) -> None:
        if self._ctx.touched == self.touch:
            self._ctx.touched = lambda: None
