"""The stub's own clock (injectable), kept apart from the app's services on purpose."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

CITY_TZ = ZoneInfo("Europe/Berlin")
CLOCK_FORMAT = "YYYY-MM-DDTHH:MM[:SS][±HH:MM], e.g. 2026-11-23T10:00 (Cologne time without offset)"


class Clock(Protocol):
    """Tells the stub's current time."""

    def now(self) -> datetime:
        """Aware current time."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """Stands still at `at` until moved (for tests: nothing depends on when they run)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        """The fixed moment, in UTC."""
        return self._at

    def advance(self, delta: timedelta) -> None:
        """Move the clock on by `delta`."""
        self._at += delta


class StartedClock:
    """Reads `start` first, then runs on in real time (monotonic: wall-clock jumps don't count)."""

    def __init__(self, start: datetime, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None:
            raise ValueError("StartedClock needs an aware datetime")
        self._start = start.astimezone(UTC)
        self._monotonic = monotonic
        self._origin: float | None = None

    def now(self) -> datetime:
        """The start time plus the real time elapsed since the first reading, in UTC."""
        reading = self._monotonic()
        if self._origin is None:
            self._origin = reading
        return self._start + timedelta(seconds=reading - self._origin)


def parse_clock(value: str) -> datetime:
    """An ISO 8601 time as aware UTC; without an offset it is Cologne local time."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a time: {value!r}; expected {CLOCK_FORMAT}") from None
    if moment.tzinfo is None:
        local = moment.replace(tzinfo=CITY_TZ)
        # A time skipped when the clocks go forward (e.g. 02:30 on the last Sunday of March)
        # does not survive the round trip; an ambiguous autumn hour takes its first (summer) pass.
        if local.astimezone(UTC).astimezone(CITY_TZ).replace(tzinfo=None) != moment:
            raise ValueError(f"{value!r} does not exist in Cologne (the clocks skip it)")
        moment = local
    return moment.astimezone(UTC)
