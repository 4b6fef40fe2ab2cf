"""Serve the Flet web client and the app's sessions on loopback, with no CDN."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet_web.fastapi as flet_fastapi
import uvicorn
from fastapi import FastAPI, Request, Response

from app.session import session_main
from app.settings import LOOPBACK
from services.hub import AppServices

log = logging.getLogger(__name__)

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"

# The web client must never reach the internet (the Flutter engine would try a CDN for
# an animation runtime it does not need here); the browser enforces that for us.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:",
        "worker-src 'self' blob:",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
    ]
)


def build_web_app(
    services: AppServices,
    *,
    on_started: Callable[[], None] | None = None,
    on_stopped: Callable[[], None] | None = None,
) -> FastAPI:
    """The ASGI app: Flet's web client at `/`, background jobs started with the server."""

    async def startup() -> None:
        services.schedule.start()
        if on_started:
            on_started()

    async def shutdown() -> None:
        # uvicorn re-raises SIGTERM after shutdown, so cleanup cannot wait for `finally`.
        await services.aclose()
        if on_stopped:
            on_stopped()

    app = flet_fastapi.FastAPI(on_startup=[startup], on_shutdown=[shutdown])

    @app.middleware("http")
    async def content_security_policy(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    app.mount(
        "/",
        flet_fastapi.app(
            session_main(services),
            assets_dir=str(ASSETS_DIR),
            no_cdn=True,
        ),
    )
    return app


def serve(app: FastAPI, port: int) -> None:
    """Serve until Ctrl-C or SIGTERM; bound to 127.0.0.1 only."""
    config = uvicorn.Config(
        app, host=LOOPBACK, port=port, ws="websockets-sansio", log_level="warning"
    )
    uvicorn.Server(config).run()
