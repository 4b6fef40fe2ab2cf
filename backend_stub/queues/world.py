"""All Kundenzentren's queues on one simulated clock that an operator can speed up or pause.

With a store (the stub's database) the world outlives the process: it starts from what was
saved, and saves every queue that changed after each access, and the clock when it is changed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from backend_stub.queues.simulation import OfficePlan, OfficeQueue
from backend_stub.queues.snapshot import queue_state, restore_queue
from backend_stub.queues.store import QueueStore
from backend_stub.queues.tokens import TicketSigner

T = TypeVar("T")
MAX_SPEED = 10_000.0
MAX_ADVANCE_MINUTES = 1440.0  # one step moves the simulation a day at most

log = logging.getLogger(__name__)


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

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SimulatedClock:
        """The clock `state()` described; ValueError if it does not read."""
        try:
            clock = cls(datetime.fromisoformat(state["realAnchor"]), check_speed(state["speed"]))
            clock._sim_anchor = datetime.fromisoformat(state["simAnchor"])
        except (KeyError, TypeError) as error:
            raise ValueError(f"unreadable clock state: {error!r}") from error
        if clock._real_anchor.tzinfo is None or clock._sim_anchor.tzinfo is None:
            raise ValueError("clock anchors need an offset")
        return clock

    def state(self) -> dict[str, Any]:
        """Anchors and speed, JSON-ready."""
        return {
            "realAnchor": self._real_anchor.isoformat(),
            "simAnchor": self._sim_anchor.isoformat(),
            "speed": self.speed,
        }

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

    def catch_up(self, sim_now: datetime, real_now: datetime) -> None:
        """Never be behind `sim_now` at `real_now` (from there on, run as before)."""
        if self.at(real_now) < sim_now:
            self._sim_anchor, self._real_anchor = sim_now, real_now


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
        speed: float | None = None,
        store: QueueStore | None = None,
    ) -> None:
        """`speed` None keeps the saved speed (else 1); a given speed applies from `start` on."""
        self.plans = {plan.slug: plan for plan in plans}
        self.tz = tz
        self.letters = letters
        self.service_ids = service_ids
        self.signer = signer
        self._store = store
        self._queues: dict[str, OfficeQueue] = {}
        self._saved: dict[str, tuple[date, int]] = {}  # what the store holds: (day, revision)
        self._lock = threading.Lock()
        saved_clock = self._restore(store) if store else None
        if saved_clock is None:
            self.clock = SimulatedClock(start, check_speed(1.0 if speed is None else speed))
        else:
            self.clock = saved_clock
            if speed is not None and speed != saved_clock.speed:
                self.clock.set_speed(check_speed(speed), start)
        # A stub started again with its clock set back (`--clock` at the same time as before)
        # goes on from where its queues stopped, instead of standing still until it catches up.
        for queue in self._queues.values():
            self.clock.catch_up(queue.now, start)
        self._save_clock()

    def _restore(self, store: QueueStore) -> SimulatedClock | None:
        """Take up the saved queues; the saved clock, if there is one that reads."""
        for slug, state in store.queue_states().items():
            plan = self.plans.get(slug)
            if plan is None:
                continue
            try:
                queue = restore_queue(state, plan, self.tz, self.letters, self.service_ids)
            except ValueError as error:
                log.warning("the saved queue of %s starts afresh: %s", slug, error)
                continue
            self._queues[slug] = queue
            self._saved[slug] = (queue.day, queue.revision)
        clock_state = store.clock_state()
        if clock_state is None:
            return None
        try:
            return SimulatedClock.from_state(clock_state)
        except ValueError as error:
            log.warning("the saved queue clock is unreadable, it starts afresh: %s", error)
            return None

    @property
    def slugs(self) -> list[str]:
        """The Kundenzentren with a queue."""
        return list(self.plans)

    @contextmanager
    def at(self, real_now: datetime) -> Iterator[dict[str, OfficeQueue]]:
        """All queues, run up to the simulated present; one caller at a time.

        What the caller changed (a draw, a call, an operator's choice) is saved on the way out,
        along with what the simulation did on its own meanwhile.
        """
        with self._lock:
            try:
                self._run_to(self.clock.at(real_now))
                yield self._queues
            finally:
                self._save_changed(real_now)

    def _run_to(self, now: datetime) -> None:
        """Run every queue up to the simulated `now` (the caller holds the lock)."""
        for slug in self.plans:
            self._advance(slug, now)

    def _advance(self, slug: str, now: datetime) -> None:
        day = now.astimezone(self.tz).date()
        queue = self._queues.get(slug)
        if queue is None or day > queue.day:
            # A new day starts empty; the operator's open/closed choice carries over.
            # (Never an earlier day: a stub restarted with its clock set back keeps its queues.)
            override = queue.open_override if queue else None
            queue = OfficeQueue.start_of_day(
                self.plans[slug], day, self.tz, self.letters, self.service_ids, override
            )
            self._queues[slug] = queue
        queue.advance(now)

    def _save_changed(self, real_now: datetime) -> None:
        """Write the queues that changed since they were last saved (the caller holds the lock)."""
        if self._store is None:
            return
        changed = {
            slug: queue
            for slug, queue in self._queues.items()
            if self._saved.get(slug) != (queue.day, queue.revision)
        }
        if not changed:
            return
        self._store.save_queue_states(
            {slug: queue_state(queue) for slug, queue in changed.items()}, real_now
        )
        for slug, queue in changed.items():
            self._saved[slug] = (queue.day, queue.revision)

    def _save_clock(self) -> None:
        if self._store is not None:
            self._store.save_clock_state(self.clock.state())

    def set_speed(self, speed: float, real_now: datetime) -> None:
        """Run the simulation faster (an hour in seconds for demos and tests) or pause it."""
        check_speed(speed)
        with self.at(real_now):
            self.clock.set_speed(speed, real_now)
            self._save_clock()

    def advance(self, minutes: float, real_now: datetime) -> datetime:
        """Move the simulation `minutes` ahead (also while paused); the new simulated present."""
        if not 0 < minutes <= MAX_ADVANCE_MINUTES:  # also refuses NaN
            raise ValueError(f"minutes must be above 0 and at most {MAX_ADVANCE_MINUTES:g}")
        with self._lock:
            self.clock.shift(timedelta(minutes=minutes))
            self._save_clock()
            now = self.clock.at(real_now)
            try:
                self._run_to(now)
            finally:
                self._save_changed(real_now)
            return now

    def look(self, real_now: datetime, view: Callable[[dict[str, OfficeQueue]], T]) -> T:
        """`view` of all queues, run up to the present (one caller at a time)."""
        with self.at(real_now) as queues:
            return view(queues)

    def sim_now(self, real_now: datetime) -> datetime:
        """The simulated present."""
        return self.clock.at(real_now)
