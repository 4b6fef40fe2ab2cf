"""The whole way of a paper ticket: kiosk, QR code, phone, called to the counter."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, AppPage, RunningApp, snap
from tests.browser.waiting_fixtures import Stub

pytestmark = pytest.mark.browser

OFFICE = "innenstadt"


@pytest.mark.clock("2026-11-23T06:00")  # a Monday before opening: an empty hall
def test_a_ticket_from_the_kiosk_is_followed_on_the_phone_until_it_is_called(
    stub: Stub,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
) -> None:
    stub.operator.open(OFFICE)
    for _walk_in in range(9):  # idle counters call the first four at once; five stay waiting
        httpx.post(f"{stub.url}/queue/v1/locations/{OFFICE}/tickets", json={"serviceId": 1003})
    app = app_factory("--backend", stub.url, port=stub.app_port, env={"KOELN_KIOSK_OFFICE": OFFICE})
    kiosk = open_page(app.url + "kiosk", width=1080, height=1600).page
    expect(kiosk.get_by_text("Kundenzentrum Innenstadt")).to_be_visible()
    kiosk.get_by_role("button", name=re.compile("Personalausweis beantragen")).click()
    number = kiosk.locator("[flt-semantics-identifier=kiosk-number]")
    expect(number).to_have_text(re.compile(r"^A\d{3}$"))
    display_number = number.inner_text().strip()
    snap(kiosk, "kiosk-ticket-de.png")

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "kiosk-ticket.png"
    kiosk.screenshot(path=shot)
    codes = [c.text for c in zxingcpp.read_barcodes(Image.open(shot)) if c.valid]
    assert len(codes) == 1, codes
    link = codes[0]
    assert link.startswith(f"{app.url}waiting/ticket/{OFFICE}/"), link
    token = link.rsplit("/", 1)[1]
    assert display_number[1:].lstrip("0") not in token.split(".")[1]

    phone = open_page(link, width=400, height=860).page
    # a ticket card reads as one group: number, Kundenzentrum, place in queue, expected wait
    card = phone.get_by_role(
        "group", name=re.compile(f"Nummer {display_number} · Kundenzentrum Innenstadt")
    )
    expect(card).to_have_accessible_name(re.compile(r"5 Nummern vor Ihnen\. Erwartet: etwa \d+"))
    snap(phone, "ticket-phone-de.png")

    for _round in range(300):
        called = stub.operator.call_next(OFFICE, counter=2)
        assert called is not None, "the queue ran dry before our number"
        if called["displayNumber"] == display_number:
            break
    called_text = (
        f"Ihre Nummer {display_number} wurde aufgerufen: Bitte gehen Sie jetzt zu Schalter 2."
    )
    dialog = phone.get_by_role("alertdialog")
    expect(dialog).to_contain_text(called_text, timeout=30_000)  # the app asks every 20 s
    snap(phone, "ticket-called-de.png")
    # the alert rings: the sound comes from the app's own assets, nowhere else
    loaded = phone.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert f"{app.url}sounds/called.wav" in loaded, loaded
    dialog.get_by_role("button", name="OK").click()
    expect(phone.locator("[flt-semantics-identifier=ticket-alert]").first).to_contain_text(
        called_text
    )
