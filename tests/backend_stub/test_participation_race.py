"""Many submissions at once through a real uvicorn server, on SQLite and PostgreSQL: the same
idempotency key counts once (every other gets the same receipt), the same device counts once
(every other is refused with 409), and many people at once are all counted, each once; also
with two uvicorn worker processes on one database.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, func, select

from backend_stub.clock import FixedClock
from backend_stub.main import create_app
from backend_stub.participation.models import Answer, Ballot
from tests.backend_stub.serving import Served, serving
from tests.postgres import free_port

MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CLIENTS = 40
SURVEY = "smart-city-sensoren"
PATH = f"/participation/v1/surveys/{SURVEY}/responses"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.anyio


@pytest.fixture
def served(stub_database_url: str) -> Iterator[Served]:
    """The stub on the test's database, served by uvicorn in a thread until the test ends."""
    app = create_app(stub_database_url, clock=FixedClock(MONDAY_10), queue_speed=0)
    with serving(app) as served:
        yield served


def body(device: str, first: str = "wlan") -> dict[str, Any]:
    order = [first, *[o for o in ("sensoren", "wlan", "zwilling", "schulen") if o != first]]
    return {
        "device_token": device,
        "answers": [
            {"question": "reihenfolge", "ranking": order},
            {"question": "sensordaten_helfen", "value": 4},
            {"question": "orte", "choices": ["rhein", "schulen"]},
        ],
    }


def counted(app: FastAPI) -> tuple[int, int]:
    with Session(app.state.engine) as session:
        ballots = session.exec(select(func.count()).select_from(Ballot)).one()
        answers = session.exec(select(func.count()).select_from(Answer)).one()
    return ballots, answers


async def race(url: str, requests: list[tuple[dict[str, Any], str]]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=CLIENTS + 5, max_keepalive_connections=CLIENTS + 5)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        return list(
            await asyncio.gather(
                *(http.post(PATH, json=b, headers={"Idempotency-Key": k}) for b, k in requests)
            )
        )


async def test_one_key_sent_forty_times_at_once_counts_once(served: Served) -> None:
    device = "device-" + uuid.uuid4().hex
    answers = await race(served.url, [(body(device), "same-key-0001")] * CLIENTS)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * (CLIENTS - 1) + [201], [a.text for a in answers]
    assert len({a.json()["receipt"] for a in answers}) == 1
    assert counted(served.app) == (1, 3)


async def test_one_device_under_forty_keys_at_once_counts_once(served: Served) -> None:
    device = "device-" + uuid.uuid4().hex
    requests = [(body(device), f"key-{n:04d}-{uuid.uuid4().hex}") for n in range(CLIENTS)]
    answers = await race(served.url, requests)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * (CLIENTS - 1), [a.text for a in answers]
    assert {a.json()["detail"]["code"] for a in answers if a.status_code == 409} == {
        "already_answered"
    }
    assert counted(served.app) == (1, 3)


async def test_forty_people_at_once_each_count_once(served: Served) -> None:
    requests = [
        (body(f"device-{uuid.uuid4().hex}", ("wlan", "sensoren")[n % 2]), uuid.uuid4().hex)
        for n in range(CLIENTS)
    ]
    # everybody sends twice at once, as an app retrying after a lost answer would
    answers = await race(served.url, requests + requests)
    assert sorted(a.status_code for a in answers) == [200] * CLIENTS + [201] * CLIENTS
    assert counted(served.app) == (CLIENTS, 3 * CLIENTS)
    async with httpx.AsyncClient(base_url=served.url) as http:
        results = (await http.get(f"/participation/v1/surveys/{SURVEY}/results")).json()
    assert results["responses"] == CLIENTS
    ranking = {r["id"]: r for r in results["questions"][0]["ranking"]}
    assert ranking["wlan"]["first"] == ranking["sensoren"]["first"] == CLIENTS // 2


def test_two_uvicorn_workers_count_each_person_once(stub_database_url: str) -> None:
    """As a city runs it: `uvicorn --workers 2` on one database; forty people send twice at
    once, and one device tries under forty keys: each counts once."""
    app = create_app(stub_database_url, clock=FixedClock(MONDAY_10), queue_speed=0)
    app.state.engine.dispose()  # schema and seed made once, before the workers start
    port = free_port()
    env = {**os.environ, "KOELN_BENCH_DATABASE_URL": stub_database_url, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "bench.participation:factory",
        "--workers", "2", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "uvicorn did not start"
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        # the real clock: the seed's surveys opened a day before it was made, so they are open
        people = [(body(f"device-{uuid.uuid4().hex}"), uuid.uuid4().hex) for _ in range(CLIENTS)]
        device = f"device-{uuid.uuid4().hex}"
        one = [(body(device), uuid.uuid4().hex) for _ in range(CLIENTS)]
        answers = asyncio.run(race(url, people + people + one))
        statuses = [a.status_code for a in answers]
        assert sorted(statuses[: 2 * CLIENTS]) == [200] * CLIENTS + [201] * CLIENTS, [
            a.text for a in answers if a.status_code >= 400
        ]
        assert sorted(statuses[2 * CLIENTS :]) == [201] + [409] * (CLIENTS - 1)
        results = httpx.get(f"{url}/participation/v1/surveys/{SURVEY}/results", timeout=10)
        assert results.json()["responses"] == CLIENTS + 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
