"""Build the stub's FastAPI app: database, seed data, and one router per protocol."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from backend_stub.appointments.catalogue import load_catalogue, seed_catalogue_if_empty
from backend_stub.appointments.housekeeping import housekeeping
from backend_stub.appointments.ratelimit import DEFAULT_LIMIT, RateLimiter, RateLimitMiddleware
from backend_stub.clock import Clock, SystemClock
from backend_stub.db import create_schema, make_engine
from backend_stub.queues.setup import build_world
from backend_stub.queues.waiting import MAX_WAIT, ChangeNotifier
from backend_stub.routers import (
    admin,
    ckan,
    health,
    participation,
    queues,
    sensorthings,
    waiting_feed,
    zms,
)
from backend_stub.seed import seed_if_empty

VERSION = "0.1.0"
DEFAULT_APP_URL = "http://127.0.0.1:8550"


def create_app(
    database_url: str,
    *,
    admin_token: str | None = None,
    clock: Clock | None = None,
    app_url: str = DEFAULT_APP_URL,
    ticket_secret: bytes | None = None,
    queue_speed: float | None = None,
    max_wait: float = MAX_WAIT,
    zms_rate_limit: int = DEFAULT_LIMIT,
) -> FastAPI:
    """The stub, with its schema created and sample data seeded on first start.

    `app_url` is where the app is served: ticket QR codes carry deep links below it.
    `queue_speed` is how fast the queue simulation runs against `clock` (0 pauses); None keeps
    the speed saved in the database (1 at the first start). Nothing here reads the environment
    for it, so an app built in-process is deterministic. Tickets, calls and the simulated clock
    live in the database, so an app built again on the same database goes on where it stopped.
    `zms_rate_limit` is how many requests per client IP and minute (of `clock`) the ZMS citizen
    API answers.
    """
    clock = clock or SystemClock()
    started = clock.now()  # seed data and the queue simulation start at the same moment
    engine = make_engine(database_url)
    create_schema(engine)
    seed_if_empty(engine, started)
    seed_catalogue_if_empty(engine)
    limiter = RateLimiter(zms_rate_limit, clock)  # refuses a limit below 1 before anything runs

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # expires reservations nobody asks about, anonymises old bookings (privacy)
        job = asyncio.create_task(housekeeping(engine, clock))
        yield
        job.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await job
        await app.state.waiting.aclose()
        engine.dispose()

    app = FastAPI(
        title="Köln App stub backend",
        version=VERSION,
        description=(
            "Speaks the protocols of the city's systems for development and tests: the "
            "waiting-time feed, the ZMS citizen API, the CKAN Action API, OGC SensorThings "
            "v1.1, the walk-in queues of the Kundenzentren and the participation API. "
            "All data is sample data."
        ),
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.catalogue = load_catalogue(engine)
    app.state.clock = clock
    app.state.admin_token = admin_token
    app.state.app_url = app_url
    app.state.queues = build_world(engine, started, secret=ticket_secret, queue_speed=queue_speed)
    app.state.waiting = ChangeNotifier(
        app.state.queues, clock, queues.what_clients_see, max_wait=max_wait
    )
    for module in (health, waiting_feed, queues, zms, ckan, sensorthings, participation, admin):
        app.include_router(module.router)
    app.include_router(zms.mailbox_router)
    app.add_middleware(RateLimitMiddleware, limiter=limiter, prefixes=zms.ZMS_PATHS)
    build_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        # ZMS answers a request it cannot read with 400 in its own shape, never FastAPI's 422
        return app.openapi_schema or zms.without_validation_answers(build_openapi())

    app.openapi = openapi  # type: ignore[method-assign]
    return app
