"""Every screen, in every language, at phone and wide size and on the kiosk in portrait and
landscape: axe-core finds nothing critical or serious, every control is big enough to hit,
and the page says its language, names the screen and has one main heading."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from tests.accessibility.screens import (
    APP_SCREENS,
    KIOSK_LANDSCAPE,
    KIOSK_PORTRAIT,
    KIOSK_SCREENS,
    PHONE,
    WIDE,
    Finding,
    axe_findings,
    go,
    outline,
    settle,
    small_targets,
)
from tests.browser.conftest import AppPage, RunningApp

pytestmark = pytest.mark.browser

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "tr": "Türkçe"}


def choose_language(app_page: AppPage, lang: str) -> None:
    """Pick the language in Settings, as a person would."""
    page = app_page.page
    go(page, "/settings")
    page.get_by_role("radio", name=LANGUAGE_NAMES[lang]).click()
    page.wait_for_function("l => document.documentElement.lang === l", arg=lang)
    settle(page)


def check(app_page: AppPage, screen: str, lang: str, size: tuple[int, int]) -> list[Finding]:
    """Everything measured on the screen shown now."""
    where = f"{screen} [{lang}, {size[0]}×{size[1]}]"
    page = app_page.page
    return [
        *axe_findings(page, where),
        *small_targets(page, where),
        *outline(page, where, lang),
    ]


@pytest.mark.parametrize("lang", ["de", "en", "tr"])
def test_every_screen_meets_wcag_aa(
    lang: str,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    new_person: Callable[[], BrowserContext],
) -> None:
    app = app_factory()
    app_page = open_page(app.url, person=new_person(), width=PHONE[0], height=PHONE[1])
    choose_language(app_page, lang)
    findings: list[Finding] = []
    for size in (PHONE, WIDE):
        app_page.page.set_viewport_size({"width": size[0], "height": size[1]})
        for screen in APP_SCREENS:
            go(app_page.page, screen)
            findings += check(app_page, screen, lang, size)
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize("lang", ["de", "en", "tr"])
def test_kiosk_screens_meet_wcag_aa(
    lang: str, app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory(env={"KOELN_KIOSK_OFFICE": "ehrenfeld"})
    findings: list[Finding] = []
    for size in (KIOSK_PORTRAIT, KIOSK_LANDSCAPE):
        for screen in KIOSK_SCREENS:
            app_page = open_page(app.url.rstrip("/") + screen, width=size[0], height=size[1])
            page = app_page.page
            if lang != "de" and screen == "/kiosk":  # a visitor switches for themselves
                page.get_by_role("button", name=LANGUAGE_NAMES[lang]).click()
                page.wait_for_function("l => document.documentElement.lang === l", arg=lang)
            settle(page)
            findings += check(app_page, screen, lang if screen == "/kiosk" else "de", size)
            page.close()
    assert not findings, "\n".join(map(str, findings))
