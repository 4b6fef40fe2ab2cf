"""Twice the text size, set in the app or in the browser: every button grows with its text
(none keeps a fixed height that cuts its label), and nothing runs out of the window."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from services.i18n import LOCALES
from tests.accessibility.screens import (
    APP_SCREENS,
    KIOSK_LANDSCAPE,
    KIOSK_PORTRAIT,
    PHONE,
    Finding,
    go,
    settle,
    visible_controls,
)
from tests.browser.conftest import AppPage, RunningApp, goto, snap

pytestmark = pytest.mark.browser

# A data table scrolls sideways as a whole (WCAG 1.4.10 exempts tables from reflow).
WIDER_THAN_THE_WINDOW = """() => [...document.querySelectorAll('flt-semantics[role]')]
    .filter(e => !e.closest('[role=table]'))
    .map(e => ({name: e.getAttribute('aria-label') || e.textContent.trim(),
                box: e.getBoundingClientRect()}))
    .filter(c => c.box.left >= 0 && c.box.left < innerWidth && c.box.right > innerWidth + 1)
    .map(c => c.name)"""
GROWS = 1.3  # one line at 200 %: 40 px of text and 28 of padding, against 20 and 28 at 100 %


def text_buttons(page: Page) -> dict[str, float]:
    """The height of each button in view that carries words (icon buttons are 48 px wide)."""
    return {
        c["name"]: c["h"] for c in visible_controls(page) if c["role"] == "button" and c["w"] > 56
    }


LOWEST = """() => Math.max(...[...document.querySelectorAll('flt-semantics')]
    .filter(e => e.textContent.trim() && !e.querySelector('flt-semantics'))
    .map(e => e.getBoundingClientRect().bottom))"""


def scroll_on(page: Page) -> bool:
    """Scroll the screen on by most of a window; False once its end was in view."""
    before = page.evaluate(LOWEST)
    size = page.viewport_size or {"width": PHONE[0], "height": PHONE[1]}
    page.mouse.move(size["width"] / 2, size["height"] / 2)
    page.mouse.wheel(0, size["height"] * 0.6)
    page.mouse.move(size["width"] - 4, 28)  # off the controls: no hover tint, no tooltip
    # a scroll redraws within a frame or two; a window read too early only measures less
    settle(page, quiet_ms=200)
    return bool(page.evaluate(LOWEST) < before - 1)


def whole_screen(page: Page, screen: str, *, most: int = 10) -> dict[str, float]:
    """The height of each text button of the whole screen, read a window at a time."""
    heights: dict[str, float] = {}
    for _ in range(most):
        # the tallest seen: a control at the edge of the window shows (and measures) a part
        for name, height in text_buttons(page).items():
            heights[name] = max(height, heights.get(name, 0))
        if not scroll_on(page):
            break
    return heights


def out_of_the_window(page: Page, screen: str) -> list[Finding]:
    """Controls that reach past the window's right edge: a label that cannot wrap."""
    return [
        Finding(screen, f"{name!r} runs out of the window")
        for name in page.evaluate(WIDER_THAN_THE_WINDOW)
    ]


def test_every_button_grows_with_the_text_and_nothing_runs_out_of_the_window(
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    new_person: Callable[[], BrowserContext],
) -> None:
    """A button with a fixed height stays as tall at 200 % and cuts the label that now needs
    more room ("Meine Wartemarke [verfolgen]"); one that leaves room grows with its text."""
    app = app_factory()
    page = open_page(app.url, person=new_person(), width=PHONE[0], height=PHONE[1]).page
    normal: dict[str, dict[str, float]] = {}
    for screen in APP_SCREENS:
        go(page, screen)
        normal[screen] = whole_screen(page, screen)
    go(page, "/settings")
    page.get_by_role("radio", name="200 %").click()
    page.wait_for_function("() => document.documentElement.style.fontSize === '200%'")
    settle(page)
    findings: list[Finding] = []
    for screen in APP_SCREENS:
        go(page, screen)
        if screen == "/waiting":
            snap(page, "large-text-waiting-de.png")
        if screen == "/waiting/tickets":
            expect(page.get_by_role("radio", name="Innenstadt")).to_be_attached()
            page.mouse.move(PHONE[0] / 2, PHONE[1] / 2)
            page.mouse.wheel(0, 1000)  # the form: Kundenzentrum, number and button
            settle(page)
            snap(page, "large-text-ticket-form-de.png")
            go(page, screen)
        findings += out_of_the_window(page, screen)
        for name, height in whole_screen(page, screen).items():
            if name in normal[screen] and height < normal[screen][name] * GROWS:
                findings.append(
                    Finding(
                        screen,
                        f"{name!r} is {height:.0f} px tall at 200 %, "
                        f"{normal[screen][name]:.0f} px at 100 %",
                    )
                )
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize(
    "size",
    [KIOSK_PORTRAIT, KIOSK_LANDSCAPE, (480, 900)],
    ids=["upright", "landscape", "narrow"],  # narrow: the kiosk's page on a small screen
)
def test_the_kiosk_at_the_browsers_double_text_size(
    size: tuple[int, int],
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
) -> None:
    """A kiosk keeps no setting of its own: its browser's font size is the operator's."""
    app = app_factory(env={"KOELN_KIOSK_OFFICE": "ehrenfeld"})
    page = open_page(app.url + "kiosk", width=size[0], height=size[1]).page
    browser_setting = page.context.new_cdp_session(page)
    browser_setting.send("Page.setFontSizes", {"fontSizes": {"standard": 32}})  # 200 %
    goto(page, app.url + "kiosk")
    expect(page.get_by_role("button", name="Personalausweis beantragen")).to_be_visible()
    settle(page)
    if size == KIOSK_PORTRAIT:
        snap(page, "large-text-kiosk-de.png")
    findings = out_of_the_window(page, "/kiosk")
    choices = {  # (a button only ever seen in part at the window's edge is left out)
        n: h
        for n, h in whole_screen(page, "/kiosk").items()
        if n not in LOCALES.values() and h >= 48
    }
    assert choices and min(choices.values()) >= 96 * 1.2, choices  # 96 px at 100 %
    go(page, "/kiosk/calls")
    findings += out_of_the_window(page, "/kiosk/calls")
    assert not findings, "\n".join(map(str, findings))
