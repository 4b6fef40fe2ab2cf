"""A feed that goes wrong in every way the city's feed can: the overview never shows a broken or
old value as current, never renames or loses an office, and its top line tells the truth.

Each mode is tried cold (the app has never seen good data) and warm (good data first).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from app.embedded_backend import free_port
from services.clock import StartedClock, parse_clock
from tests.browser.conftest import AppPage, RunningApp, snap
from tests.browser.cut_proxy import CuttableProxy
from tests.browser.fault_feed import (
    BROKEN,
    MODES,
    NAMELESS,
    OFFICES,
    FaultFeed,
    FeedServer,
    minutes_of,
)

pytestmark = pytest.mark.browser

ALL = set(OFFICES)
READ_BROKEN = set(BROKEN) - NAMELESS  # broken, but their name could be read
CURRENT_TOP = "Aktuell: Werte von"
NOT_READABLE = "Der Dienst hat Daten gesendet, die die App nicht lesen kann."


@dataclass
class Expect:
    """What the overview must show after one answer."""

    top: list[str]  # in the top line
    shown: set[str]  # offices listed, no more and no fewer
    current: set[str] = field(default_factory=set)  # offices whose value may read as current
    rows: dict[str, str] = field(default_factory=dict)  # words a row must contain
    page: list[str] = field(default_factory=list)  # words elsewhere on the screen


def expected(mode: str, warm: bool) -> Expect:
    """The truth about each mode, cold or warm."""
    kept = ALL if warm else set()
    no_data = [] if warm else ["Noch keine gespeicherten Daten."]
    saved = ["Gespeicherte Daten: zuletzt geprüft"] if warm else []
    failures = {
        "refused": ["Offline: Der Dienst ist nicht erreichbar."],
        "slow": ["Der Dienst antwortet gerade nicht."],
        "http500": ["Der Dienst hat gerade ein Problem."],
        "malformed": [NOT_READABLE],
        "html": [NOT_READABLE],
        "not_list": [NOT_READABLE],
    }
    if mode == "good":
        return Expect([CURRENT_TOP], ALL, current=ALL)
    if mode in failures:  # the last good values stay, with their own (still recent) time
        return Expect(failures[mode] + no_data + saved, kept, current=kept)
    if mode == "mixed":
        good = ALL - set(BROKEN)
        if warm:
            rows = {o: "Die letzte Angabe konnte nicht gelesen werden." for o in READ_BROKEN}
            rows |= {o: "Fehlt in der letzten Antwort." for o in NAMELESS}
            top = ["7 Einträge der letzten Antwort konnten nicht gelesen werden.", "7 Werte sind"]
            return Expect(top, ALL, current=good, rows=rows)
        rows = {o: "Zustand unbekannt" for o in READ_BROKEN}
        top = ["7 Einträge der letzten Antwort konnten nicht gelesen werden."]
        nameless = "2 Einträge der letzten Antwort haben keinen lesbaren Namen"
        return Expect(top, good | READ_BROKEN, current=good, rows=rows, page=[nameless])
    if mode == "empty":
        if warm:
            rows = {o: "Fehlt in der letzten Antwort." for o in ALL}
            return Expect(["9 Werte sind die zuletzt bekannten"], ALL, rows=rows)
        return Expect(["Geprüft"], set(), page=["Die Stadt meldet zurzeit kein Kundenzentrum."])
    assert mode == "frozen"
    rows = {o: "Nicht aktuell. Letzter bekannter Wert (Stand" for o in ALL}
    return Expect(
        ["Nicht aktuell: Kein Wert ist aktuell; der neueste hat den Stand"], ALL, rows=rows
    )


@pytest.fixture
def feed(test_clock: str) -> Iterator[tuple[FaultFeed, CuttableProxy]]:
    """The fault feed on the app's clock, behind a proxy that can refuse connections."""
    fault = FaultFeed(StartedClock(parse_clock(test_clock)))
    server = FeedServer(fault)
    proxy = CuttableProxy(server.port)
    yield fault, proxy
    proxy.close()
    server.stop()


def set_mode(fault: FaultFeed, proxy: CuttableProxy, mode: str) -> None:
    fault.mode = mode
    if mode == "refused":
        proxy.cut()
    else:
        proxy.restore()


def office_rows(page: Page) -> dict[str, str]:
    """Each listed office's words, read from the screen reader's tree."""
    rows = {}
    for node in page.locator("[flt-semantics-identifier^=office-]").all():
        text = node.text_content() or ""
        name = text.split("\n", 1)[0].removeprefix("Kundenzentrum ").strip()
        rows[name] = text
    return rows


def check_overview(page: Page, truth: Expect, what: str) -> None:
    """The screen as a person reads it, against the truth."""
    top = page.locator("[flt-semantics-identifier=freshness]")
    for words in truth.top:
        expect(top, what).to_contain_text(words, timeout=25_000)
    if CURRENT_TOP not in truth.top:
        expect(top, what).not_to_contain_text("Aktuell:")
    for words in truth.page:
        expect(page.get_by_text(words), what).to_be_visible()
    expect(page.locator("[flt-semantics-identifier^=office-]"), what).to_have_count(
        len(truth.shown)
    )
    rows = office_rows(page)
    assert set(rows) == truth.shown, what  # nobody renamed, lost or made up
    for office, text in rows.items():
        claims_current = re.search(r"· Stand \d", text) is not None
        assert claims_current == (office in truth.current), f"{what}: {text!r}"
        if claims_current:  # and it is this office's own value, not another's
            assert f"etwa {minutes_of(office)} Minuten" in text, f"{what}: {text!r}"
        if office in truth.rows:
            assert truth.rows[office] in text, f"{what}: {text!r}"
        if "Zustand unbekannt" in text:
            assert "Geöffnet" not in text and "Geschlossen" not in text, f"{what}: {text!r}"
    assert "{'x'" not in (page.locator("flt-semantics-host").text_content() or ""), what


def refresh(page: Page) -> None:
    page.get_by_role("button", name="Aktualisieren").click()


@pytest.mark.parametrize("mode", [m for m in MODES if m != "good"])
def test_a_broken_feed_never_looks_right(
    mode: str,
    feed: tuple[FaultFeed, CuttableProxy],
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
) -> None:
    fault, proxy = feed
    dead = f"http://127.0.0.1:{free_port()}"  # only the feed matters here
    set_mode(fault, proxy, mode)
    app = app_factory("--backend", dead, env={"KOELN_WAITING_URL": proxy.url + "feed"})

    # cold: the app has never seen a good answer
    page = open_page(app.url + "waiting", width=500, height=1400).page
    check_overview(page, expected(mode, warm=False), f"{mode}, cold")
    if mode in ("mixed", "frozen"):
        snap(page, f"waiting-feed-{mode}-cold-de.png")

    # the feed is good again: every value current, and the top line says so
    set_mode(fault, proxy, "good")
    refresh(page)
    check_overview(page, expected("good", warm=True), f"{mode}: good in between")

    # warm: the same fault after good data
    set_mode(fault, proxy, mode)
    refresh(page)
    check_overview(page, expected(mode, warm=True), f"{mode}, warm")
    if mode in ("mixed", "frozen", "empty"):
        snap(page, f"waiting-feed-{mode}-warm-de.png")
