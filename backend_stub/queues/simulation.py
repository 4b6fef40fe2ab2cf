"""A walk-in queue per Kundenzentrum, simulated on the stub's clock (modelled on ZMS).

Walk-ins arrive at random through the opening hours, staffed counters call the next number,
the person walks up, is served for a while, and leaves; now and then somebody has left the
hall before their number comes and is marked missed. Tickets drawn through the API join the
same queue, and so do people with an appointment who check in at the kiosk: they are called
before the walk-ins (appointment priority), among themselves in the order they came.
Everything is deterministic for a given office and day, so tests can rely on it.
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

QUEUED, CALLED, PROCESSING, FINISHED, MISSED = (
    "queued",
    "called",
    "processing",
    "finished",
    "missed",
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

WALK_UP = timedelta(minutes=1)  # from the call to the counter
MISSED_AFTER = timedelta(minutes=5)  # a called number nobody answers
MISS_SHARE = 0.04  # walk-ins who leave before their turn
OPTIMISTIC_SHARE = 0.6  # the optimistic estimate assumes quick cases
MAX_QUEUED = 120  # beyond this the hall is full and walk-ins are turned away
CALL_DISPLAY_SIZE = 10
APPOINTMENT_PRIORITY = 0  # called first
WALK_IN_PRIORITY = 1


@dataclass
class QueueTicket:
    """One number of one day's queue."""

    number: int
    display_number: str
    service_id: int
    arrival: datetime
    drawn: bool  # drawn through the API (a person with a phone), not a simulated walk-in
    status: str = QUEUED
    call_time: datetime | None = None
    counter: int | None = None
    done_time: datetime | None = None
    will_miss: bool = False
    priority: int = WALK_IN_PRIORITY  # lower is called first

    @property
    def calling_order(self) -> tuple[int, int]:
        """Where the ticket stands in the calling order: by priority, then by number."""
        return (self.priority, self.number)


@dataclass
class Call:
    """A line of the call display."""

    display_number: str
    counter: int
    at: datetime


@dataclass
class Counter:
    """A staffed counter and whom it is serving until when."""

    number: int
    ticket: QueueTicket | None = None
    busy_until: datetime | None = None


@dataclass(frozen=True)
class OfficePlan:
    """What the simulation needs to know about a Kundenzentrum."""

    slug: str
    name: str
    hours: dict[str, tuple[time, time]]  # weekday -> (opens, closes), local time
    counters: int
    mean_service_minutes: float
    load: float  # arrivals relative to what the counters can serve (about 1 = balanced)


def parse_hours(spec: dict[str, str]) -> dict[str, tuple[time, time]]:
    """{"mon": "07:30-18:00"} as times."""
    hours = {}
    for day, span in spec.items():
        start, end = span.split("-")
        hours[day] = (time.fromisoformat(start), time.fromisoformat(end))
    return hours


def display_prefix(service_id: int, letters: dict[int, str]) -> str:
    """The letter printed before the number, by kind of service."""
    return letters.get(service_id, "A")


@dataclass
class OfficeQueue:
    """One Kundenzentrum's queue for one day."""

    plan: OfficePlan
    tz: ZoneInfo
    letters: dict[int, str]
    service_ids: list[int]
    day: date
    now: datetime
    tickets: list[QueueTicket] = field(default_factory=list)
    counters: list[Counter] = field(default_factory=list)
    calls: deque[Call] = field(default_factory=lambda: deque(maxlen=CALL_DISPLAY_SIZE))
    open_override: bool | None = None  # set by an operator; None follows the opening hours
    next_arrival: datetime | None = None
    rng: random.Random = field(default_factory=random.Random)
    # Counts changes (events, draws, calls, operator actions), so only a changed queue is saved.
    revision: int = 0

    @classmethod
    def start_of_day(
        cls,
        plan: OfficePlan,
        day: date,
        tz: ZoneInfo,
        letters: dict[int, str],
        service_ids: list[int],
        open_override: bool | None = None,
    ) -> OfficeQueue:
        """An empty queue at midnight of `day`."""
        midnight = datetime.combine(day, time(0), tzinfo=tz)
        queue = cls(
            plan=plan,
            tz=tz,
            letters=letters,
            service_ids=service_ids,
            day=day,
            now=midnight,
            counters=[Counter(n) for n in range(1, plan.counters + 1)],
            open_override=open_override,
            rng=random.Random(f"{plan.slug}:{day.isoformat()}"),
        )
        queue.next_arrival = queue._first_arrival_after(midnight)
        return queue

    # --- opening -----------------------------------------------------------------------

    def hours_on(self, when: datetime) -> tuple[datetime, datetime] | None:
        """Opening and closing time on the day of `when`, if open that day."""
        local = when.astimezone(self.tz)
        span = self.plan.hours.get(WEEKDAYS[local.weekday()])
        if span is None:
            return None
        opens = datetime.combine(local.date(), span[0], tzinfo=self.tz)
        closes = datetime.combine(local.date(), span[1], tzinfo=self.tz)
        return opens, closes

    def in_hours(self, when: datetime) -> bool:
        """Whether `when` lies in the opening hours."""
        span = self.hours_on(when)
        return span is not None and span[0] <= when < span[1]

    def is_open(self, when: datetime | None = None) -> bool:
        """Open for walk-ins: the operator's word, else the opening hours."""
        if self.open_override is not None:
            return self.open_override
        return self.in_hours(when or self.now)

    # --- the simulation ----------------------------------------------------------------

    def _arrival_gap(self) -> timedelta:
        rate_per_minute = self.plan.load * self.plan.counters / self.plan.mean_service_minutes
        return timedelta(minutes=self.rng.expovariate(rate_per_minute))

    def _first_arrival_after(self, when: datetime) -> datetime | None:
        if self.open_override is True:
            return when + self._arrival_gap()
        span = self.hours_on(when)
        if span is None or when >= span[1] or self.open_override is False:
            return None
        return max(when, span[0]) + self._arrival_gap()

    def _service_time(self) -> timedelta:
        minutes = self.rng.lognormvariate(math.log(self.plan.mean_service_minutes) - 0.08, 0.4)
        return timedelta(minutes=max(2.0, minutes))

    def advance(self, until: datetime) -> None:
        """Run the queue forward to `until` (never backwards)."""
        while True:
            moment = self._next_event()
            if moment is None or moment > until:
                break
            self.now = max(self.now, moment)
            self._handle_events()
        self.now = max(self.now, until)
        self._fill_idle_counters()

    def _next_event(self) -> datetime | None:
        moments = [c.busy_until for c in self.counters if c.busy_until is not None]
        if self.next_arrival is not None:
            moments.append(self.next_arrival)
        return min(moments) if moments else None

    def _handle_events(self) -> None:
        self.revision += 1
        now = self.now
        for counter in self.counters:
            if counter.busy_until is not None and counter.busy_until <= now:
                self._next_phase(counter)
        if self.next_arrival is not None and self.next_arrival <= now:
            if self.is_open(self.next_arrival):
                if self.queued_count() < MAX_QUEUED:
                    service = self.rng.choice(self.service_ids)
                    ticket = self._new_ticket(service, self.next_arrival, drawn=False)
                    ticket.will_miss = self.rng.random() < MISS_SHARE
                self.next_arrival = self.next_arrival + self._arrival_gap()
            else:
                self.next_arrival = None
        self._fill_idle_counters()

    def _next_phase(self, counter: Counter) -> None:
        ticket = counter.ticket
        assert ticket is not None and counter.busy_until is not None
        if ticket.status == CALLED:
            if ticket.will_miss:
                ticket.status, ticket.done_time = MISSED, counter.busy_until
                counter.ticket, counter.busy_until = None, None
            else:
                ticket.status = PROCESSING
                counter.busy_until = counter.busy_until + self._service_time()
        else:
            ticket.status, ticket.done_time = FINISHED, counter.busy_until
            counter.ticket, counter.busy_until = None, None

    def _fill_idle_counters(self) -> None:
        for counter in self.counters:
            if counter.ticket is None and self.queued_count():
                self.call_next(counter.number)

    def _new_ticket(
        self,
        service_id: int,
        at: datetime,
        *,
        drawn: bool,
        prefix: str | None = None,
        priority: int = WALK_IN_PRIORITY,
    ) -> QueueTicket:
        number = len(self.tickets) + 1
        prefix = prefix or display_prefix(service_id, self.letters)
        ticket = QueueTicket(
            number, f"{prefix}{number:03d}", service_id, at, drawn, priority=priority
        )
        self.tickets.append(ticket)
        return ticket

    # --- what people and operators do --------------------------------------------------

    def draw(self, service_id: int) -> QueueTicket:
        """A person takes a number now."""
        self.revision += 1
        ticket = self._new_ticket(service_id, self.now, drawn=True)
        self._fill_idle_counters()
        return ticket

    def check_in(self, service_id: int, prefix: str) -> QueueTicket:
        """A person with an appointment checks in now: called before the walk-ins."""
        self.revision += 1
        ticket = self._new_ticket(
            service_id, self.now, drawn=True, prefix=prefix, priority=APPOINTMENT_PRIORITY
        )
        self._fill_idle_counters()
        return ticket

    def call_next(self, counter_number: int) -> QueueTicket | None:
        """The counter is done with whoever it had and calls the next number."""
        counter = next((c for c in self.counters if c.number == counter_number), None)
        if counter is None:
            raise ValueError(f"no counter {counter_number}")
        self.revision += 1
        if counter.ticket is not None:
            current = counter.ticket
            if current.status == CALLED:
                current.status = MISSED
            else:
                current.status = FINISHED
            current.done_time = self.now
        waiting = self.queued()
        if not waiting:
            counter.ticket, counter.busy_until = None, None
            return None
        ticket = waiting[0]
        ticket.status, ticket.call_time, ticket.counter = CALLED, self.now, counter.number
        counter.ticket = ticket
        counter.busy_until = self.now + (MISSED_AFTER if ticket.will_miss else WALK_UP)
        self.calls.appendleft(Call(ticket.display_number, counter.number, self.now))
        return ticket

    def set_open(self, value: bool | None) -> None:
        """An operator opens or closes the Kundenzentrum (None: follow the opening hours)."""
        self.revision += 1
        self.open_override = value
        if self.next_arrival is None or value is not None:
            self.next_arrival = self._first_arrival_after(self.now) if value is not False else None

    # --- what the displays show --------------------------------------------------------

    def queued(self) -> list[QueueTicket]:
        """Numbers still waiting, in calling order (appointments first, then by number)."""
        return sorted(
            (t for t in self.tickets if t.status == QUEUED), key=lambda t: t.calling_order
        )

    def queued_count(self) -> int:
        """How many are waiting."""
        return sum(1 for t in self.tickets if t.status == QUEUED)

    def ahead_of(self, ticket: QueueTicket) -> int:
        """How many numbers will be called before this one."""
        if ticket.status != QUEUED:
            return 0
        order = ticket.calling_order
        return sum(1 for t in self.tickets if t.status == QUEUED and t.calling_order < order)

    def estimate(self, ahead: int) -> tuple[int, int]:
        """Expected and optimistic wait in minutes with `ahead` numbers before one's own."""
        if ahead == 0 and any(c.ticket is None for c in self.counters):
            return 0, 0
        per_number = self.plan.mean_service_minutes / self.plan.counters
        expected = math.ceil((ahead + 0.5) * per_number)
        optimistic = math.floor((ahead + 0.5) * per_number * OPTIMISTIC_SHARE)
        return expected, optimistic

    def current_wait(self) -> int:
        """What a person drawing a number now should expect (the city feed's value)."""
        return self.estimate(self.queued_count())[0] if self.is_open() else 0

    def find(self, number: int) -> QueueTicket | None:
        """Today's ticket with that number."""
        return self.tickets[number - 1] if 0 < number <= len(self.tickets) else None
