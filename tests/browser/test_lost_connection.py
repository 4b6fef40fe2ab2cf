"""A phone whose connection drops (screen locked, Wi-Fi to mobile) and comes back."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AppPage, RunningApp
from tests.browser.cut_proxy import CuttableProxy, proxy_to  # noqa: F401
from tests.browser.waiting_fixtures import Stub

pytestmark = pytest.mark.browser

OFFICE = "nippes"
OUTAGE = 15  # seconds without any connection


@pytest.mark.clock("2026-11-23T06:00")  # Monday before opening: the test opens the office
def test_the_ticket_screen_shows_the_call_after_the_connection_came_back(
    stub: Stub,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    proxy_to: list[CuttableProxy],  # noqa: F811
) -> None:
    stub.operator.open(OFFICE)
    queue = f"{stub.url}/queue/v1/locations/{OFFICE}/tickets"
    for _walk_in in range(10):
        httpx.post(queue, json={"serviceId": 1003}).raise_for_status()
    ticket = httpx.post(queue, json={"serviceId": 1001}).json()
    app = app_factory("--backend", stub.url, port=stub.app_port)
    proxy = CuttableProxy(stub.app_port)
    proxy_to.append(proxy)

    phone = open_page(
        f"{proxy.url}waiting/ticket/{OFFICE}/{ticket['token']}", width=400, height=860
    ).page
    number = ticket["displayNumber"]
    card = phone.get_by_role("group", name=re.compile(f"Nummer {number} · "))
    expect(card).to_have_accessible_name(re.compile(r"\d+ Nummern vor Ihnen"))

    proxy.cut()  # the page stays open; its connection is gone
    time.sleep(OUTAGE)
    assert proxy.refused > 0, "the page did not even try to come back"
    proxy.restore()

    def call_until(ahead: int) -> None:
        """The counters call numbers until `ahead` are left before ours."""
        for _round in range(40):
            status = httpx.get(f"{queue}/{ticket['token']}").json()
            if status["status"] != "queued" or status["numbersAhead"] <= ahead:
                return
            assert stub.operator.call_next(OFFICE, counter=1) is not None

    dialogs = phone.get_by_role("alertdialog")
    call_until(2)  # afterwards the counters go on calling
    # nobody touches the page: it must resume by itself and tell, first "nearly up" ...
    expect(dialogs.filter(has_text="ist bald dran")).to_be_visible(timeout=40_000)
    call_until(-1)
    # ... then "called", which takes the place of the older alert
    text = f"Ihre Nummer {number} wurde aufgerufen"
    alert = dialogs.filter(has_text=text)
    expect(alert).to_be_visible(timeout=40_000)
    expect(dialogs).to_have_count(1)
    alert.get_by_role("button", name="OK").click()
    expect(phone.locator("[flt-semantics-identifier=ticket-alert]")).to_contain_text(text)
    expect(card).to_have_accessible_name(re.compile("Aufgerufen an Schalter 1"))
    assert app.process.poll() is None
