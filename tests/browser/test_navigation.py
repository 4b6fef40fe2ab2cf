"""A citizen reaches every area from the start screen by its visible label."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AppPage, RunningApp, alive, snap

pytestmark = pytest.mark.browser

# (tile label, tile description, path, heading text on the screen)
AREAS_DE = [
    (
        "Wartezeiten",
        "Live-Wartezeiten der Kundenzentren, Wartemarke verfolgen",
        "/waiting",
        "Kundenzentrum Ehrenfeld",
    ),
    ("Termine", "Termin buchen, verschieben oder absagen", "/appointments", "Kundenzentrum Porz"),
    (
        "Offene Daten",
        "Offene Daten der Stadt suchen und erkunden",
        "/data",
        "Belegung der Parkhäuser",
    ),
    ("Sensoren", "Messwerte der LoRaWAN-Sensoren der Stadt", "/sensors", "Rheinpegel Köln"),
    (
        "Beteiligung",
        "Reden Sie mit beim Masterplan Digitales Köln",
        "/participate",
        "Smart City: Sensoren und offenes WLAN",
    ),
]


def test_every_area_is_reached_from_home(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory()
    tab = open_page(app.url)
    page = tab.page
    expect(page.get_by_text("Dienste der Stadt Köln, auch offline.")).to_be_visible()
    snap(page, "home-de.png")
    for label, description, path, content in AREAS_DE:
        page.get_by_role("button", name=f"{label} {description}").click()
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        # the area's own screen (not the start screen still shown a moment after the tap)
        expect(page.get_by_role("heading", name=label, level=1)).to_be_visible()
        expect(page.get_by_text(content, exact=False).first).to_be_visible()
        expect(page.locator("[flt-semantics-identifier=freshness]")).to_contain_text(
            re.compile(r"Geprüft \d")  # and how old the values are, by their own time
        )
        page.get_by_role("tab", name="Start").click()
        expect(page).to_have_url(re.compile(r"/$"))
    assert tab.outside_requests == []


def test_phone_width_has_a_navigation_bar(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory()
    page = open_page(app.url, width=390, height=844).page
    page.get_by_role("tab", name="Wartezeiten").click()
    expect(page).to_have_url(re.compile(r"/waiting$"))
    expect(page.get_by_text("Kundenzentrum Porz").first).to_be_visible()
    snap(page, "waiting-phone-de.png")


def test_deep_links_open_their_screen(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory()
    data = open_page(app.url + "data").page
    expect(data.get_by_text("Luftqualität aus dem LoRaWAN-Sensornetz")).to_be_visible()
    dataset = open_page(app.url + "data/luftqualitaet-lorawan").page
    expect(dataset.get_by_role("heading", name="Vorschau: Messwerte (CSV)")).to_be_visible()
    ticket = open_page(app.url + "waiting/ticket/ehrenfeld/abc123").page
    expect(ticket.locator("[flt-semantics-identifier=ticket-problem]")).to_contain_text(
        "Dies ist keine gültige Wartemarke der Stadt Köln."
    )
    ticket.get_by_role("button", name="Zurück").click()
    expect(ticket).to_have_url(re.compile(r"/waiting$"))


def test_unknown_route_is_a_friendly_dead_end_with_a_way_home(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory()
    assert httpx.get(app.url + "gibt/es/nicht").status_code == 404
    ticket_link = httpx.get(app.url + "waiting/ticket/kalk/20261123001.AbC-d_e")
    assert ticket_link.status_code == 200 and "text/html" in ticket_link.headers["content-type"]
    page = open_page(app.url + "gibt/es/nicht").page
    expect(page.get_by_text("Seite nicht gefunden")).to_be_visible()
    page.get_by_role("button", name="Zur Startseite").click()
    expect(page.get_by_text("Dienste der Stadt Köln, auch offline.")).to_be_visible()


def test_sigterm_leaves_no_process_behind(app_factory: Callable[..., RunningApp]) -> None:
    app = app_factory()
    stub = app.stub_pids()
    assert stub, "the embedded stub backend should run as a child process"
    app.stop()
    assert app.process.returncode is not None
    assert [pid for pid in stub if alive(pid)] == []


def test_a_killed_app_takes_its_stub_along(app_factory: Callable[..., RunningApp]) -> None:
    app = app_factory()
    stub = app.stub_pids()
    assert stub
    app.process.kill()  # no goodbye: the kernel must end the stub too
    app.process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while [pid for pid in stub if alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in stub if alive(pid)] == []


def test_a_kundenzentrum_opened_before_its_data_arrived_fills_in_when_it_does(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory()  # a fresh device: nothing saved, the stub still starting
    page = open_page(app.url + "waiting/office/kalk").page
    heading = page.get_by_role("heading", name="Kundenzentrum Kalk")
    expect(heading).to_be_visible(timeout=20_000)  # no touch: the screen redraws by itself
    expect(page.get_by_text("Öffnungszeiten", exact=True)).to_be_visible()
    # a fresh device has at most one value of today: it says so instead of drawing a flat line
    too_few = "Heute bisher nur ein Wert aufgezeichnet|Heute wurde noch keine Wartezeit"
    expect(page.get_by_text(re.compile(too_few))).to_be_visible(timeout=20_000)
    expect(page.get_by_text(re.compile("zwischen 0 und 0"))).to_have_count(0)


@pytest.mark.parametrize(
    "odd", ["a%00b", "a%0d%0aSet-Cookie:x=1", "x" * 5000], ids=["nul", "crlf", "long"]
)
def test_an_odd_ticket_link_gets_the_app_with_its_not_found_screen(
    odd: str, app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory("--backend", "http://127.0.0.1:9")  # no backend needed for this
    url = f"{app.url}waiting/ticket/kalk/{odd}"
    answer = httpx.get(url)
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "set-cookie" not in answer.headers
    page = open_page(url).page
    expect(page.get_by_text("Seite nicht gefunden")).to_be_visible()
    page.get_by_role("button", name="Zur Startseite").click()
    expect(page.get_by_text("Dienste der Stadt Köln, auch offline.")).to_be_visible()
