"""Every screen of the app as a person reaches it, and what a browser can measure of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from app.routes import ROUTES
from tests.browser.conftest import settle

# An address for every route: a screen with parameters is shown with an example (an unknown
# appointment or dataset still shows a whole screen, with its explanation).
EXAMPLES: dict[str, str] = {
    "ticket": "/waiting/ticket/ehrenfeld/20261123001.unbekannt",
    "office": "/waiting/office/ehrenfeld",
    "number": "/waiting/number/ehrenfeld/A017",
    "reschedule": "/appointments/reschedule/100001",
    "appointment": "/appointments/view/100001/abcde",
    "confirm": "/appointments/confirm/100001/abcde",
    "dataset": "/data/kfz-zulassungen",
    "datastream": "/sensors/1",
    "survey": "/participate/masterplan-prioritaeten",  # a form with every kind of control
    "event": "/participate/join/KDW7PX",  # the sample workshop
    "results": "/participate/offene-daten/results",
    "tablet": "/participate/tablet/KDW7PX",
    "wall": "/participate/join/KDW7PX/wall",
}
APP_SCREENS = [EXAMPLES.get(r.name, r.pattern) for r in ROUTES if not r.kiosk] + ["/gibt/es/nicht"]
KIOSK_SCREENS = [EXAMPLES.get(r.name, r.pattern) for r in ROUTES if r.kiosk]

PHONE = (400, 860)
WIDE = (1280, 800)
KIOSK_PORTRAIT = (1080, 1920)
KIOSK_LANDSCAPE = (1280, 800)

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
INTERACTIVE = "button, tab, radio, checkbox, switch, link, slider, menuitem, combobox, textbox"
MIN_TARGET = 47.5  # px; 48 with room for sub-pixel layout

_axe = Axe()


@dataclass(frozen=True)
class Finding:
    """One problem on one screen."""

    screen: str
    what: str

    def __str__(self) -> str:
        return f"{self.screen}: {self.what}"


def go(page: Page, path: str) -> None:
    """Open `path` in the running app as a link inside it would (no reload)."""
    page.evaluate(
        "p => { history.pushState(null, '', p); dispatchEvent(new PopStateEvent('popstate')) }",
        path,
    )
    page.wait_for_function("p => location.pathname === p", arg=path)
    settle(page)


def axe_findings(page: Page, screen: str) -> list[Finding]:
    """axe-core's critical and serious WCAG 2.1 AA findings on the semantics tree."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(_axe.axe_script)
    # axe's promise has no deadline of its own, and Playwright's evaluate none either
    violations = page.evaluate(
        """options => Promise.race([
            axe.run(document, options).then(result => result.violations),
            new Promise((_, fail) => setTimeout(() => fail(new Error('axe: no answer in 60 s')),
                                                60000))])""",
        {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]},
    )
    return [
        Finding(screen, f"axe {v['impact']} {v['id']}: {v['help']} at {node['target']}")
        for v in violations
        if v["impact"] in ("critical", "serious")
        for node in v["nodes"]
    ]


# Controls a person can hit, fully in view (a control cut by the window's edge or a scrolling
# region's is not measured).
VISIBLE_CONTROLS = """roles => {
    // the bar of areas stays at the top: what scrolled up behind it is out of view
    const tabs = [...document.querySelectorAll('flt-semantics[role=tab]')]
        .map(t => t.getBoundingClientRect());
    const bar = tabs.length ? {top: Math.min(...tabs.map(t => t.top)),
                               bottom: Math.max(...tabs.map(t => t.bottom))} : null;
    return [...document.querySelectorAll('flt-semantics[role], input, textarea')]
    .filter(e => roles.includes(e.getAttribute('role') || e.tagName.toLowerCase())
                 || e.tagName === 'INPUT' || e.tagName === 'TEXTAREA')
    .map(e => { const r = e.getBoundingClientRect();
                const role = e.getAttribute('role') || e.tagName.toLowerCase();
                let box = {top: 0, left: 0, bottom: innerHeight, right: innerWidth};
                for (let a = e.parentElement; a; a = a.parentElement) {
                    if (/scroll/.test(a.style.overflowY + a.style.overflowX)) {
                        box = a.getBoundingClientRect(); break;
                    }
                }
                const behind_bar = bar && role !== 'tab' && r.bottom > bar.top
                                   && r.top < bar.bottom + 3;
                return {name: e.getAttribute('aria-label') || e.textContent.trim() || role,
                        role: role, x: r.left, y: r.top, w: r.width, h: r.height,
                        // Flutter cuts the box of a partly hidden control to what shows
                        visible: !behind_bar && r.top > Math.max(box.top, 0) + 3
                                 && r.left >= box.left
                                 && r.bottom < Math.min(box.bottom, innerHeight) - 3
                                 && r.right <= box.right} })
    .filter(b => b.visible) }"""


def visible_controls(page: Page) -> list[dict[str, Any]]:
    """Every control fully in view: its name, role and box (CSS pixels)."""
    found: list[dict[str, Any]] = page.evaluate(
        VISIBLE_CONTROLS, [r.strip() for r in INTERACTIVE.split(",")]
    )
    return found


def small_targets(page: Page, screen: str) -> list[Finding]:
    """Controls a finger cannot hit: smaller than 48 × 48 px (the bar's own tabs included)."""
    return [
        Finding(screen, f"target {b['name']!r} is {b['w']:.0f}×{b['h']:.0f} px")
        for b in visible_controls(page)
        if b["w"] < MIN_TARGET or b["h"] < MIN_TARGET
    ]


def outline(page: Page, screen: str, lang: str) -> list[Finding]:
    """The page's language, its title naming the screen, and exactly one main heading."""
    findings = []
    page_lang = page.evaluate("document.documentElement.lang")
    if page_lang != lang:
        findings.append(Finding(screen, f"<html lang={page_lang!r}>, expected {lang!r}"))
    title = page.title()
    if not title.endswith("– Köln App") or title == "Köln App":
        findings.append(Finding(screen, f"title {title!r} does not name the screen"))
    main = page.locator("flt-semantics h1, flt-semantics [role=heading][aria-level='1']").count()
    if main != 1:
        findings.append(Finding(screen, f"{main} main headings"))
    return findings
