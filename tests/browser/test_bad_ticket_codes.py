"""QR codes that are not our tickets get a clear message and never take the app elsewhere."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from backend_stub.clock import CITY_TZ, parse_clock
from backend_stub.queues.tokens import TicketSigner
from services.waiting_times.qr import qr_png
from tests.browser.conftest import AppPage, RunningApp, goto
from tests.browser.waiting_fixtures import SECRET, Stub

pytestmark = pytest.mark.browser

UPLOAD = "Foto oder Screenshot der Wartemarke"


def upload(page: Page, picture: Path) -> None:
    """Choose a picture through the app's own upload button, as a person would."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=UPLOAD).click()
    chooser.value.set_files(str(picture))


def qr_file(tmp_path: Path, name: str, payload: str) -> Path:
    path = tmp_path / f"{name}.png"
    path.write_bytes(qr_png(payload))
    return path


def test_foreign_codes_are_refused_with_a_message(
    stub: Stub,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    tmp_path: Path,
) -> None:
    app = app_factory("--backend", stub.url, port=stub.app_port)
    page = open_page(app.url + "waiting/tickets", width=400, height=860).page
    problem = page.locator("[flt-semantics-identifier=scan-problem]")
    cases = {
        "other-host": (
            "https://evil.example/waiting/ticket/kalk/2026100500001.AAAAAAAAAAAAAAAA",
            "führt zu einer anderen Website",
        ),
        "javascript": ("javascript:alert(document.cookie)", "kein Weblink der Köln App"),
        "data-url": ("data:text/html,<script>alert(1)</script>", "kein Weblink der Köln App"),
        "random-text": ("Guten Morgen, Köln!", "nicht der QR-Code einer Wartemarke"),
        "not-a-ticket": (app.url + "settings", "ist keine Wartemarke"),
        "long": (app.url + "waiting/ticket/kalk/" + "A" * 1500, "viel zu lang"),
    }
    for name, (payload, message) in cases.items():
        upload(page, qr_file(tmp_path, name, payload))
        expect(problem).to_contain_text(message)
        expect(page).to_have_url(re.compile(r"/waiting/tickets$"))
    junk = tmp_path / "junk.png"
    junk.write_bytes(bytes(range(256)) * 16)  # 4 KB that only pretend to be a picture
    upload(page, junk)
    expect(problem).to_contain_text("kein Bild, das die App lesen kann")
    blank = tmp_path / "blank.png"
    blank.write_bytes(_white_png())
    upload(page, blank)
    expect(problem).to_contain_text("kein QR-Code gefunden")
    expect(page.get_by_text("Sie verfolgen noch keine Wartemarke.")).to_be_visible()
    # the QR code of a workshop, scanned where tickets are: the workshop opens, not an error
    upload(page, qr_file(tmp_path, "workshop", app.url + "participate/join/KDW7PX"))
    expect(page).to_have_url(re.compile(r"/participate/join/KDW7PX$"))


def _white_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_forged_expired_and_misplaced_tickets_are_explained(
    stub: Stub,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    tmp_path: Path,
    test_clock: str,
) -> None:
    app = app_factory("--backend", stub.url, port=stub.app_port)
    signer = TicketSigner(SECRET.encode())
    today = parse_clock(test_clock).astimezone(CITY_TZ).date()
    cases = {
        "forged": ("kalk", "2026100500001.AAAAAAAAAAAAAAAA", "keine gültige Wartemarke"),
        "expired": (
            "kalk",
            signer.sign("kalk", today - timedelta(days=1), 3),
            "für einen früheren Tag",
        ),
        "other-office": ("kalk", signer.sign("porz", today, 1), "anderen Kundenzentrum"),
        "no-such-office": ("nowhere", "x.y.z", "kein Kundenzentrum dieses Namens"),
    }
    page = open_page(app.url + "waiting/tickets", width=400, height=860).page
    for name, (office, token, message) in cases.items():
        link = f"{app.url}waiting/ticket/{office}/{token}"
        upload(page, qr_file(tmp_path, name, link))
        expect(page.locator("[flt-semantics-identifier=ticket-problem]")).to_contain_text(message)
        expect(page).to_have_url(re.compile(re.escape(token) + "$"))
        page.get_by_role("button", name="Zurück").click()
        expect(page).to_have_url(re.compile(r"/waiting$"))
        goto(page, app.url + "waiting/tickets")
    expect(page.get_by_text("Sie verfolgen noch keine Wartemarke.")).to_be_visible()  # none saved
