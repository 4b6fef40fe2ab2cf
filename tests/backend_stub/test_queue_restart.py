"""A restarted stub goes on where it stopped: tickets, calls, the clock, the operator's choices.

Each test builds a stub on a SQLite file, uses it over HTTP, "stops" it (disposes its engine)
and builds a second one on the same file, as `koeln-backend` does when it is started again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from backend_stub.clock import FixedClock
from backend_stub.main import create_app
from backend_stub.models import QueueSnapshot, StubSetting
from backend_stub.queues.setup import SECRET_ENV
from backend_stub.queues.store import SECRET_KEY
from tests.conftest import MONDAY_10, serving

ADMIN_TOKEN = "restart-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
QUEUE = "/queue/v1/locations"

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def _no_configured_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)


@pytest.fixture
def start_stub(tmp_path: Path) -> Callable[..., FastAPI]:
    """Start a stub on the test's one database file (again and again)."""
    url = f"sqlite:///{tmp_path / 'stub.sqlite3'}"

    def start(clock: FixedClock, **options: Any) -> FastAPI:
        return create_app(url, admin_token=ADMIN_TOKEN, clock=clock, **options)

    return start


async def draw(http: httpx.AsyncClient, slug: str = "ehrenfeld") -> dict[str, Any]:
    drawn = await http.post(f"{QUEUE}/{slug}/tickets", json={"serviceId": 1001})
    assert drawn.status_code == 201, drawn.text
    body: dict[str, Any] = drawn.json()
    return body


async def follow(http: httpx.AsyncClient, ticket: dict[str, Any]) -> dict[str, Any]:
    answer = await http.get(f"{QUEUE}/{ticket['location']}/tickets/{ticket['token']}")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def calls(http: httpx.AsyncClient, slug: str = "ehrenfeld") -> list[dict[str, Any]]:
    answer = await http.get(f"{QUEUE}/{slug}/calls")
    assert answer.status_code == 200, answer.text
    listed: list[dict[str, Any]] = answer.json()["calls"]
    return listed


async def test_a_ticket_drawn_before_a_restart_is_found_after_it(
    start_stub: Callable[..., FastAPI],
) -> None:
    clock = FixedClock(MONDAY_10)
    first = start_stub(clock, queue_speed=0)
    async with serving(first) as http:
        ticket = await draw(http)
        before = await follow(http, ticket)
        displayed = await calls(http)
    assert displayed, "the morning's walk-ins have been called already"

    second = start_stub(clock, queue_speed=0)
    async with serving(second) as http:
        after = await follow(http, ticket)
        assert after == before  # same number, status, place and estimate
        assert (after["number"], after["displayNumber"]) == (
            ticket["number"],
            ticket["displayNumber"],
        )
        assert await calls(http) == displayed
        # the same secret signs: the token printed before is genuine, and new ones match it
        assert second.state.queues.signer.sign("ehrenfeld", clock.now().date(), 1) == (
            first.state.queues.signer.sign("ehrenfeld", clock.now().date(), 1)
        )
        # numbering goes on after the numbers given before the restart
        assert (await draw(http))["number"] == ticket["number"] + 1


async def test_the_secret_is_made_once_and_kept_in_the_database(
    start_stub: Callable[..., FastAPI],
) -> None:
    clock = FixedClock(MONDAY_10)
    first = start_stub(clock)
    with Session(first.state.engine) as session:
        saved = session.get(StubSetting, SECRET_KEY)
    assert saved is not None and len(bytes.fromhex(saved.value)) == 32
    first.state.engine.dispose()
    second = start_stub(clock)
    with Session(second.state.engine) as session:
        again = session.get(StubSetting, SECRET_KEY)
    assert again is not None and again.value == saved.value
    second.state.engine.dispose()


async def test_the_queue_goes_on_as_if_the_stub_had_never_stopped(
    tmp_path: Path, start_stub: Callable[..., FastAPI]
) -> None:
    # One stub runs through the hour; another is stopped and started again in the middle:
    # at the end both tell the same about the same ticket and the same call display.
    steady_clock = FixedClock(MONDAY_10)
    steady = create_app(
        f"sqlite:///{tmp_path / 'steady.sqlite3'}", admin_token=ADMIN_TOKEN, clock=steady_clock
    )
    async with serving(steady) as http:
        mine = await draw(http)
        steady_clock.advance(timedelta(minutes=25))
        await follow(http, mine)
        steady_clock.advance(timedelta(minutes=35))
        expected, expected_calls = await follow(http, mine), await calls(http)

    clock = FixedClock(MONDAY_10)
    async with serving(start_stub(clock)) as http:
        ticket = await draw(http)
        assert ticket["number"] == mine["number"]
        clock.advance(timedelta(minutes=25))
        halfway = await follow(http, ticket)
    clock.advance(timedelta(minutes=35))  # while the stub is down, time goes on
    async with serving(start_stub(clock)) as http:
        final = await follow(http, ticket)
        assert final == expected
        assert await calls(http) == expected_calls
    assert final["status"] != "queued" or final["numbersAhead"] < halfway["numbersAhead"]


async def test_operator_choices_and_the_simulated_clock_survive_a_restart(
    start_stub: Callable[..., FastAPI],
) -> None:
    clock = FixedClock(MONDAY_10)
    async with serving(start_stub(clock)) as http:
        closed = await http.put("/admin/queues/kalk/open", json={"open": False}, headers=ADMIN)
        assert closed.json()["isOpen"] is False
        called = await http.post(
            "/admin/queues/ehrenfeld/call-next", json={"counter": 1}, headers=ADMIN
        )
        assert called.status_code == 200
        assert (await http.put("/admin/queues/speed", json={"speed": 0}, headers=ADMIN)).is_success
        stepped = await http.post("/admin/queues/advance", json={"minutes": 30}, headers=ADMIN)
        simulated = stepped.json()["simulatedTime"]
        displayed = await calls(http)

    clock.advance(timedelta(hours=1))  # paused: the simulation must not move
    restarted = start_stub(clock)  # no speed given: the saved one (paused) holds
    async with serving(restarted) as http:
        assert restarted.state.queues.clock.speed == 0
        assert restarted.state.queues.sim_now(clock.now()).isoformat() == simulated
        locations = {o["id"]: o for o in (await http.get(QUEUE)).json()["locations"]}
        assert locations["kalk"]["isOpen"] is False
        assert await calls(http) == displayed

    given = start_stub(clock, queue_speed=60)  # a speed given at start applies, without a jump
    async with serving(given) as http:
        assert given.state.queues.clock.speed == 60
        assert given.state.queues.sim_now(clock.now()).isoformat() == simulated


async def test_a_queue_is_saved_when_it_changed_and_only_then(
    start_stub: Callable[..., FastAPI],
) -> None:
    clock = FixedClock(MONDAY_10)
    app = start_stub(clock, queue_speed=0)
    engine = app.state.engine

    def saved() -> dict[str, str]:
        with Session(engine) as session:
            return {row.slug: row.state for row in session.exec(select(QueueSnapshot)).all()}

    async with serving(app) as http:
        await http.get(QUEUE)
        morning = saved()
        assert set(morning) == set(app.state.queues.slugs)  # the morning so far, every office
        await http.get(QUEUE)
        assert saved() == morning  # paused: nothing happened, nothing written
        await draw(http, "porz")
        after_draw = saved()
        changed = {slug for slug in after_draw if after_draw[slug] != morning[slug]}
        assert changed == {"porz"}
        assert len(json.loads(after_draw["porz"])["tickets"]) == (
            len(json.loads(morning["porz"])["tickets"]) + 1
        )


async def test_an_unreadable_saved_queue_starts_afresh(
    start_stub: Callable[..., FastAPI],
) -> None:
    clock = FixedClock(MONDAY_10)
    async with serving(start_stub(clock, queue_speed=0)) as http:
        ticket = await draw(http, "nippes")
        kept = await draw(http, "porz")
    broken = start_stub(clock, queue_speed=0)
    with Session(broken.state.engine) as session:
        row = session.get(QueueSnapshot, "nippes")
        assert row is not None
        row.state = json.dumps({"version": 1, "slug": "nippes", "tickets": "?"})
        session.add(row)
        session.commit()
    broken.state.engine.dispose()

    async with serving(start_stub(clock, queue_speed=0)) as http:
        # the day is simulated afresh (the same walk-ins), without the ticket drawn: no crash
        lost = await http.get(f"{QUEUE}/nippes/tickets/{ticket['token']}")
        assert lost.status_code == 404
        assert (await follow(http, kept))["number"] == kept["number"]


async def test_a_stub_started_again_at_the_same_clock_time_goes_on_from_where_it_stopped(
    start_stub: Callable[..., FastAPI],
) -> None:
    # `koeln-backend --clock 10:00` twice: the second run must not stand still (or start the
    # day over) until its clock has caught up with the first run's last half hour.
    clock = FixedClock(MONDAY_10)
    async with serving(start_stub(clock)) as http:
        ticket = await draw(http)
        clock.advance(timedelta(minutes=30))
        before = await follow(http, ticket)
    again = FixedClock(MONDAY_10)
    restarted = start_stub(again)
    async with serving(restarted) as http:
        assert restarted.state.queues.sim_now(again.now()) >= datetime.fromisoformat(before["asOf"])
        after = await follow(http, ticket)
        assert after["number"] == before["number"]
        assert after["asOf"] >= before["asOf"]
        assert after["numbersAhead"] <= before["numbersAhead"]
        again.advance(timedelta(minutes=5))  # and it runs on from there
        assert (await follow(http, ticket))["asOf"] > before["asOf"]
