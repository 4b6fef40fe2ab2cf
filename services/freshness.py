"""How current shown data is, by the data's own timestamps, apart from when it was fetched."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

# A value stamped this far in the future is a clock error of the source, not a current value.
FUTURE_SLACK = timedelta(minutes=5)


def is_current(measured_at: datetime | None, now: datetime, stale_after: timedelta) -> bool:
    """Whether a value measured at `measured_at` still counts as current at `now`."""
    if measured_at is None:
        return False
    return -FUTURE_SLACK <= now - measured_at <= stale_after


@dataclass(frozen=True)
class Freshness:
    """What a summary line may claim about the values on a screen."""

    total: int = 0  # values shown
    stale: int = 0  # of them: older than their source allows, or of unknown age
    oldest: datetime | None = None  # the oldest value's own timestamp
    newest: datetime | None = None  # the newest value's own timestamp
    unreadable: int = 0  # entries of the latest answer that could not be read
    kept: int = 0  # values shown from an earlier answer (missing or unreadable in the latest)
    timestamped: bool = True  # False: the data carries no time of its own (a catalogue)

    @property
    def all_current(self) -> bool:
        """True only if every value is current and the latest answer was read completely."""
        return self.stale == 0 and self.unreadable == 0 and self.kept == 0


def freshness_of(
    stamps: Iterable[datetime | None],
    now: datetime,
    stale_after: timedelta,
    *,
    unreadable: int = 0,
    kept: int = 0,
) -> Freshness:
    """Count the values whose own time (`stamps`, None = unknown) is older than allowed."""
    stamps = list(stamps)
    known = [s for s in stamps if s is not None]
    return Freshness(
        total=len(stamps),
        stale=sum(not is_current(s, now, stale_after) for s in stamps),
        oldest=min(known, default=None),
        newest=max(known, default=None),
        unreadable=unreadable,
        kept=kept,
    )


def untimed(total: int, *, unreadable: int = 0) -> Freshness:
    """For data without timestamps of its own: only what could not be read counts."""
    return Freshness(total=total, unreadable=unreadable, timestamped=False)


@runtime_checkable
class KnowsFreshness(Protocol):
    """Data that can say how current it is (the coordinator asks it for every screen)."""

    def freshness(self, now: datetime) -> Freshness:
        """How current the values are at `now`."""
        ...
