"""Kundenzentren by distance: with the person's permission only, and the position kept nowhere."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import RunningApp, open_app, snap

pytestmark = pytest.mark.browser

IN_PORZ = {"latitude": 50.872, "longitude": 7.058}


def test_a_person_who_allows_location_sees_the_nearest_first(
    browser: Browser, app_factory: Callable[..., RunningApp]
) -> None:
    app = app_factory()
    person = browser.new_context(geolocation=IN_PORZ, permissions=["geolocation"])
    try:
        page = open_app(person, app.url + "waiting", width=400, height=860).page
        expect(page.get_by_text("Kundenzentrum Porz")).to_be_visible()
        page.get_by_role("radio", name="Nächste zuerst").click()
        rows = page.get_by_role("button", name=re.compile(r"^Kundenzentrum \w+.* km entfernt"))
        nearest = re.compile(r"^Kundenzentrum Porz .* 0,9 km entfernt")
        expect(rows.first).to_have_accessible_name(nearest)
        expect(rows.nth(1)).not_to_have_accessible_name(re.compile("Porz"))
        snap(page, "waiting-nearest-de.png")
    finally:
        person.close()
    stored = (app.data_dir / "koeln-app.sqlite3").read_bytes()
    assert b"50.87" not in stored and b"7.058" not in stored  # the position was not kept


def test_without_permission_the_list_stays_by_wait_and_says_why(
    browser: Browser, app_factory: Callable[..., RunningApp]
) -> None:
    app = app_factory()
    person = browser.new_context()  # no permission for geolocation
    try:
        page = open_app(person, app.url + "waiting", width=400, height=860).page
        expect(page.get_by_text("Kundenzentrum Porz")).to_be_visible()
        page.get_by_role("radio", name="Nächste zuerst").click()
        expect(page.get_by_text("Ihr Standort ist nicht verfügbar", exact=False)).to_be_visible()
        expect(page.get_by_role("radio", name="Kürzeste Wartezeit")).to_be_checked()
    finally:
        person.close()
