"""Checking in for an appointment at the kiosk: a ticket in the walk-in queue, called first.

The stub's clock stands at Monday 23 November 2026, 10:00 in Cologne, and the queue simulation
is paused there, so walk-ins are waiting in every Kundenzentrum.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from backend_stub.clock import CITY_TZ, FixedClock
from backend_stub.main import create_app
from backend_stub.queues.simulation import (
    APPOINTMENT_PRIORITY,
    WALK_IN_PRIORITY,
    OfficePlan,
    OfficeQueue,
    parse_hours,
)
from backend_stub.queues.snapshot import queue_state, restore_queue
from tests.zms_support import PERSON, REGISTRATION, ZMS, calendar, error_code, key, ok, reserve

STUB = "http://stub.test"
MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ADMIN_TOKEN = "check-in-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
QUEUE = "/queue/v1/locations"
SLUGS = {
    10001: "innenstadt",
    10002: "chorweiler",
    10003: "ehrenfeld",
    10004: "kalk",
    10005: "lindenthal",
    10006: "muelheim",
    10007: "nippes",
    10008: "porz",
    10009: "rodenkirchen",
}

pytestmark = pytest.mark.anyio


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_10)


@pytest.fixture
async def http(tmp_path: Path, clock: FixedClock) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(
        f"sqlite:///{tmp_path / 'stub.sqlite3'}",
        clock=clock,
        admin_token=ADMIN_TOKEN,
        queue_speed=0,
        zms_rate_limit=10_000,
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=STUB) as client:
        yield client
    app.state.engine.dispose()


async def book(
    http: httpx.AsyncClient, now: datetime, earliest: float, latest: float, days: int = 0
) -> dict[str, Any]:
    """A confirmed appointment between `earliest` and `latest` (unix s) at some Kundenzentrum."""
    found = await calendar(http, now, list(SLUGS), [REGISTRATION], days=days)
    office, moment = next(
        (int(entry["officeId"]), start)
        for day in found["availableDays"]
        for entry in day["offices"]
        for start in entry["appointments"]
        if earliest <= start <= latest
    )
    process = ok(await reserve(http, office, moment, [REGISTRATION]))
    ok(await http.post(f"{ZMS}/update-appointment/", json={**key(process), **PERSON}))
    ok(await http.post(f"{ZMS}/preconfirm-appointment/", json=key(process)))
    done: dict[str, Any] = ok(await http.post(f"{ZMS}/confirm-appointment/", json=key(process)))
    return done


def slug_of(process: dict[str, Any]) -> str:
    return SLUGS[process["officeId"]]


async def soon(http: httpx.AsyncClient, clock: FixedClock) -> dict[str, Any]:
    """An appointment within the next hour (check-in is open)."""
    now = clock.now().timestamp()
    return await book(http, clock.now(), now, now + 3600)


async def test_a_checked_in_appointment_is_called_before_the_walk_ins(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    process = await soon(http, clock)
    slug = slug_of(process)
    walk_in = ok(await http.post(f"{QUEUE}/{slug}/tickets", json={"serviceId": 1001}), 201)
    ahead_before = walk_in["numbersAhead"]
    assert ahead_before > 0  # the hall is busy: walk-ins wait

    ticket = ok(await http.post(f"{QUEUE}/{slug}/check-in", json=key(process)), 201)
    assert ticket["displayNumber"] == f"T{ticket['number']:03d}"
    assert ticket["numbersAhead"] == 0 and ticket["status"] == "queued"
    assert ticket["serviceId"] == REGISTRATION and ticket["link"].endswith(ticket["token"])
    assert "Beispiel" not in json.dumps(ticket) and "anna" not in json.dumps(ticket)

    followed = ok(await http.get(f"{QUEUE}/{slug}/tickets/{walk_in['token']}"))
    assert followed["numbersAhead"] == ahead_before + 1  # the appointment goes first
    called = ok(
        await http.post(f"/admin/queues/{slug}/call-next", json={"counter": 1}, headers=ADMIN)
    )
    assert called["called"]["displayNumber"] == ticket["displayNumber"]

    shown = ok(await http.get(f"{ZMS}/appointment/", params=key(process)))
    assert shown["status"] == "queued" and shown["displayNumber"] == ticket["displayNumber"]


async def test_checking_in_twice_answers_the_same_ticket(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    process = await soon(http, clock)
    slug = slug_of(process)
    first = ok(await http.post(f"{QUEUE}/{slug}/check-in", json=key(process)), 201)
    again = await http.post(f"{QUEUE}/{slug}/check-in", json=key(process))
    typed = await http.post(
        f"{QUEUE}/{slug}/check-in", json={"processId": process["processId"], "authKey": None}
    )
    for answer in (again, typed):
        assert answer.status_code == 200
        body = answer.json()
        assert (body["number"], body["token"]) == (first["number"], first["token"])
    cancelled = await http.post(f"{ZMS}/cancel-appointment/", json=key(process))
    assert (cancelled.status_code, error_code(cancelled)) == (409, "invalidProcessStatus")


async def test_a_typed_process_id_finds_only_todays_appointment_here(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    process = await soon(http, clock)
    slug = slug_of(process)
    elsewhere = next(s for s in SLUGS.values() if s != slug)
    typed = {"processId": process["processId"], "authKey": None}
    hidden = await http.post(f"{QUEUE}/{elsewhere}/check-in", json=typed)
    assert (hidden.status_code, error_code(hidden)) == (404, "appointmentNotFound")
    told = await http.post(f"{QUEUE}/{elsewhere}/check-in", json=key(process))
    assert (told.status_code, error_code(told)) == (409, "wrongOffice")
    ticket = ok(await http.post(f"{QUEUE}/{slug}/check-in", json=typed), 201)
    assert ticket["displayNumber"].startswith("T")
    unknown = await http.post(
        f"{QUEUE}/{slug}/check-in", json={"processId": process["processId"] + 50, "authKey": None}
    )
    assert unknown.status_code == 404


async def test_check_in_opens_an_hour_before_and_closes_half_an_hour_after(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    now = clock.now().timestamp()
    later = await book(http, clock.now(), now + 2 * 3600, now + 6 * 3600)
    slug = slug_of(later)
    early = await http.post(f"{QUEUE}/{slug}/check-in", json=key(later))
    assert (early.status_code, error_code(early)) == (409, "tooEarly")
    clock.advance(timedelta(seconds=int(later["timestamp"]) - now + 31 * 60))
    late = await http.post(f"{QUEUE}/{slug}/check-in", json=key(later))
    assert (late.status_code, error_code(late)) == (409, "tooLate")


async def test_an_appointment_of_another_day_or_not_confirmed_does_not_check_in(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    tomorrow = datetime.combine(date(2026, 11, 24), time(0), CITY_TZ).timestamp()
    other_day = await book(http, clock.now(), tomorrow, tomorrow + 86400, days=1)
    slug = slug_of(other_day)
    told = await http.post(f"{QUEUE}/{slug}/check-in", json=key(other_day))
    assert (told.status_code, error_code(told)) == (409, "notToday")
    typed = {"processId": other_day["processId"], "authKey": None}
    assert (await http.post(f"{QUEUE}/{slug}/check-in", json=typed)).status_code == 404

    found = await calendar(http, clock.now(), [10004], [REGISTRATION], days=0)
    moment = found["availableDays"][0]["offices"][0]["appointments"][0]
    pending = ok(await reserve(http, 10004, moment, [REGISTRATION]))
    refused = await http.post(f"{QUEUE}/kalk/check-in", json=key(pending))
    assert (refused.status_code, error_code(refused)) == (409, "invalidProcessStatus")
    wrong_key = await http.post(f"{QUEUE}/kalk/check-in", json={**key(pending), "authKey": "zzzz"})
    assert (wrong_key.status_code, error_code(wrong_key)) == (404, "appointmentNotFound")
    nowhere = await http.post(f"{QUEUE}/kfz/check-in", json=key(pending))
    assert (nowhere.status_code, error_code(nowhere)) == (404, "locationNotFound")


@pytest.mark.parametrize(
    "body", [{"processId": "1"}, {"processId": 1, "authKey": 7}, {"processId": 1, "x": 1}, {}]
)
async def test_a_check_in_body_is_strict(http: httpx.AsyncClient, body: dict[str, Any]) -> None:
    assert (await http.post(f"{QUEUE}/kalk/check-in", json=body)).status_code == 422


# --- the queue itself -------------------------------------------------------------------------

PLAN = OfficePlan(
    slug="kalk",
    name="Kundenzentrum Kalk",
    hours=parse_hours({"mon": "07:30-18:00"}),
    counters=1,
    mean_service_minutes=8.0,
    load=1.2,
)
MONDAY = date(2026, 11, 23)


def busy_queue() -> OfficeQueue:
    queue = OfficeQueue.start_of_day(PLAN, MONDAY, CITY_TZ, {1001: "A"}, [1001])
    queue.advance(datetime.combine(MONDAY, time(10), CITY_TZ))
    return queue


def test_appointments_come_first_then_everybody_by_number() -> None:
    queue = busy_queue()
    waiting = queue.queued()
    assert len(waiting) >= 2
    first = queue.check_in(1003, "T")
    second = queue.check_in(1003, "T")
    assert [t.number for t in queue.queued()[:2]] == [first.number, second.number]
    assert queue.ahead_of(first) == 0 and queue.ahead_of(second) == 1
    assert queue.ahead_of(waiting[0]) == 2
    assert [t.number for t in queue.queued()[2:]] == sorted(t.number for t in waiting)


def test_a_snapshot_keeps_the_priority_and_reads_one_from_before_it() -> None:
    queue = busy_queue()
    appointment = queue.check_in(1003, "T")
    state = queue_state(queue)
    restored = restore_queue(state, PLAN, CITY_TZ, {1001: "A"}, [1001])
    assert restored.find(appointment.number).priority == APPOINTMENT_PRIORITY  # type: ignore[union-attr]
    assert restored.queued()[0].number == appointment.number

    older = json.loads(json.dumps(state))
    for ticket in older["tickets"]:
        del ticket["priority"]  # a snapshot saved before check-in existed
    before = restore_queue(older, PLAN, CITY_TZ, {1001: "A"}, [1001])
    assert {t.priority for t in before.tickets} == {WALK_IN_PRIORITY}
    assert [t.number for t in before.queued()] == sorted(t.number for t in before.queued())
