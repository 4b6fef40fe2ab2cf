"""Serve the Flet web client and the app's sessions on loopback, with no CDN."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet_web.fastapi as flet_fastapi
import httpx
import uvicorn
from fastapi import FastAPI, Request, Response

from app.display import with_page_script
from app.routes import NOT_FOUND, match
from app.session import session_main
from app.settings import LOOPBACK
from services.hub import AppServices
from services.i18n import Translator

log = logging.getLogger(__name__)

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
INTERNAL = "X-Koeln-Internal"  # the server asking itself for the app's page

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
    on_first_frame: Callable[[], None] | None = None,
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

    index_page: list[bytes] = []  # the app's page, fetched once for links that need it

    @app.middleware("http")
    async def every_link_opens_the_app(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Every address of a screen gets the app: a ticket link (its token has a dot, which
        the static files take for a file name) with 200, and one the static files cannot even
        look up (a NUL byte, a line break, a name too long) with 404 and the not-found screen."""
        response = await call_next(request)
        if request.headers.get(INTERNAL):
            return response
        if is_page_of_no_screen(request, response):
            response.status_code = 404  # the app, showing its not-found screen
            return response
        if not needs_the_app(request, response):
            return response
        if not index_page:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://app.internal"
            ) as itself:
                page = await itself.get("/", headers={INTERNAL: "1"})
            if page.status_code != 200:
                return response
            index_page.append(page.content)
        found = match(request.url.path).spec is not NOT_FOUND
        return Response(index_page[0], status_code=200 if found else 404, media_type="text/html")

    @app.middleware("http")
    async def page_script(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """The app's page, with its language and the script for language and text size."""
        response = await call_next(request)
        if not response.headers.get("content-type", "").startswith("text/html"):
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return Response(with_page_script(body), response.status_code, headers)

    @app.middleware("http")
    async def content_security_policy(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    @app.get("/calendar/{process_id}-{auth_key}.ics", include_in_schema=False)
    async def calendar_file(process_id: str, auth_key: str, lang: str = "de") -> Response:
        """An appointment kept in a wallet on this app, as a file for calendar apps."""
        if not (process_id.isdigit() and auth_key.isalnum() and len(process_id) <= 12):
            return Response("not found", status_code=404, media_type="text/plain")
        body = services.appointments.calendar_file(int(process_id), auth_key, Translator(lang))
        if body is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="termin-{process_id}.ics"',
                "Cache-Control": "no-store",
            },
        )

    app.mount(
        "/",
        flet_fastapi.app(
            session_main(services, on_shown=on_first_frame),
            assets_dir=str(ASSETS_DIR),
            no_cdn=True,
        ),
    )
    return app


def is_page_of_no_screen(request: Request, response: Response) -> bool:
    """The app's page served for an address that no screen has (e.g. /gibt/es/nicht)."""
    last = request.url.path.rsplit("/", 1)[-1]
    return (
        request.method == "GET"
        and response.status_code == 200
        and response.headers.get("content-type", "").startswith("text/html")
        and "." not in last
        and match(request.url.path).spec is NOT_FOUND
    )


def needs_the_app(request: Request, response: Response) -> bool:
    """A 404 of the static files for the address of a screen, or for one that is no file."""
    if request.method != "GET" or response.status_code != 404:
        return False
    if match(request.url.path).spec is not NOT_FOUND:
        return True  # e.g. /waiting/ticket/kalk/20261123001.Xy: a screen, not a file
    last = request.url.path.rsplit("/", 1)[-1]
    return response.headers.get("content-type", "").startswith("application/json") and (
        "." not in last[-8:]  # main.dart.js, icons/x.png: a missing file stays a 404
    )


def serve(app: FastAPI, port: int) -> None:
    """Serve until Ctrl-C or SIGTERM; bound to 127.0.0.1 only."""
    config = uvicorn.Config(
        app, host=LOOPBACK, port=port, ws="websockets-sansio", log_level="warning"
    )
    uvicorn.Server(config).run()
