"""Followed tickets: one waiting request per ticket for everybody, alerts to their person only."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from services.clock import FixedClock
from services.local_store import open_store
from services.long_poll import MIN_GAP
from services.people import new_person_id
from services.waiting_times.queue import QueueClient
from services.waiting_times.ticket_link import TicketRef
from services.waiting_times.tickets import Alert, FollowedTickets

ANNA, BERT, CARL = new_person_id(), new_person_id(), new_person_id()
TOKEN = "20261005.7.signature"

pytestmark = pytest.mark.anyio


class QueueServer:
    """One ticket's status; with `waits`, a request naming the current ETag is held until the
    status changes (long polling), as the stub does."""

    def __init__(self, *, waits: bool) -> None:
        self.waits = waits
        self.plain = 0  # requests that did not ask to wait
        self.waiting = 0  # waiting requests received
        self.status = "queued"
        self._changed = asyncio.Event()

    def call(self) -> None:
        self.status = "called"
        self._changed.set()

    def body(self) -> bytes:
        return json.dumps(
            {
                "number": 7,
                "displayNumber": "A007",
                "status": self.status,
                "numbersAhead": 5 if self.status == "queued" else 0,
                "waitingTimeEstimate": 12,
                "counter": 3 if self.status == "called" else None,
                "location": "kalk",
            }
        ).encode()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == f"/queue/v1/locations/kalk/tickets/{TOKEN}"
        etag = f'"{self.status}"'
        if "Prefer" not in request.headers:
            self.plain += 1
            return httpx.Response(200, content=self.body(), headers={"ETag": etag})
        self.waiting += 1
        if not self.waits:
            return httpx.Response(200, content=self.body(), headers={"ETag": etag})
        applied = {"Preference-Applied": "wait=25"}
        if request.headers.get("If-None-Match") == etag:
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), 25)
            except TimeoutError:
                return httpx.Response(304, headers={"ETag": etag, **applied})
        headers = {"ETag": f'"{self.status}"', **applied}
        return httpx.Response(200, content=self.body(), headers=headers)


async def settle() -> None:
    """Long enough for an answer and the next request (which waits `MIN_GAP` after a quick one)."""
    await asyncio.sleep(MIN_GAP + 0.3)


async def test_one_waiting_request_per_ticket_whoever_watches_and_the_call_arrives_at_once(
    tmp_path: Path, clock: FixedClock
) -> None:
    server = QueueServer(waits=True)
    client = QueueClient("http://queue.test/queue/v1", transport=httpx.MockTransport(server))
    tickets = FollowedTickets(open_store(tmp_path, now=clock.now()), client, clock)
    heard: dict[str, list[list[Alert]]] = {"anna-1": [], "anna-2": [], "bert": [], "carl": []}
    unwatch = [
        tickets.watch(ANNA, lambda _n: None, heard["anna-1"].append),
        tickets.watch(ANNA, lambda _n: None, heard["anna-2"].append),  # a second tab
        tickets.watch(BERT, lambda _n: None, heard["bert"].append),
        tickets.watch(CARL, lambda _n: None, heard["carl"].append),  # follows nothing
    ]
    # Anna and Bert (a family member) follow the same paper ticket
    tickets.follow(ANNA, TicketRef("kalk", TOKEN))
    tickets.follow(BERT, TicketRef("kalk", TOKEN))
    await settle()
    # the first answer came at once; the second request is held by the server
    assert tickets.waiting() == 1 and server.waiting == 2 and server.plain == 0
    assert all(t.status and t.status.status == "queued" for t in tickets.all(ANNA))

    server.call()  # the counter calls the number: the held request answers now
    await settle()
    assert server.waiting == 3 and server.plain == 0  # no polling round was needed
    for session in ("anna-1", "anna-2", "bert"):
        assert [[a.kind for a in alerts] for alerts in heard[session]] == [["called"]]
    assert heard["carl"] == []
    assert {a.ticket_id for alerts in heard["anna-1"] for a in alerts} == {
        t.id for t in tickets.all(ANNA)
    }

    for stop in unwatch:
        stop()
    await settle()
    assert tickets.waiting() == 0 and len(tickets.alerts) == 0 and len(tickets.changes) == 0
    assert tickets.watched() == set()
    await tickets.refresh(force=True)  # nobody has a session open: nobody is asked for
    assert server.plain == 0
    await client.aclose()


async def test_a_server_that_does_not_wait_is_polled_and_a_catch_up_asks_once(
    tmp_path: Path, clock: FixedClock
) -> None:
    server = QueueServer(waits=False)  # the city's own system may not know `Prefer: wait`
    client = QueueClient("http://queue.test/queue/v1", transport=httpx.MockTransport(server))
    tickets = FollowedTickets(open_store(tmp_path, now=clock.now()), client, clock)
    tickets.poll_every = 0.05
    alerts: list[list[Alert]] = []
    stop = tickets.watch(ANNA, lambda _n: None, alerts.append)
    tickets.follow(ANNA, TicketRef("kalk", TOKEN))
    await settle()
    assert server.waiting >= 2  # asked again after `poll_every`, not held
    server.call()
    await settle()
    assert [[a.kind for a in found] for found in alerts] == [["called"]]

    await tickets.refresh(ANNA)  # a phone came back: one plain request brings it up to date
    await tickets.refresh(ANNA)  # asked moments ago: not again
    assert server.plain <= 1
    stop()
    await settle()
    assert tickets.waiting() == 0
    await client.aclose()
