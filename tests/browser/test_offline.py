"""With the backend down the app still starts, and every screen opens with an offline notice."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.embedded_backend import free_port
from services.local_store import CACHE_FILE_NAME
from tests.browser.conftest import AppPage, RunningApp, goto, snap

pytestmark = pytest.mark.browser

OFFLINE = "Sie sind offline. Die App zeigt gespeicherte Daten."
AREA_ROUTES = ["waiting", "appointments", "data", "sensors", "participate"]


def test_every_screen_opens_with_the_backend_down(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    app = app_factory("--backend", dead)
    page = open_page(app.url).page
    expect(page.locator("[flt-semantics-identifier=offline-banner]")).to_contain_text(OFFLINE)
    for route in AREA_ROUTES:
        goto(page, app.url + route)
        expect(page.locator("[flt-semantics-identifier=offline-banner]")).to_contain_text(OFFLINE)
        expect(page.locator("[flt-semantics-identifier=freshness]")).to_contain_text(
            "Offline: Der Dienst ist nicht erreichbar."
        )
    goto(page, app.url + "waiting")
    expect(page.locator("[flt-semantics-identifier=offline-banner]")).to_contain_text(OFFLINE)
    snap(page, "waiting-offline-de.png")
    for route in ("settings", "settings/accessibility", "data/x", "sensors/1", "participate/x"):
        goto(page, app.url + route)
        expect(page.locator("[flt-semantics-identifier=offline-banner]")).to_contain_text(OFFLINE)


def test_cached_data_is_shown_with_its_age_when_the_backend_goes(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage], tmp_path: Path
) -> None:
    online = app_factory()
    page = open_page(online.url + "waiting").page
    expect(page.get_by_text("Kundenzentrum Kalk")).to_be_visible()
    online.stop()
    offline = app_factory("--backend", f"http://127.0.0.1:{free_port()}", data_dir=online.data_dir)
    page = open_page(offline.url + "waiting").page
    expect(page.get_by_text("Kundenzentrum Kalk")).to_be_visible()
    expect(page.locator("[flt-semantics-identifier=freshness]")).to_contain_text(
        re.compile(r"Gespeicherte Daten: zuletzt geprüft \d")
    )


def test_a_corrupted_cache_is_rebuilt_with_a_notice(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage], tmp_path: Path
) -> None:
    data_dir = tmp_path / "broken"
    data_dir.mkdir()
    (data_dir / CACHE_FILE_NAME).write_bytes(b"\x00garbage" * 512)
    app = app_factory(data_dir=data_dir)
    page = open_page(app.url).page
    expect(page.get_by_text("Die lokalen Daten waren beschädigt", exact=False)).to_be_visible()
    assert list(data_dir.glob(f"{CACHE_FILE_NAME}.corrupt-*"))
