"""The queue simulation: people arrive in the opening hours, counters call them in order."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from backend_stub.clock import CITY_TZ
from backend_stub.queues.simulation import (
    CALLED,
    FINISHED,
    MISSED,
    QUEUED,
    OfficePlan,
    OfficeQueue,
    parse_hours,
)

MONDAY = date(2026, 10, 5)
SATURDAY = date(2026, 10, 10)
PLAN = OfficePlan(
    slug="ehrenfeld",
    name="Kundenzentrum Ehrenfeld",
    hours=parse_hours({"mon": "07:30-18:00", "wed": "07:30-12:00"}),
    counters=3,
    mean_service_minutes=8.0,
    load=0.95,
)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CITY_TZ)


def queue_on(day: date, override: bool | None = None) -> OfficeQueue:
    return OfficeQueue.start_of_day(PLAN, day, CITY_TZ, {1001: "A"}, [1001, 1003], override)


def test_nobody_arrives_before_opening_or_on_a_closed_day() -> None:
    early = queue_on(MONDAY)
    early.advance(at(MONDAY, 7, 29))
    assert early.tickets == [] and not early.is_open()
    saturday = queue_on(SATURDAY)
    saturday.advance(at(SATURDAY, 12))
    assert saturday.tickets == [] and not saturday.is_open()
    assert saturday.current_wait() == 0


def test_a_morning_gives_numbers_in_order_and_serves_them() -> None:
    queue = queue_on(MONDAY)
    queue.advance(at(MONDAY, 11))
    assert queue.is_open()
    numbers = [t.number for t in queue.tickets]
    assert numbers == list(range(1, len(numbers) + 1))
    # 3.5 hours, 3 counters of about 8 minutes each, arrivals at 95 % of that: about 75 people
    assert 40 < len(queue.tickets) < 120
    done = [t for t in queue.tickets if t.status in (FINISHED, MISSED)]
    assert len(done) > 30
    assert all(t.call_time and t.call_time >= t.arrival for t in done)
    assert all(t.counter in (1, 2, 3) for t in done)
    # called strictly first come, first served
    call_order = sorted((t for t in queue.tickets if t.call_time), key=lambda t: t.call_time)
    assert [t.number for t in call_order] == sorted(t.number for t in call_order)


def test_the_same_day_simulates_the_same_way() -> None:
    first, second = queue_on(MONDAY), queue_on(MONDAY)
    first.advance(at(MONDAY, 10))
    second.advance(at(MONDAY, 9))
    second.advance(at(MONDAY, 10))
    assert [(t.number, t.status) for t in first.tickets] == [
        (t.number, t.status) for t in second.tickets
    ]


def test_a_drawn_ticket_moves_up_and_is_called_with_its_counter() -> None:
    queue = queue_on(MONDAY, override=True)
    queue.advance(at(MONDAY, 9))
    mine = queue.draw(1001)
    assert mine.display_number == f"A{mine.number:03d}"
    ahead = queue.ahead_of(mine)
    expected, optimistic = queue.estimate(ahead)
    assert expected >= optimistic >= 0
    for _ in range(ahead):
        queue.call_next(1)
    assert mine.status == QUEUED and queue.ahead_of(mine) == 0
    called = queue.call_next(2)
    assert called is mine and mine.status == CALLED and mine.counter == 2
    assert queue.calls[0].display_number == mine.display_number and queue.calls[0].counter == 2


def test_time_moves_a_waiting_ticket_forward() -> None:
    queue = queue_on(MONDAY, override=True)
    queue.advance(at(MONDAY, 10))
    mine = queue.draw(1003)
    ahead = queue.ahead_of(mine)
    queue.advance(at(MONDAY, 10) + timedelta(minutes=5))
    assert queue.ahead_of(mine) < ahead or mine.status != QUEUED
    queue.advance(at(MONDAY, 13))
    assert mine.status == FINISHED  # drawn tickets are never "missed" by the simulation


def test_the_call_display_keeps_the_last_ten() -> None:
    queue = queue_on(MONDAY)
    queue.advance(at(MONDAY, 12))
    assert len(queue.calls) == 10
    times = [c.at for c in queue.calls]
    assert times == sorted(times, reverse=True)


def test_an_operator_can_close_and_open() -> None:
    queue = queue_on(MONDAY)
    queue.advance(at(MONDAY, 9))
    queue.set_open(False)
    given = len(queue.tickets)
    queue.advance(at(MONDAY, 10))
    assert not queue.is_open() and len(queue.tickets) == given
    assert queue.current_wait() == 0
    queue.set_open(True)
    queue.advance(at(MONDAY, 11))
    assert len(queue.tickets) > given


def test_calling_at_a_counter_that_does_not_exist_is_refused() -> None:
    queue = queue_on(MONDAY, override=True)
    with pytest.raises(ValueError):
        queue.call_next(9)
