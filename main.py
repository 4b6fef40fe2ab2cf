"""Entry point of `flet build` (phones, web): no embedded stub; sources come from KOELN_*_URL."""

import os
from pathlib import Path

import flet as ft

from app.session import session_main
from app.settings import settings_from
from app.wiring import build_services
from services.i18n import compile_catalogues

compile_catalogues()
_settings = settings_from(
    port=None,
    data_dir=Path(d) if (d := os.environ.get("FLET_APP_STORAGE_DATA")) else None,
    locale=None,
    backend=os.environ.get("KOELN_BACKEND", "https://app.koeln.example"),
    kiosk=False,
)
assert _settings.backend_url is not None
_services = build_services(_settings.source_urls(_settings.backend_url), _settings.data_dir)


async def main(page: ft.Page) -> None:
    """Start background refresh in the app's loop, then show the app."""
    _services.schedule.start()
    await session_main(_services)(page)


if __name__ == "__main__":
    ft.run(main)
