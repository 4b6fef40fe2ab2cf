"""Build the stub's FastAPI app: database, seed data, and one router per protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from backend_stub.clock import Clock, SystemClock
from backend_stub.db import create_schema, make_engine
from backend_stub.routers import admin, ckan, health, participation, sensorthings, waiting_feed, zms
from backend_stub.seed import seed_if_empty

VERSION = "0.1.0"


def create_app(
    database_url: str, *, admin_token: str | None = None, clock: Clock | None = None
) -> FastAPI:
    """The stub, with its schema created and sample data seeded on first start."""
    clock = clock or SystemClock()
    engine = make_engine(database_url)
    create_schema(engine)
    seed_if_empty(engine, clock.now())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="Köln App stub backend",
        version=VERSION,
        description=(
            "Speaks the protocols of the city's systems for development and tests: the "
            "waiting-time feed, the ZMS citizen API, the CKAN Action API, OGC SensorThings "
            "v1.1 and the participation API. All data is sample data."
        ),
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.clock = clock
    app.state.admin_token = admin_token
    for module in (health, waiting_feed, zms, ckan, sensorthings, participation, admin):
        app.include_router(module.router)
    return app
