"""Call-to-alert latency for N followed tickets, without browsers, against one stub.

This process plays the app: it builds the app's services (no Flet), N people each follow one
ticket drawn across the nine Kundenzentren, and each has a session open (a watch); the hall's
call display of every Kundenzentrum is shown too. Then the counters call numbers, and for every
call of a followed ticket the time from the call (the operator's answer) to the person's alert
is taken, and for every call the time until the hall's display shows it. The baseline, measured in
the same run, is one plain round trip to the stub; the memory baseline is this process before
anybody follows anything.

    .venv/bin/python bench/calls.py [--sizes 10,100,1000] [--calls 60] [--gap 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.embedded_backend import free_port
from app.settings import SOURCE_PATHS
from app.wiring import build_services
from backend_stub.seed_data import KUNDENZENTREN
from bench.serving import start_server
from services.hub import SourceUrls
from services.people import new_person_id
from services.waiting_times.ticket_link import TicketRef
from services.waiting_times.tickets import CALLED_ALERT, Alert

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "bench-admin"
OFFICES = [office[0] for office in KUNDENZENTREN]  # their slugs


def rss_mb() -> float:
    """This process's resident memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_stub(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    database = str(directory / "stub.db")
    return start_server(
        lambda port: [
            sys.executable,
            "-m",
            "backend_stub",
            "--port",
            str(port),
            "--db",
            database,
            "--clock",
            "2026-10-05T08:00",
            "--speed",
            "0",
        ],
        free_port,
        env={**os.environ, "KOELN_ADMIN_TOKEN": ADMIN},
    )


async def run(size: int, calls: int, gap: float) -> dict[str, float]:
    """One measurement with `size` followed tickets."""
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_stub(Path(tmp))
        admin = httpx.AsyncClient(  # a new connection each time: no keep-alive race to measure
            base_url=url,
            headers={"Authorization": f"Bearer {ADMIN}"},
            limits=httpx.Limits(max_keepalive_connections=0),
            timeout=httpx.Timeout(30.0),
        )
        try:
            urls = SourceUrls(**{name: url + path for name, path in SOURCE_PATHS.items()})
            services = build_services(urls, Path(tmp) / "app")
            tickets = services.tickets
            locations = (await admin.get("/queue/v1/locations")).json()["locations"]
            service_of = {loc["id"]: loc["services"][0]["id"] for loc in locations}
            for office in OFFICES:
                await admin.put(f"/admin/queues/{office}/open", json={"open": True})
            round_trip = []
            for _ in range(20):
                started = time.perf_counter()
                await admin.get("/health")
                round_trip.append(time.perf_counter() - started)
            idle = rss_mb()

            alerted: dict[tuple[str, str], float] = {}

            def heard(alerts: list[Alert]) -> None:
                for alert in alerts:
                    if alert.kind == CALLED_ALERT:
                        alerted.setdefault(
                            (alert.office, alert.display_number), time.perf_counter()
                        )

            # the morning's tickets are drawn first (at a realistic pace nothing else is held);
            # then their people follow them, each with a session open
            offices = itertools.cycle(OFFICES)
            ours: set[tuple[str, str]] = set()
            drawn_tickets = []
            for _ in range(size):
                office = next(offices)
                drawn = (
                    await admin.post(
                        f"/queue/v1/locations/{office}/tickets",
                        json={"serviceId": service_of[office]},
                    )
                ).json()
                ours.add((office, drawn["displayNumber"]))
                drawn_tickets.append((office, drawn["token"]))
            for office, token in drawn_tickets:
                person = new_person_id()
                tickets.follow(person, TicketRef(office, token))
                tickets.watch(person, lambda _n: None, heard)
            # the hall's call display of every Kundenzentrum is on a screen too
            shown: dict[tuple[str, str], float] = {}

            def display_of(office: str) -> Callable[[], None]:
                def changed() -> None:
                    data = services.calls.of(office).state.data
                    if data is not None and data.calls:
                        key = (office, data.calls[0].display_number)
                        shown.setdefault(key, time.perf_counter())

                return changed

            for office in OFFICES:
                services.calls.watch(office, display_of(office))
            deadline = time.monotonic() + 120
            while tickets.waiting() < size and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            await asyncio.sleep(2)  # every request answered once and held again

            called_at: dict[tuple[str, str], float] = {}
            hall_called_at: dict[tuple[str, str], float] = {}
            offices = itertools.cycle(OFFICES)
            for _ in range(calls):  # the counters call one after the other, `gap` apart
                office = next(offices)
                answer = await admin.post(f"/admin/queues/{office}/call-next", json={"counter": 1})
                called = answer.json().get("called")
                key = (office, called["displayNumber"]) if called else None
                if key is not None and key not in shown:
                    hall_called_at[key] = time.perf_counter()
                if key is not None and key in ours and key not in alerted:
                    called_at[key] = time.perf_counter()
                await asyncio.sleep(gap)
            wait_until = time.monotonic() + 30
            while set(called_at) - set(alerted) and time.monotonic() < wait_until:
                await asyncio.sleep(0.05)
            while set(hall_called_at) - set(shown) and time.monotonic() < wait_until:
                await asyncio.sleep(0.05)
            latencies = [alerted[key] - at for key, at in called_at.items() if key in alerted]
            hall = sorted(shown[key] - at for key, at in hall_called_at.items() if key in shown)
            missed = len(called_at) - len(latencies)
            held = tickets.waiting()
            memory = rss_mb()
            await services.aclose()
        finally:
            await admin.aclose()
            process.terminate()
            process.wait(timeout=10)
    latencies.sort()
    return {
        "tickets": size,
        "held": held,
        "alerts": len(latencies),
        "missed": missed,
        "median": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
        "max": latencies[-1] if latencies else float("nan"),
        "round_trip": statistics.median(round_trip),
        "hall_p95": hall[int(0.95 * (len(hall) - 1))] if hall else float("nan"),
        "rss_idle": idle,
        "rss": memory,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--calls", type=int, default=30)
    # a busy morning: nine Kundenzentren, about 35 counters, each calling every 5 to 10 min,
    # is a call every 10 to 20 s; one a second is several mornings at once
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between two calls")
    args = parser.parse_args()
    print(
        f"{'tickets':>8} {'held':>5} {'alerts':>6} {'missed':>6} {'median s':>9} {'p95 s':>7}"
        f" {'max s':>7} {'p95/rtt':>8} {'hall p95 s':>10} {'RSS MB':>7} {'RSS/idle':>8}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        row = asyncio.run(run(size, args.calls, args.gap))
        print(
            f"{row['tickets']:>8} {row['held']:>5} {row['alerts']:>6} {row['missed']:>6}"
            f" {row['median']:>9.3f}"
            f" {row['p95']:>7.3f} {row['max']:>7.3f} {row['p95'] / row['round_trip']:>8.0f}"
            f" {row['hall_p95']:>10.3f}"
            f" {row['rss']:>7.0f} {row['rss'] / row['rss_idle']:>8.2f}"
        )


if __name__ == "__main__":
    main()
