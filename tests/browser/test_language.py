"""Switching the language in Settings takes effect at once (kept per person: test_two_people)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AppPage, RunningApp, snap

pytestmark = pytest.mark.browser


def test_switch_to_english_at_once(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory()
    page = open_page(app.url).page
    page.get_by_role("tab", name="Einstellungen").click()
    expect(page.get_by_text("Sprache", exact=True)).to_be_visible()
    page.get_by_role("radio", name="English").click()
    expect(page.get_by_text("Language", exact=True)).to_be_visible()
    page.get_by_role("tab", name="Start").click()
    for label in ("Waiting times", "Appointments", "Open data", "Sensors", "Participation"):
        expect(
            page.get_by_role("button", name=re.compile("^" + label + " (?!Tab)"))
        ).to_be_visible()
    expect(page.get_by_text("Services of the City of Cologne, also offline.")).to_be_visible()
    snap(page, "home-en.png")


def test_turkish_from_the_command_line(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory("--locale", "tr")
    page = open_page(app.url + "waiting").page
    expect(page.get_by_text("Bekleme süreleri", exact=True).first).to_be_visible()
    expect(page.locator("[flt-semantics-identifier=freshness]")).to_contain_text(
        "Kontrol:", timeout=30_000
    )  # the stub starts meanwhile
