"""`koeln-app`: serve the app on http://127.0.0.1:8550 with its embedded stub backend."""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys
from pathlib import Path

from app.embedded_backend import EmbeddedBackend
from app.kiosk import KioskBrowser
from app.server import build_web_app, serve
from app.settings import DEFAULT_PORT, LOOPBACK, SettingsError, settings_from
from app.wiring import build_services
from services.clock import StartedClock, SystemClock
from services.hub import KioskConfig
from services.i18n import LOCALES, compile_catalogues

log = logging.getLogger("koeln-app")

BACKEND_AT_THE_LATEST = 3.0  # seconds after the app serves, if no screen was shown before


def build_parser() -> argparse.ArgumentParser:
    """The app's command line."""
    parser = argparse.ArgumentParser(
        prog="koeln-app",
        description="Köln App: waiting times, appointments, open data, sensors and "
        "participation. Served in the browser on 127.0.0.1 only.",
        epilog="Environment: KOELN_WAITING_URL, KOELN_ZMS_URL, KOELN_CKAN_URL, KOELN_STA_URL, "
        "KOELN_PARTICIPATION_URL, KOELN_QUEUE_URL point one source at another server; "
        "KOELN_PUBLIC_URL is the app's public address for ticket links; KOELN_KIOSK_OFFICE "
        "names the Kundenzentrum of the kiosk; KOELN_CKAN_FLAVOUR=dkan for a DKAN portal.",
    )
    parser.add_argument("--port", type=int, help=f"port to serve on (default {DEFAULT_PORT})")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="where the SQLite cache and settings live (default: the per-user data directory)",
    )
    parser.add_argument("--locale", choices=sorted(LOCALES), help="language to start in")
    parser.add_argument(
        "--backend",
        metavar="URL",
        help="use this running backend instead of starting the embedded stub",
    )
    parser.add_argument(
        "--kiosk", action="store_true", help="also open Chromium in kiosk mode on the app"
    )
    parser.add_argument(
        "--clock",
        metavar="TIME",
        help="start the app's clock (and the embedded stub's) at this time, e.g. "
        "2026-11-23T10:00 in Cologne time; for demos and tests (default: KOELN_CLOCK, else now)",
    )
    return parser


def port_is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:`port` yet."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # as uvicorn does: connections of a previous run in TIME_WAIT must not block the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, start the stub if needed, serve the app until stopped."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from(
            port=args.port,
            data_dir=args.data_dir,
            locale=args.locale,
            backend=args.backend,
            kiosk=args.kiosk,
            clock=args.clock,
        )
    except SettingsError as exc:
        parser.error(str(exc))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for chatty in ("apscheduler", "httpx", "flet_web", "flet"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if not port_is_free(settings.port):
        parser.error(f"port {settings.port} on {LOOPBACK} is in use; choose another with --port")

    compile_catalogues()
    clock = StartedClock(settings.clock) if settings.clock else SystemClock()
    backend: EmbeddedBackend | None = None
    backend_url = settings.backend_url
    if backend_url is None:
        # The stub starts beside the app, not before it: the first frame does not wait.
        backend = EmbeddedBackend(
            settings.data_dir / "backend" / "stub.sqlite3",
            settings.data_dir / "backend" / "stub.log",
            app_url=settings.link_base,
            clock=clock.now() if settings.clock else None,
        )
        backend_url = backend.url

    services = build_services(
        settings.source_urls(backend_url),
        settings.data_dir,
        clock=clock,
        transport=backend.gate if backend else None,
        embedded_backend=backend is not None,
        app_origins=settings.app_origins,
        kiosk=KioskConfig(settings.kiosk_office, settings.kiosk_idle_seconds),
        map_tiles=settings.map_tiles,
        sensor_thresholds=settings.sensor_thresholds,
        ckan_flavour=settings.ckan_flavour,
        default_locale=settings.locale,
        # our stub keeps the emails ZMS would send; a real ZMS sends them
        zms_test_mailbox="zms" not in settings.source_overrides,
    )
    kiosk = KioskBrowser(settings.url + "kiosk", settings.port) if settings.kiosk else None

    def start_backend() -> None:
        if backend:
            try:
                backend.start_in_background()  # the first time only
            except OSError:  # the app runs on, offline, and says so
                log.exception("the embedded stub backend could not be started")
                backend.gate.open()

    def started() -> None:
        if backend:
            # The stub starts once the first screen is shown (on 2 cores its start-up would
            # slow that screen down), and at the latest a few seconds after the app serves.
            asyncio.get_running_loop().call_later(BACKEND_AT_THE_LATEST, start_backend)
        print(f"Köln App: {settings.url}", flush=True)
        if kiosk:
            kiosk.open_when_ready()

    def stopped() -> None:
        if kiosk:
            kiosk.close()
        if backend:
            backend.stop()

    try:
        web_app = build_web_app(
            services, on_started=started, on_stopped=stopped, on_first_frame=start_backend
        )
        serve(web_app, settings.port)
    finally:
        stopped()  # also when serving failed; stopping twice is harmless
    return 0


if __name__ == "__main__":
    sys.exit(main())
