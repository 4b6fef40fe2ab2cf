"""The outbox: stored first, delivered once, retried with backoff, refused writes kept visible."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from services.clock import FixedClock
from services.connectivity import Connectivity
from services.errors import Offline, RateLimited, Rejected
from services.hub import AppServices
from services.local_store import open_store
from services.outbox import Outbox, backoff
from tests.conftest import ADMIN_TOKEN, STUB

pytestmark = pytest.mark.anyio


class Receiver:
    """Plays the server: fails as told, records what arrived."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.received: list[tuple[dict[str, Any], str]] = []

    async def __call__(self, payload: dict[str, Any], key: str) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.received.append((payload, key))


def test_backoff_doubles_up_to_a_cap() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert backoff(50) == timedelta(minutes=30)


async def test_delivers_and_forgets(tmp_path: Path, clock: FixedClock) -> None:
    receiver = Receiver()
    outbox = Outbox(open_store(tmp_path, now=clock.now()), clock, {"note": receiver})
    key = outbox.enqueue("note", {"text": "hallo"})
    result = await outbox.flush()
    assert (result.delivered, result.pending) == (1, 0)
    assert receiver.received == [({"text": "hallo"}, key)]
    assert (await outbox.flush()).delivered == 0  # nothing twice


async def test_offline_keeps_it_queued_with_backoff(tmp_path: Path, clock: FixedClock) -> None:
    receiver = Receiver(Offline("no net"), Offline("no net"))
    store = open_store(tmp_path, now=clock.now())
    outbox = Outbox(store, clock, {"note": receiver})
    key = outbox.enqueue("note", {"n": 1})
    assert (await outbox.flush()).pending == 1
    assert (await outbox.flush()).delivered == 0  # not due before the backoff has passed
    clock.advance(timedelta(seconds=10))
    assert (await outbox.flush()).pending == 1  # second failure, now 20 s
    clock.advance(timedelta(seconds=20))
    assert (await outbox.flush()).delivered == 1
    assert receiver.received == [({"n": 1}, key)]


async def test_survives_a_restart(tmp_path: Path, clock: FixedClock) -> None:
    first = Outbox(open_store(tmp_path, now=clock.now()), clock, {"note": Receiver(Offline("x"))})
    key = first.enqueue("note", {"n": 2})
    await first.flush()
    clock.advance(timedelta(minutes=1))
    receiver = Receiver()
    second = Outbox(open_store(tmp_path, now=clock.now()), clock, {"note": receiver})
    assert second.pending_count() == 1
    await second.flush()
    assert receiver.received == [({"n": 2}, key)]


async def test_a_restarted_app_sends_at_once_what_waited_out_a_backoff(
    tmp_path: Path, clock: FixedClock
) -> None:
    failing = Receiver(*[Offline("x")] * 5)
    first = Outbox(open_store(tmp_path, now=clock.now()), clock, {"note": failing})
    key = first.enqueue("note", {"n": 3})
    for _ in range(5):  # five failures: the next try is minutes away
        clock.advance(backoff(5))
        await first.flush()
    assert not failing.failures and first.pending_count() == 1
    receiver = Receiver()
    second = Outbox(open_store(tmp_path, now=clock.now()), clock, {"note": receiver})
    assert (await second.flush()).delivered == 1  # its first flush: no waiting
    assert receiver.received == [({"n": 3}, key)]


async def test_everything_waiting_is_sent_when_the_connection_comes_back(
    tmp_path: Path, clock: FixedClock
) -> None:
    receiver = Receiver(Offline("x"))
    outbox = Outbox(open_store(tmp_path, now=clock.now()), clock, {"note": receiver})
    connectivity = Connectivity()
    outbox.send_when_back(connectivity)
    connectivity.report("participation", Offline("x"))
    key = outbox.enqueue("note", {"n": 4})
    await outbox.flush()  # fails: the next try is 10 s away
    assert outbox.pending_count() == 1
    connectivity.report("participation", None)  # a call got through: back online
    for _ in range(50):
        if not outbox.pending_count():
            break
        await anyio.sleep(0.01)
    assert receiver.received == [({"n": 4}, key)]


async def test_a_server_that_asked_to_wait_is_waited_for_also_when_back_online(
    tmp_path: Path, clock: FixedClock
) -> None:
    receiver = Receiver(RateLimited("slow down", retry_after=600))
    outbox = Outbox(open_store(tmp_path, now=clock.now()), clock, {"note": receiver})
    outbox.enqueue("note", {"n": 5})
    await outbox.flush()  # 429: come back in ten minutes
    assert (await outbox.flush(everything=True)).delivered == 0
    clock.advance(timedelta(minutes=10))
    assert (await outbox.flush(everything=True)).delivered == 1


async def test_a_refused_write_is_kept_as_failed(tmp_path: Path, clock: FixedClock) -> None:
    outbox = Outbox(
        open_store(tmp_path, now=clock.now()), clock, {"note": Receiver(Rejected("422"))}
    )
    outbox.enqueue("note", {"n": 3})
    result = await outbox.flush()
    assert (result.failed, result.pending) == (1, 0)
    assert [item.last_error for item in outbox.failed()] == ["422"]


async def test_barrier_report_reaches_the_stub_exactly_once(
    services: AppServices, stub_transport: httpx.ASGITransport
) -> None:
    key = services.report_barrier(None, "settings", "Der Kontrast ist zu schwach.")
    await services.outbox.flush()
    # The response got lost: the same key is sent again and the server recognises it.
    await services.clients.participation.send_barrier_report(
        {"screen": "settings", "message": "Der Kontrast ist zu schwach."}, key
    )
    async with httpx.AsyncClient(transport=stub_transport, base_url=STUB) as admin:
        response = await admin.get(
            "/admin/status", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
        )
    assert response.json()["barrier_reports"] == 1
    assert services.outbox.pending_count() == 0
