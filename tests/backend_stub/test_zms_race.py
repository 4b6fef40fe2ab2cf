"""Fifty people reserve the same start time at once: exactly one gets it, on SQLite and PostgreSQL.

The stub runs in a real uvicorn server on a free 127.0.0.1 port (its own thread, its own event
loop and worker threads, as in production); fifty HTTP clients send their reservations together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from backend_stub.appointments.calendar import Horizon, free_starts
from backend_stub.appointments.processes import ProcessError, Reservation, reserve
from backend_stub.clock import FixedClock
from backend_stub.main import create_app
from backend_stub.models import AppointmentProcess, AppointmentSlot
from tests.backend_stub.serving import Served, serving
from tests.zms_support import ID_CARD, KALK, REGISTRATION, error_code, free_times
from tests.zms_support import reserve as post_reservation

MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CLIENTS = 50

pytestmark = pytest.mark.anyio


@pytest.fixture
def served(stub_database_url: str) -> Iterator[Served]:
    """The stub on the test's database, served by uvicorn in a thread until the test ends."""
    app = create_app(
        stub_database_url, clock=FixedClock(MONDAY_10), queue_speed=0, zms_rate_limit=100_000
    )
    with serving(app) as served:
        yield served


async def test_fifty_reservations_of_one_time_give_exactly_one(served: Served) -> None:
    limits = httpx.Limits(max_connections=CLIENTS + 5, max_keepalive_connections=CLIENTS + 5)
    async with httpx.AsyncClient(base_url=served.url, limits=limits, timeout=60) as http:
        moment = (await free_times(http, MONDAY_10, KALK, [ID_CARD]))[0]
        racing = (post_reservation(http, KALK, moment) for _ in range(CLIENTS))
        answers = await asyncio.gather(*racing)
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] + [404] * (CLIENTS - 1), [a.text for a in answers]
    assert {error_code(a) for a in answers if a.status_code == 404} == {"appointmentNotAvailable"}
    winner = next(a.json() for a in answers if a.status_code == 200)
    with Session(served.app.state.engine) as session:
        processes = session.exec(select(AppointmentProcess)).all()
        slots = session.exec(select(AppointmentSlot)).all()
    assert [p.id + 100_000 for p in processes if p.id] == [winner["processId"]]
    # one occupancy: both slots of the ID card appointment, both of the winner, nothing else
    assert sorted(s.slot_start for s in slots) == [moment, moment + 900]
    assert {s.process_id + 100_000 for s in slots} == {winner["processId"]}


def test_a_slot_taken_between_looking_and_writing_is_refused_whole(stub_database_url: str) -> None:
    """The database's key decides: another booking lands on our second slot right after we
    looked; ours fails on the key and takes neither slot."""
    now = MONDAY_10
    app = create_app(stub_database_url, clock=FixedClock(now), queue_speed=0)
    engine, catalogue = app.state.engine, app.state.catalogue
    hours = catalogue.offices[KALK].hours
    moment = free_starts(hours, date(2026, 11, 24), 2, set(), Horizon.at(now))[0]
    theirs = Reservation(KALK, [(REGISTRATION, 1)], moment + 900)
    sneaked: list[int] = []

    def somebody_else_books(*args: Any) -> None:
        statement = args[2]
        looks = "appointmentslot" in statement and statement.lstrip().startswith("SELECT")
        if looks and not sneaked:
            sneaked.append(1)
            reserve(engine, catalogue, theirs, now)

    event.listen(engine, "after_cursor_execute", somebody_else_books)
    try:
        with pytest.raises(ProcessError) as refused:
            reserve(engine, catalogue, Reservation(KALK, [(ID_CARD, 1)], moment), now)
        event.remove(engine, "after_cursor_execute", somebody_else_books)
        with Session(engine) as session:
            slots = session.exec(select(AppointmentSlot)).all()
            processes = session.exec(select(AppointmentProcess)).all()
    finally:
        engine.dispose()
    assert refused.value.code == "appointmentNotAvailable" and sneaked
    assert [s.slot_start for s in slots] == [moment + 900]  # theirs only; ours took none
    assert len(processes) == 1
