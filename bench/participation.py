"""A KölnDigital workshop of 300 participants answering a survey, against the stub on PostgreSQL
with 2 uvicorn workers (SQLite, with a note, when PostgreSQL is not installed).

1. The workshop: 300 participants arrive spread over two minutes (`--window`); each reads the
   survey as the app does and sends a full response with its own device token and idempotency
   key; one in ten sends it again with the same key, as an app does after a lost answer.
   Printed: errors (goal 0), answers counted (goal exactly 300), p95 latency of a submission.
2. The moderator says "send now": the same 300 submit at once (to the second seed survey).
   Printed: submissions per second and p95 latency, against a bare route on the same server
   (a POST of the same body answered with a receipt-sized JSON, no database) posted to by 300
   clients at once: the ratios are what counting a response once costs on top of serving it.

The server runs as its own process (`uvicorn --workers 2` on a factory building the stub, as a
city would run it); the schema and seed are made once before the workers start. Nothing is
asserted about time.

    .venv/bin/python bench/participation.py [--participants 300] [--window 120]
        [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.embedded_backend import free_port
from bench.serving import start_server

BASE = "/participation/v1"
BARE = "/bench/bare"
WORKSHOP = "smart-city-sensoren"
BURST = "offene-daten"
URL_ENV = "KOELN_BENCH_DATABASE_URL"
ORDER = ["sensoren", "wlan", "zwilling", "schulen"]


def factory() -> Any:
    """The stub plus the bare route (built in each uvicorn worker)."""
    from fastapi import Response

    from backend_stub.main import create_app

    app = create_app(os.environ[URL_ENV], zms_rate_limit=10**9)
    receipt = (
        b'{"survey_id":"offene-daten","receipt":"AAAAAAAAAAAAAAAA",'
        b'"received_at":"2026-11-23T09:00:00Z","counted":true}'
    )

    @app.post(BARE)
    async def bare() -> Response:
        return Response(receipt, status_code=201, media_type="application/json")

    return app


def serve(port: int, workers: int) -> None:
    """uvicorn with `workers` processes on the factory (runs in the child)."""
    import uvicorn

    uvicorn.run(
        "bench.participation:factory",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="error",
        access_log=False,
        backlog=2048,
    )


@contextlib.contextmanager
def database(given: str, folder: Path) -> Iterator[tuple[str, str]]:
    """The database URL and its name: the given one, else a throwaway PostgreSQL server, else
    a SQLite file (with a note)."""
    if given:
        yield given, "PostgreSQL" if "postgres" in given else "SQLite"
        return
    from tests.postgres import postgres_bindir, running_postgres

    if postgres_bindir() is None:
        print("note: PostgreSQL is not installed (apt-get install postgresql); using SQLite")
        yield f"sqlite:///{folder / 'bench.sqlite3'}", "SQLite"
        return
    with running_postgres() as server:
        name = server.create_database("koeln_bench")
        yield server.url(name), "PostgreSQL"


def prepare(database_url: str) -> None:
    """Schema and seed, once, before the workers start (they would race to seed)."""
    from backend_stub.main import create_app

    create_app(database_url).state.engine.dispose()


def workshop_body(device: str, rng: random.Random) -> dict[str, Any]:
    order = ORDER[:]
    rng.shuffle(order)
    return {
        "device_token": device,
        "answers": [
            {"question": "reihenfolge", "ranking": order},
            {"question": "sensordaten_helfen", "value": rng.randint(1, 5)},
            {
                "question": "orte",
                "choices": rng.sample(["rhein", "schulen", "parks", "verkehr"], 2),
            },
        ],
    }


def burst_body(device: str, rng: random.Random) -> dict[str, Any]:
    work = rng.random() < 0.3
    answers: list[dict[str, Any]] = [
        {
            "question": "wichtigkeit",
            "values": {s: rng.randint(1, 5) for s in ("verkehr", "umwelt", "haushalt", "bauen")},
        },
        {"question": "nutzung", "choice": "beruflich" if work else "privat"},
        {"question": "ki_plattform", "choice": rng.choice(["ja", "nein", "weiss_nicht"])},
    ]
    if work:
        answers.insert(2, {"question": "wofuer", "text": "Verkehrsplanung im Büro"})
    return {"device_token": device, "answers": answers}


class Tally:
    """Latencies and failures of one run."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: list[str] = []

    async def post(self, http: httpx.AsyncClient, path: str, body: Any, key: str) -> None:
        start = time.perf_counter()
        try:
            answer = await http.post(path, json=body, headers={"Idempotency-Key": key})
        except httpx.HTTPError as error:
            self.errors.append(type(error).__name__)
            return
        self.latencies.append(time.perf_counter() - start)
        if answer.status_code not in (200, 201):
            self.errors.append(f"{answer.status_code} {answer.text[:120]}")

    def p95(self) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=20)[18]


def client(url: str, n: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    return httpx.AsyncClient(base_url=url, limits=limits, timeout=120)


async def workshop(url: str, participants: int, window: float, seed: int) -> Tally:
    """Participants arriving spread over `window` seconds; one in ten resends."""
    rng = random.Random(seed)
    tally = Tally()
    starts = sorted(rng.uniform(0, window) for _ in range(participants))
    async with client(url, participants) as http:
        began = time.perf_counter()

        async def person(at: float, n: int) -> None:
            await asyncio.sleep(max(0.0, at - (time.perf_counter() - began)))
            try:
                (await http.get(f"{BASE}/surveys/{WORKSHOP}")).raise_for_status()
            except httpx.HTTPError as error:
                tally.errors.append(f"read: {error}")
            body, key = workshop_body(f"device-{uuid.uuid4().hex}", rng), uuid.uuid4().hex
            await tally.post(http, f"{BASE}/surveys/{WORKSHOP}/responses", body, key)
            if n % 10 == 0:  # the answer was lost on the way: the app sends again
                await tally.post(http, f"{BASE}/surveys/{WORKSHOP}/responses", body, key)

        await asyncio.gather(*(person(at, n) for n, at in enumerate(starts)))
    return tally


async def burst(url: str, path: str, participants: int, seed: int) -> tuple[Tally, float]:
    """Everybody at once; submissions per second."""
    rng = random.Random(seed)
    bodies = [burst_body(f"device-{uuid.uuid4().hex}", rng) for _ in range(participants)]
    tally = Tally()
    async with client(url, participants) as http:
        (await http.get("/health")).raise_for_status()  # a warm connection pool is no help
        start = time.perf_counter()
        await asyncio.gather(*(tally.post(http, path, b, uuid.uuid4().hex) for b in bodies))
        elapsed = time.perf_counter() - start
    return tally, participants / elapsed


def counted(url: str, survey: str) -> int:
    results = httpx.get(f"{url}{BASE}/surveys/{survey}/results", timeout=30).json()
    return int(results["responses"])


def main() -> None:
    """Run the workshop and the burst and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--window", type=float, default=120.0, help="seconds of arrivals")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.workers)
        return
    with (
        tempfile.TemporaryDirectory() as tmp,
        database(args.database_url, Path(tmp)) as (
            url,
            kind,
        ),
    ):
        prepare(url)
        process, base = start_server(
            lambda port: [
                sys.executable,
                __file__,
                "--serve",
                str(port),
                "--workers",
                str(args.workers),
            ],
            free_port,
            env={**os.environ, URL_ENV: url},
            timeout=90,
        )
        try:
            work = asyncio.run(workshop(base, args.participants, args.window, args.seed))
            work_counted = counted(base, WORKSHOP)
            bare, bare_rate = asyncio.run(burst(base, BARE, args.participants, args.seed))
            rush, rush_rate = asyncio.run(
                burst(base, f"{BASE}/surveys/{BURST}/responses", args.participants, args.seed)
            )
            rush_counted = counted(base, BURST)
        finally:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            if process.poll() is None:
                process.kill()
    n = args.participants
    print(f"database: {kind}, {args.workers} uvicorn workers, {n} participants")
    print(
        f"workshop, arrivals over {args.window:g} s (1 in 10 sends twice): "
        f"errors {len(work.errors)}, counted {work_counted} of {n} "
        f"({'exactly' if work_counted == n else 'NOT'} once each), "
        f"p95 {work.p95() * 1000:.0f} ms"
    )
    bare_p95, rush_p95 = bare.p95() * 1000, rush.p95() * 1000
    print(f"bare route, {n} at once           {bare_rate:8.0f} req/s   p95 {bare_p95:6.0f} ms")
    print(
        f"submissions, {n} at once          {rush_rate:8.0f} req/s   p95 {rush_p95:6.0f} ms"
        f"   ratio to bare {rush_rate / bare_rate:5.2f} (p95 x{rush_p95 / max(bare_p95, 1e-6):.1f})"
    )
    print(
        f"  errors {len(rush.errors)}, counted {rush_counted} of {n} "
        f"({'exactly' if rush_counted == n else 'NOT'} once each)"
    )
    for error in (work.errors + rush.errors + bare.errors)[:5]:
        print(f"  error: {error}")


if __name__ == "__main__":
    main()
