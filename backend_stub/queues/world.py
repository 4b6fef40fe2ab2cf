"""All Kundenzentren's queues on one simulated clock that an operator can speed up or pause."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from backend_stub.queues.simulation import OfficePlan, OfficeQueue
from backend_stub.queues.tokens import TicketSigner

MAX_SPEED = 10_000.0
MAX_ADVANCE_MINUTES = 1440.0  # one step moves the simulation a day at most


def check_speed(speed: float) -> float:
    """`speed` if it is a usable simulation speed, else ValueError."""
    if not 0 <= speed <= MAX_SPEED:  # also refuses NaN
        raise ValueError(f"speed must be between 0 and {MAX_SPEED:g}")
    return speed


class SimulatedClock:
    """Simulated time: runs `speed` times as fast as the stub's clock (0 pauses it)."""

    def __init__(self, start: datetime, speed: float = 1.0) -> None:
        self._real_anchor = start
        self._sim_anchor = start
        self.speed = speed

    def at(self, real_now: datetime) -> datetime:
        """Simulated time at the stub's `real_now`."""
        elapsed = max(timedelta(0), real_now - self._real_anchor)
        return self._sim_anchor + elapsed * self.speed

    def set_speed(self, speed: float, real_now: datetime) -> None:
        """Change the speed from now on, without a jump."""
        self._sim_anchor = self.at(real_now)
        self._real_anchor = real_now
        self.speed = speed

    def shift(self, delta: timedelta) -> None:
        """Move simulated time forward by `delta`, paused or not."""
        self._sim_anchor += delta


class QueueWorld:
    """The queues of all Kundenzentren; every access first runs them up to the present."""

    def __init__(
        self,
        plans: list[OfficePlan],
        *,
        tz: ZoneInfo,
        letters: dict[int, str],
        service_ids: list[int],
        signer: TicketSigner,
        start: datetime,
        speed: float = 1.0,
    ) -> None:
        self.plans = {plan.slug: plan for plan in plans}
        self.tz = tz
        self.letters = letters
        self.service_ids = service_ids
        self.signer = signer
        self.clock = SimulatedClock(start, check_speed(speed))
        self._queues: dict[str, OfficeQueue] = {}
        self._lock = threading.Lock()

    @property
    def slugs(self) -> list[str]:
        """The Kundenzentren with a queue."""
        return list(self.plans)

    @contextmanager
    def at(self, real_now: datetime) -> Iterator[dict[str, OfficeQueue]]:
        """All queues, run up to the simulated present; one caller at a time."""
        with self._lock:
            self._run_to(self.clock.at(real_now))
            yield self._queues

    def _run_to(self, now: datetime) -> None:
        """Run every queue up to the simulated `now` (the caller holds the lock)."""
        for slug in self.plans:
            self._advance(slug, now)

    def _advance(self, slug: str, now: datetime) -> None:
        day = now.astimezone(self.tz).date()
        queue = self._queues.get(slug)
        if queue is None or queue.day != day:
            # A new day starts empty; the operator's open/closed choice carries over.
            override = queue.open_override if queue else None
            queue = OfficeQueue.start_of_day(
                self.plans[slug], day, self.tz, self.letters, self.service_ids, override
            )
            self._queues[slug] = queue
        queue.advance(now)

    def set_speed(self, speed: float, real_now: datetime) -> None:
        """Run the simulation faster (an hour in seconds for demos and tests) or pause it."""
        check_speed(speed)
        with self.at(real_now):
            self.clock.set_speed(speed, real_now)

    def advance(self, minutes: float, real_now: datetime) -> datetime:
        """Move the simulation `minutes` ahead (also while paused); the new simulated present."""
        if not 0 < minutes <= MAX_ADVANCE_MINUTES:  # also refuses NaN
            raise ValueError(f"minutes must be above 0 and at most {MAX_ADVANCE_MINUTES:g}")
        with self._lock:
            self.clock.shift(timedelta(minutes=minutes))
            now = self.clock.at(real_now)
            self._run_to(now)
            return now

    def sim_now(self, real_now: datetime) -> datetime:
        """The simulated present."""
        return self.clock.at(real_now)
