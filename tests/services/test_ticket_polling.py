"""Followed tickets: asked for once per round for everybody, alerts to their person only."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from services.clock import FixedClock
from services.local_store import open_store
from services.people import new_person_id
from services.waiting_times.queue import QueueClient
from services.waiting_times.ticket_link import TicketRef
from services.waiting_times.tickets import Alert, FollowedTickets

ANNA, BERT, CARL = new_person_id(), new_person_id(), new_person_id()
TOKEN = "20261005.7.signature"


class QueueServer:
    """A queue that answers one ticket's status and counts how often it was asked."""

    def __init__(self) -> None:
        self.asked = 0
        self.status = "queued"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == f"/queue/v1/locations/kalk/tickets/{TOKEN}"
        self.asked += 1
        body = {
            "number": 7,
            "displayNumber": "A007",
            "status": self.status,
            "numbersAhead": 5 if self.status == "queued" else 0,
            "waitingTimeEstimate": 12,
            "counter": 3 if self.status == "called" else None,
            "location": "kalk",
        }
        return httpx.Response(200, content=json.dumps(body))


@pytest.mark.anyio
async def test_one_request_per_ticket_and_round_whoever_watches(
    tmp_path: Path, clock: FixedClock
) -> None:
    server = QueueServer()
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

    await tickets.refresh()
    assert server.asked == 1
    await tickets.refresh()  # a second round right away: asked moments ago, not again
    assert server.asked == 1

    server.status = "called"
    await tickets.refresh(force=True)
    assert server.asked == 2
    for session in ("anna-1", "anna-2", "bert"):
        assert [[a.kind for a in alerts] for alerts in heard[session]] == [["called"]]
    assert heard["carl"] == []
    assert {a.ticket_id for alerts in heard["anna-1"] for a in alerts} == {
        t.id for t in tickets.all(ANNA)
    }

    for stop in unwatch:
        stop()
    assert len(tickets.alerts) == 0 and len(tickets.changes) == 0
    assert tickets.watched() == set()
    await tickets.refresh(force=True)  # nobody has a session open: nobody is asked for
    assert server.asked == 2
    await client.aclose()
