"""`koeln-backend`: run the stub backend on a loopback port."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from types import FrameType

import uvicorn
from fastapi import FastAPI

from backend_stub.appointments.ratelimit import DEFAULT_LIMIT
from backend_stub.clock import CITY_TZ, CLOCK_FORMAT, StartedClock, parse_clock
from backend_stub.main import DEFAULT_APP_URL, create_app
from backend_stub.queues.waiting import ChangeNotifier
from backend_stub.queues.world import MAX_SPEED

LOOPBACK = "127.0.0.1"
CLOCK_ENV = "KOELN_CLOCK"
SPEED_ENV = "KOELN_QUEUE_SPEED"


SHUTDOWN_GRACE = 5  # seconds open requests get when the stub stops


def serve(app: FastAPI, *, port: int, log_level: str) -> None:
    """Serve the stub on loopback until told to stop."""
    config = uvicorn.Config(
        app,
        host=LOOPBACK,
        port=port,
        log_level=log_level,
        # no access log: it would keep every client's IP address (participation is anonymous)
        access_log=False,
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
    StubServer(config, app.state.waiting).run()


class StubServer(uvicorn.Server):
    """uvicorn, which answers the held (long-polling) requests as soon as it is told to stop
    (they would otherwise keep it waiting up to 25 s)."""

    def __init__(self, config: uvicorn.Config, waiting: ChangeNotifier) -> None:
        super().__init__(config)
        self._waiting = waiting

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """A signal to stop: release the held requests on the event loop, then stop."""
        with contextlib.suppress(RuntimeError):  # no loop running: nothing is held
            asyncio.get_running_loop().call_soon_threadsafe(self._waiting.release_all)
        super().handle_exit(sig, frame)


def parse_args(
    argv: list[str] | None = None, environ: Mapping[str, str] | None = None
) -> argparse.Namespace:
    """The stub's command line; `--clock` and `--speed` fall back to `environ` (os.environ)."""
    env = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(
        prog="koeln-backend",
        description="Stub backend of the Köln App (sample data, real protocols), "
        "served on 127.0.0.1 only.",
    )
    parser.add_argument("--port", type=int, default=8551, help="port (default 8551)")
    parser.add_argument(
        "--db",
        type=Path,
        default=Path("koeln-backend.sqlite3"),
        help="SQLite file (ignored when DATABASE_URL is set)",
    )
    parser.add_argument("--log-level", default="warning", help="uvicorn log level")
    parser.add_argument(
        "--clock",
        metavar="ISO",
        help=f"start the stub's clock at this time and let it run on from there: {CLOCK_FORMAT} "
        f"(default ${CLOCK_ENV}, else the real time)",
    )
    parser.add_argument(
        "--speed",
        metavar="N",
        help="speed of the queue simulation: 60 = an hour a minute, 0 = paused "
        f"(default ${SPEED_ENV}, else the speed the stub had when it stopped, else 1)",
    )
    parser.add_argument(
        "--zms-rate-limit",
        type=_positive,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"requests per client IP and minute the ZMS citizen API answers "
        f"(default {DEFAULT_LIMIT}, as the city's)",
    )
    args = parser.parse_args(argv)
    args.clock = _clock_option(parser, args.clock, env)
    args.speed = _speed_option(parser, args.speed, env)
    return args


def _positive(value: str) -> int:
    """A whole number of at least 1, for argparse."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


def _clock_option(
    parser: argparse.ArgumentParser, given: str | None, env: Mapping[str, str]
) -> datetime | None:
    """The start time from `--clock` or $KOELN_CLOCK (aware UTC); None for the real time."""
    source, value = ("--clock", given) if given is not None else (CLOCK_ENV, env.get(CLOCK_ENV))
    if value is None or (source == CLOCK_ENV and not value.strip()):
        return None
    try:
        return parse_clock(value)
    except ValueError as error:
        parser.error(f"{source}: {error}")


def _speed_option(
    parser: argparse.ArgumentParser, given: str | None, env: Mapping[str, str]
) -> float | None:
    """The simulation speed from `--speed` or $KOELN_QUEUE_SPEED; None (the saved one) if unset."""
    source, value = ("--speed", given) if given is not None else (SPEED_ENV, env.get(SPEED_ENV))
    if value is None or (source == SPEED_ENV and not value.strip()):
        return None
    try:
        speed = float(value)
    except ValueError:
        speed = math.nan
    if not 0 <= speed <= MAX_SPEED:  # also refuses nan and inf
        parser.error(
            f"{source}: expected a number from 0 (paused) to {MAX_SPEED:g}, "
            f"e.g. 60 for an hour a minute; got {value!r}"
        )
    return speed


def main(argv: list[str] | None = None) -> None:
    """Start the stub and serve until interrupted."""
    args = parse_args(argv)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{args.db.resolve()}"
    if not os.environ.get("DATABASE_URL"):
        args.db.resolve().parent.mkdir(parents=True, exist_ok=True)
    app = create_app(
        database_url,
        admin_token=os.environ.get("KOELN_ADMIN_TOKEN") or None,
        clock=StartedClock(args.clock) if args.clock else None,
        app_url=os.environ.get("KOELN_APP_URL") or DEFAULT_APP_URL,
        queue_speed=args.speed,
        zms_rate_limit=args.zms_rate_limit,
    )
    print(f"koeln-backend on http://{LOOPBACK}:{args.port}/ (OpenAPI at /openapi.json)", flush=True)
    if args.clock or args.speed is not None:
        start = args.clock.astimezone(CITY_TZ).isoformat() if args.clock else "the real time"
        speed = app.state.queues.clock.speed
        print(f"clock starts at {start}; queue simulation speed {speed:g}", flush=True)
    serve(app, port=args.port, log_level=args.log_level)
    sys.exit(0)
