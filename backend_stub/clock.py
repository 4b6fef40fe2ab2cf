"""The stub's own clock (injectable), kept apart from the app's services on purpose."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

CITY_TZ = ZoneInfo("Europe/Berlin")


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
