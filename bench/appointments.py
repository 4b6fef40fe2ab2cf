"""The stub's ZMS appointment routes under load, against a bare FastAPI route on the same server.

1. `available-calendar` for eight weeks and all nine Kundenzentren (the largest calendar the app
   asks for), against a bare route answering a JSON body of the same size that was built once:
   the ratio is what computing the calendar costs on top of serving its bytes.
2. Reservations under the 50-way race: 50 clients at once each try to reserve the same list of
   free start times in the same order, so every time is fought over by all 50 and exactly one
   wins; against a bare route answering as much as a reservation, posted to by 50 clients at
   once through the same client code. Printed: reservations (winners) and attempts per second,
   the ratio of attempts to bare requests, and whether every time had exactly one winner.

The stub runs in its own process (uvicorn, as `koeln-backend` runs it) on a fixed clock with
the rate limit lifted; the clients run here. Rounds are interleaved, so a noisy machine affects
both sides alike. Nothing is asserted about time.

    .venv/bin/python bench/appointments.py [--requests 200] [--rounds 3] [--slots 100]
        [--clients 50] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.embedded_backend import free_port
from backend_stub.clock import CITY_TZ, FixedClock, parse_clock
from backend_stub.seed_data import KUNDENZENTREN
from bench.serving import start_server

ROOT = Path(__file__).resolve().parent.parent
ZMS = "/terminvereinbarung/api/citizen"
BARE = "/bench/bare"
BARE_SMALL = "/bench/bare-small"  # as large as a reservation's answer
PROCESS_SIZE = 1600
CLOCK = "2026-11-23T08:00"  # a Monday morning, Cologne time
OFFICE_IDS = [10001 + index for index in range(len(KUNDENZENTREN))]
ID_CARD = 1001
REGISTRATION = 1003  # one slot: the most start times to fight over


def calendar_params() -> dict[str, str]:
    """Eight weeks, every Kundenzentrum, an ID card."""
    today = parse_clock(CLOCK).astimezone(CITY_TZ).date()
    return {
        "startDate": today.isoformat(),
        "endDate": (today + timedelta(days=56)).isoformat(),
        "officeIds": ",".join(map(str, OFFICE_IDS)),
        "serviceIds": str(ID_CARD),
    }


def serve(port: int, database_url: str, body_size: int) -> None:
    """The stub plus a bare route answering `body_size` bytes of JSON (runs in the child)."""
    import uvicorn
    from fastapi import Response

    from backend_stub.main import create_app

    app = create_app(database_url, clock=FixedClock(parse_clock(CLOCK)), zms_rate_limit=10**9)
    numbers = list(range(1_795_000_000, 1_795_000_000 + body_size // 11))
    body = json.dumps({"appointments": numbers}).encode()

    small = json.dumps({"text": "x" * PROCESS_SIZE}).encode()

    @app.get(BARE)
    async def bare() -> Response:
        return Response(body, media_type="application/json")

    @app.post(BARE_SMALL)
    async def bare_small() -> Response:
        return Response(small, media_type="application/json")

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", backlog=512)


def start_stub(database_url: str, body_size: int) -> tuple[subprocess.Popen[bytes], str]:
    """This script again, as the server, on a free port; waits until it answers."""
    return start_server(
        lambda port: [
            sys.executable,
            __file__,
            "--serve",
            str(port),
            "--database-url",
            database_url,
            "--body-size",
            str(body_size),
        ],
        free_port,
        timeout=60,
    )


def sequential_rate(client: httpx.Client, path: str, params: dict[str, str], n: int) -> float:
    """Requests per second for `n` GETs one after the other."""
    start = time.perf_counter()
    for _ in range(n):
        client.get(path, params=params).raise_for_status()
    return n / (time.perf_counter() - start)


async def concurrent_bare(url: str, clients: int, each: int) -> float:
    """Requests per second of the small bare route with `clients` posting at once."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as http:

        async def one() -> None:
            for _ in range(each):
                body = {"officeId": 10001, "serviceId": [REGISTRATION], "timestamp": 0}
                (await http.post(BARE_SMALL, json=body)).raise_for_status()

        start = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(clients)))
        return clients * each / (time.perf_counter() - start)


async def race(url: str, times: list[tuple[int, int]], clients: int) -> dict[str, float]:
    """`clients` at once, each reserving every one of `times` in order."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    winners: dict[tuple[int, int], int] = {}
    failures = 0
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as http:

        async def person() -> None:
            nonlocal failures
            for office, moment in times:
                body = {"officeId": office, "serviceId": [REGISTRATION], "timestamp": moment}
                answer = await http.post(f"{ZMS}/reserve-appointment/", json=body)
                if answer.status_code == 200:
                    winners[(office, moment)] = winners.get((office, moment), 0) + 1
                elif answer.status_code != 404:
                    failures += 1

        start = time.perf_counter()
        await asyncio.gather(*(person() for _ in range(clients)))
        elapsed = time.perf_counter() - start
    return {
        "won": sum(winners.values()),
        "attempts": clients * len(times),
        "seconds": elapsed,
        "exactly_one": float(all(winners.get(t) == 1 for t in times)),
        "failures": failures,
    }


def free_times(client: httpx.Client, count: int) -> list[tuple[int, int]]:
    """`count` free single-slot start times, spread over the Kundenzentren."""
    params = {**calendar_params(), "serviceIds": str(REGISTRATION)}
    body = client.get(f"{ZMS}/available-calendar/", params=params).json()
    found = [
        (int(office["officeId"]), moment)
        for day in body["availableDays"]
        for office in day["offices"]
        for moment in office["appointments"]
    ]
    step = max(1, len(found) // count)
    return found[::step][:count]


def main() -> None:
    """Run both comparisons and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="calendar requests per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slots", type=int, default=100, help="start times fought over")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--body-size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.database_url, args.body_size)
        return
    with tempfile.TemporaryDirectory() as tmp:
        database_url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        # the calendar's size, from a stub of its own, so the bare route answers as much
        probe, probe_url = start_stub(f"sqlite:///{Path(tmp) / 'probe.sqlite3'}", 0)
        try:
            size = len(
                httpx.get(f"{probe_url}{ZMS}/available-calendar/", params=calendar_params()).content
            )
        finally:
            probe.terminate()
            probe.wait(timeout=10)
        process, url = start_stub(database_url, size)
        try:
            with httpx.Client(base_url=url, timeout=120) as client:
                params = calendar_params()
                sequential_rate(client, BARE, {}, 20)  # warm up both
                sequential_rate(client, f"{ZMS}/available-calendar/", params, 20)
                bare, calendar = [], []
                for _ in range(args.rounds):
                    bare.append(sequential_rate(client, BARE, {}, args.requests))
                    calendar.append(
                        sequential_rate(client, f"{ZMS}/available-calendar/", params, args.requests)
                    )
                times = free_times(client, args.slots)
            bare_busy = asyncio.run(concurrent_bare(url, args.clients, max(1, args.slots)))
            fought = asyncio.run(race(url, times, args.clients))
        finally:
            process.terminate()
            process.wait(timeout=10)
    b, c = statistics.median(bare), statistics.median(calendar)
    attempts = fought["attempts"] / fought["seconds"]
    print(f"database: {'PostgreSQL' if 'postgres' in database_url else 'SQLite'}")
    print(f"calendar answer: {size} bytes, 8 weeks x {len(OFFICE_IDS)} Kundenzentren")
    print(f"bare route, same bytes         {b:8.0f} req/s")
    print(f"available-calendar             {c:8.0f} req/s   ratio to bare {c / b:5.2f}")
    print(f"bare route, small, {args.clients} at once   {bare_busy:8.0f} req/s")
    print(
        f"reservation race, {args.clients} at once    {attempts:8.0f} attempts/s"
        f"   ratio to bare {attempts / bare_busy:5.2f}"
    )
    print(
        f"  {fought['won']:.0f} of {len(times)} times reserved, "
        f"{fought['won'] / fought['seconds']:.0f} reservations/s; "
        f"exactly one winner each: {'yes' if fought['exactly_one'] else 'NO'}; "
        f"answers other than 200/404: {fought['failures']:.0f}"
    )


if __name__ == "__main__":
    main()
