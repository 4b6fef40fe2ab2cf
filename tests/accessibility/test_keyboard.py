"""The keyboard alone: focus moves in reading order, every control of the ticket form is
reached and operated, the Kundenzentrum page scrolls, and the focus is plain to see."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.accessibility.pixels import Box, changed_by_focus, shot
from tests.accessibility.screens import PHONE, WIDE, settle
from tests.browser.conftest import AppPage, RunningApp

pytestmark = pytest.mark.browser

FOCUSED = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
    return {name: (e.getAttribute('aria-label') || e.textContent || '').trim(),
            role: e.getAttribute('role') || e.tagName.toLowerCase(),
            x: r.left, y: r.top, w: r.width, h: r.height} }"""

PHONE_BAR = ["Start", "Wartezeiten", "Termine", "Beteiligung", "Mehr"]
WIDE_BAR = ["Start", "Wartezeiten", "Termine", "Offene Daten", "Sensoren", "Beteiligung"]
WIDE_BAR += ["Einstellungen"]
TICKET_FORM = [
    "Mit der Kamera scannen",
    "Foto oder Screenshot der Wartemarke",
    "Innenstadt",  # the group of radios is one stop; the arrows move inside
    "Nummer auf der Wartemarke",
    "Diese Nummer beobachten",
]


def press_tab(page: Page) -> dict[str, float | str]:
    """Move the focus on, as the Tab key does, and say where it is now."""
    page.keyboard.press("Tab")
    page.wait_for_timeout(150)  # Flutter moves the focus in its next frame
    focused: dict[str, float | str] = page.evaluate(FOCUSED)
    return focused


def tab_to(page: Page, name: str, limit: int = 40) -> dict[str, float | str]:
    """Press Tab until the control named `name` has the focus; fail if it never does."""
    for _ in range(limit):
        focused = press_tab(page)
        if str(focused["name"]).startswith(name):
            return focused
    raise AssertionError(f"{name!r} was not reached with the Tab key")


def tab_stops(page: Page, limit: int = 40) -> list[str]:
    """The names of the focus stops, from the first until the focus comes round again."""
    names: list[str] = []
    for _ in range(limit):
        name = str(press_tab(page)["name"])
        if names and name == names[0]:
            return names
        names.append(name)
    raise AssertionError(f"the focus did not come round in {limit} stops: {names}")


@pytest.mark.parametrize("size", [PHONE, WIDE], ids=["phone", "wide"])
def test_the_focus_moves_through_the_ticket_form_in_reading_order(
    size: tuple[int, int],
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
) -> None:
    app = app_factory()
    page = open_page(app.url + "waiting/tickets", width=size[0], height=size[1]).page
    expect(page.get_by_role("radio", name="Innenstadt")).to_be_attached()
    settle(page)
    stops = tab_stops(page)
    # the title bar, the areas right under it, then the screen, also its part below the fold
    assert stops == ["Zurück", *(PHONE_BAR if size == PHONE else WIDE_BAR), *TICKET_FORM]


def test_the_ticket_form_is_filled_in_and_sent_with_the_keyboard_alone(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory()
    page = open_page(app.url + "waiting/tickets", width=PHONE[0], height=PHONE[1]).page
    expect(page.get_by_role("radio", name="Innenstadt")).to_be_attached()
    settle(page)
    tab_to(page, "Innenstadt")
    page.keyboard.press("ArrowDown")  # the next Kundenzentrum in the group, chosen
    page.wait_for_timeout(150)
    assert page.evaluate(FOCUSED)["name"] == "Chorweiler"
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Chorweiler")).to_be_checked()
    assert press_tab(page)["role"] == "input"
    page.keyboard.type("c042")
    assert press_tab(page)["name"] == "Diese Nummer beobachten"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/waiting/number/chorweiler/C042$"))


def test_the_kundenzentrum_page_scrolls_with_the_keyboard(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory()
    page = open_page(app.url + "waiting/office/ehrenfeld", width=PHONE[0], height=PHONE[1]).page
    settle(page)
    # Flutter mirrors its scrolling region as an element that scrolls
    scrolled = """() => { const s = document.querySelector(
            'flt-semantics[style*="overflow-y: scroll"]');
        return {top: s.scrollTop, end: s.scrollHeight - s.clientHeight} }"""
    page.wait_for_selector('flt-semantics[style*="overflow-y: scroll"]', state="attached")
    assert page.evaluate(scrolled)["end"] > 0  # the page is longer than the window
    # the button at the top of the screen, where the focus stays
    top = float(tab_to(page, "Aktualisieren")["y"])

    def moved_up() -> float:
        return top - float(page.evaluate(FOCUSED)["y"])

    page.keyboard.press("PageDown")
    page.wait_for_timeout(600)
    assert moved_up() > 0
    page.keyboard.press("End")
    page.wait_for_timeout(600)
    where = page.evaluate(scrolled)
    assert where["top"] == pytest.approx(where["end"], abs=2)  # its chart and map in view
    page.keyboard.press("PageUp")
    page.keyboard.press("PageUp")
    page.wait_for_timeout(600)
    assert moved_up() == pytest.approx(0, abs=2)  # back at the top


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("waiting/tickets", "Mit der Kamera scannen"),  # a button on the page
        ("waiting/tickets", "Zurück"),  # the white ring on the red title bar
        ("waiting/tickets", "Innenstadt"),  # a radio's focus tint
        ("waiting/tickets", "Wartezeiten"),  # an entry of the bar of areas
        ("", "Leichte Sprache"),  # a card of the start screen
    ],
)
def test_the_focus_is_plain_to_see(
    address: str,
    name: str,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
) -> None:
    """WCAG 2.4.7 and 1.4.11: the focused control changes by at least 3:1 of contrast over
    at least as many pixels as a 2 px line around it."""
    app = app_factory()
    page = open_page(app.url + address, width=PHONE[0], height=PHONE[1]).page
    settle(page)
    for _ in range(30):
        before = shot(page)
        focused = press_tab(page)
        if str(focused["name"]).startswith(name):
            break
    else:
        raise AssertionError(f"{name} was not reached by the keyboard")
    page.wait_for_timeout(300)  # the ring fades in
    x, y, w, h = (float(focused[k]) for k in ("x", "y", "w", "h"))
    grown = Box(name, x, y, w, h).grown(6)
    left, top = max(grown.x, 0), max(grown.y, 0)  # the Back button sits in the corner
    box = Box(name, left, top, grown.x + grown.w - left, grown.y + grown.h - top)
    after = shot(page, box)
    left, top = round(box.x), round(box.y)
    unfocused = before.crop((left, top, left + after.width, top + after.height))
    changed = changed_by_focus(unfocused, after)
    if focused["role"] == "radio":  # the radio's circle, not its label, is the control
        w = h = 40
    line = 2 * 2 * (w + h)  # a 2 px line around the control
    assert changed >= line, f"{name}: {changed} px changed by 3:1, {line:.0f} needed"
