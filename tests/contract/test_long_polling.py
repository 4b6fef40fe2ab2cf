"""The queue API's waiting requests (long polling with `Prefer: wait` and `If-None-Match`):
held until the state changes, answered at once when the ETag is stale, released with a 304
after their time, and the plain request unchanged."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from backend_stub.main import create_app
from services.clock import FixedClock
from tests.conftest import ADMIN_TOKEN, AT_MONDAY_10, STUB

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}

pytestmark = [pytest.mark.anyio, pytest.mark.clock(AT_MONDAY_10)]


@pytest.fixture
def short_wait_app(tmp_path, clock: FixedClock) -> FastAPI:  # type: ignore[no-untyped-def]
    """The stub with requests held one second at most (so a timeout is quick to see)."""
    return create_app(
        f"sqlite:///{tmp_path / 'stub.sqlite3'}", admin_token=ADMIN_TOKEN, clock=clock, max_wait=1
    )


@pytest.fixture
async def http(stub_transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=stub_transport, base_url=STUB) as client:
        yield client


async def a_ticket(http: httpx.AsyncClient) -> tuple[str, dict]:  # type: ignore[type-arg]
    await http.put("/admin/queues/speed", json={"speed": 0}, headers=ADMIN)
    await http.put("/admin/queues/kalk/open", json={"open": True}, headers=ADMIN)
    drawn = (await http.post("/queue/v1/locations/kalk/tickets", json={"serviceId": 1002})).json()
    path = f"/queue/v1/locations/kalk/tickets/{drawn['token']}"
    return path, drawn


async def stats(http: httpx.AsyncClient) -> dict[str, int]:
    return (await http.get("/admin/queues/waiting", headers=ADMIN)).json()  # type: ignore[no-any-return]


async def test_the_plain_request_is_answered_at_once_as_before(http: httpx.AsyncClient) -> None:
    path, _drawn = await a_ticket(http)
    first = await http.get(path)
    assert first.status_code == 200 and "Preference-Applied" not in first.headers
    again = await http.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and "Preference-Applied" not in again.headers


async def test_a_stale_etag_is_answered_at_once(http: httpx.AsyncClient) -> None:
    path, _drawn = await a_ticket(http)
    answer = await http.get(path, headers={"If-None-Match": '"old"', "Prefer": "wait=25"})
    assert answer.status_code == 200 and answer.headers["Preference-Applied"] == "wait=25"
    assert (await stats(http))["woken"] == 0


async def test_a_waiting_request_is_held_until_the_ticket_changes(
    http: httpx.AsyncClient,
) -> None:
    path, drawn = await a_ticket(http)
    etag = (await http.get(path)).headers["ETag"]
    waiting = asyncio.create_task(
        http.get(path, headers={"If-None-Match": etag, "Prefer": "wait=25"})
    )
    await asyncio.sleep(0.5)
    assert not waiting.done() and (await stats(http))["held"] == 1  # held, no thread for it
    for _ in range(drawn["numbersAhead"] + 1):  # the counter calls until it is this ticket
        await http.post("/admin/queues/kalk/call-next", json={"counter": 1}, headers=ADMIN)
    answer = await asyncio.wait_for(waiting, 5)
    assert answer.status_code == 200 and answer.headers["Preference-Applied"] == "wait=25"
    assert answer.json()["status"] in ("queued", "called") and answer.headers["ETag"] != etag
    after = await stats(http)
    assert after["held"] == 0 and after["woken"] >= 1


async def test_the_call_display_waits_for_the_next_call(http: httpx.AsyncClient) -> None:
    await a_ticket(http)
    path = "/queue/v1/locations/kalk/calls"
    etag = (await http.get(path)).headers["ETag"]
    waiting = asyncio.create_task(
        http.get(path, headers={"If-None-Match": etag, "Prefer": "wait=20"})
    )
    await asyncio.sleep(0.5)
    assert not waiting.done()
    called = await http.post("/admin/queues/kalk/call-next", json={"counter": 2}, headers=ADMIN)
    answer = await asyncio.wait_for(waiting, 5)
    assert answer.status_code == 200
    first = answer.json()["calls"][0]
    assert (first["displayNumber"], first["counter"]) == (
        called.json()["called"]["displayNumber"],
        2,
    )


async def test_a_held_request_is_released_with_304_after_its_time(
    short_wait_app: FastAPI,
) -> None:
    transport = httpx.ASGITransport(app=short_wait_app)
    async with httpx.AsyncClient(transport=transport, base_url=STUB) as http:
        path, _drawn = await a_ticket(http)
        etag = (await http.get(path)).headers["ETag"]
        answer = await http.get(path, headers={"If-None-Match": etag, "Prefer": "wait=25"})
        assert answer.status_code == 304 and answer.headers["ETag"] == etag
        assert answer.headers["Preference-Applied"] == "wait=1"  # the stub's most
        assert (await stats(http))["timed_out"] == 1


async def test_a_refused_ticket_is_refused_at_once_even_when_asked_to_wait(
    http: httpx.AsyncClient,
) -> None:
    answer = await http.get(
        "/queue/v1/locations/kalk/tickets/forged.token", headers={"Prefer": "wait=25"}
    )
    assert answer.status_code == 404 and answer.json()["errors"][0]["errorCode"] == "ticketNotFound"


async def test_a_stopping_stub_answers_its_held_requests_at_once(
    http: httpx.AsyncClient, stub_app: FastAPI
) -> None:
    path, _drawn = await a_ticket(http)
    etag = (await http.get(path)).headers["ETag"]
    waiting = asyncio.create_task(
        http.get(path, headers={"If-None-Match": etag, "Prefer": "wait=25"})
    )
    await asyncio.sleep(0.3)
    stub_app.state.waiting.release_all()  # what the server does on SIGTERM
    answer = await asyncio.wait_for(waiting, 2)
    assert answer.status_code == 304 and answer.headers["Preference-Applied"] == "wait=25"
