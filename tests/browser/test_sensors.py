"""Sensors as a person sees them, in German and English: the list grouped by kind with values
and levels in words, one sensor's chart with minimum, maximum and mean for 24 h / 7 d / 30 d,
and a second stream to compare. Sensor names come from the page: the stub may change them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from services.i18n import Translator
from services.sensors.thresholds import DEFAULTS
from tests.browser.conftest import ARTIFACTS, AppPage, RunningApp, settle, snap

pytestmark = pytest.mark.browser


def shot(page: Page, name: str) -> None:
    """A screenshot to look at (not for the README); the canvas trails the semantics tree."""
    size = page.viewport_size
    if size:
        page.mouse.move(size["width"] - 2, size["height"] - 2)
    page.wait_for_timeout(1200)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / name, full_page=True)


def any_of(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def lead(tr: Translator, message: str) -> str:
    """The words of a message before its first placeholder, as the page shows them."""
    return tr.gettext(message).split("{", 1)[0]


def summary_text(page: Page, ident: str) -> str:
    return page.locator(f"[flt-semantics-identifier={ident}]").inner_text()


def choose_period(page: Page, label: str, before: str) -> str:
    """Tap a period and wait until the minimum, maximum and mean say something else."""
    radio = page.get_by_role("radio", name=label)
    for _attempt in range(3):  # a tap while the screen redraws itself can miss, as a finger's can
        settle(page)
        radio.click()
        try:
            expect(radio).to_be_checked(timeout=3_000)
            break
        except AssertionError:
            continue
    expect(radio).to_be_checked()
    summary = page.locator("[flt-semantics-identifier=summary-main]")
    expect(summary).not_to_have_text(before, timeout=20_000)
    shown = summary.inner_text()
    while True:  # the semantics tree may trail the redraw by a frame: read it once it is still
        page.wait_for_timeout(300)
        again = summary.inner_text()
        if again == shown:
            return shown
        shown = again


@pytest.mark.parametrize("locale", ["de", "en"])
def test_list_by_kind_then_one_sensor_by_period_and_compared(
    locale: str, app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    tr = Translator(locale)
    app = app_factory("--locale", locale)
    tab = open_page(app.url + "sensors", width=900, height=1400)
    page = tab.page

    # the list: a heading per kind, each sensor with its value and its level in words
    kinds = [tr.gettext(t.label) for t in DEFAULTS.values()]
    expect(page.get_by_role("heading", name=any_of(kinds)).first).to_be_visible(timeout=40_000)
    words = [tr.gettext(w) for t in DEFAULTS.values() for w in t.words.values()]
    assessed = page.get_by_role("button", name=any_of([f"{w}: " for w in words]))
    expect(assessed.first).to_be_visible()
    sensor: Locator = assessed.first
    expect(sensor).to_contain_text(re.compile(r"\d"))  # a value
    shot(page, f"sensors-list-{locale}.png")
    if locale == "de":
        snap(page, "sensors-de.png")
    tile = sensor.inner_text()
    settle(page)
    sensor.click()

    # one sensor: its place (the one the list showed) and its level explained
    expect(page).to_have_url(re.compile(r"/sensors/[^/]+$"))
    where = page.locator("[flt-semantics-identifier=sensor-place]")
    expect(where).to_contain_text(lead(tr, "Place: {place}"))
    said = re.match(re.escape(lead(tr, "Place: {place}")) + r"(.+)", where.inner_text().strip())
    assert said is not None and tile.startswith(said.group(1).strip())
    expect(page.locator("[flt-semantics-identifier=sensor-level]")).to_contain_text(
        any_of([f"{w}: " for w in words])
    )
    summary = page.locator("[flt-semantics-identifier=summary-main]")
    for message in ("Minimum: {value} ({when})", "Maximum: {value} ({when})", "Mean: {value}"):
        expect(summary).to_contain_text(lead(tr, message), timeout=30_000)
    day = summary.inner_text()
    shot(page, f"sensors-detail-24h-{locale}.png")

    week = choose_period(page, tr.gettext("7 days"), day)
    month = choose_period(page, tr.gettext("30 days"), week)
    assert len({day, week, month}) == 3, (day, week, month)
    again = choose_period(page, tr.gettext("24 hours"), month)
    assert again == day  # the same shared history, cut again

    # compare with another stream: it is named and has its own minimum, maximum and mean
    nothing = page.get_by_role("button", name=tr.gettext("No comparison"), exact=True)
    for _attempt in range(3):
        settle(page)
        page.get_by_role("button", name=tr.gettext("Compare with")).click()
        try:
            expect(nothing).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            continue
    expect(nothing).to_be_visible()
    menu = page.get_by_role("group").filter(has=nothing).last
    options = menu.get_by_role("button")  # "no comparison", then the other streams
    expect(options.nth(1)).to_be_visible(timeout=20_000)
    other = options.nth(1).inner_text().strip()
    settle(page)
    options.nth(1).click()
    compared = page.locator("[flt-semantics-identifier=summary-compare]")
    expect(compared).to_contain_text(
        tr.gettext("Compared with: {name}").format(name=other), timeout=30_000
    )
    expect(compared).to_contain_text(lead(tr, "Mean: {value}"))
    expect(page.get_by_text(tr.gettext("Dashed line: {name}").format(name=other))).to_be_visible()
    shot(page, f"sensors-compare-{locale}.png")
    if locale == "de":
        snap(page, "sensor-compare-de.png")

    # back to the list: below it, the map of where the sensors are
    settle(page)
    page.get_by_role("button", name=tr.gettext("Back")).click()
    expect(page.get_by_role("heading", name=any_of(kinds)).first).to_be_visible()
    page.mouse.move(400, 700)
    page.mouse.wheel(0, 60_000)
    expect(page.get_by_role("heading", name=tr.gettext("Where the sensors are"))).to_be_visible()
    shot(page, f"sensors-map-{locale}.png")
    assert tab.outside_requests == []
