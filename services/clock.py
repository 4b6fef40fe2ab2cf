"""An injectable clock, so tests and the stub can decide what "now" is."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

CITY_TZ = ZoneInfo("Europe/Berlin")


class Clock(Protocol):
    """Anything that tells the current time as an aware datetime."""

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to; for tests."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        """The time this clock was set to."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by `delta`."""
        self._now += delta

    def set(self, when: datetime) -> None:
        """Jump to `when`."""
        self._now = when


def as_utc(value: datetime) -> datetime:
    """Treat a naive datetime (as SQLite returns it) as UTC; convert aware ones."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class StartedClock:
    """A clock set to `start` when made, running on with real time from there."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("StartedClock needs an aware datetime")
        self._start = start.astimezone(UTC)
        self._started = time.monotonic()  # monotonic: a wall-clock jump does not move it

    def now(self) -> datetime:
        """`start` plus the time that passed since."""
        return self._start + timedelta(seconds=time.monotonic() - self._started)


def parse_clock(value: str) -> datetime:
    """An ISO 8601 time such as 2026-11-23T10:00; without an offset it is Cologne time."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError(
            f"expected a time like 2026-11-23T10:00 (Cologne time) or with an offset, got {value!r}"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CITY_TZ)
    return moment.astimezone(UTC)
