"""Called means now: the call reaches the ticket page through the request the app holds open,
not through a polling round (the stub counts which of its answers carried the change)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import AppPage, RunningApp, snap
from tests.browser.waiting_fixtures import Stub, card, draw

pytestmark = pytest.mark.browser

OFFICE = "ehrenfeld"


def held_requests(stub: Stub, at_least: int, timeout: float = 20.0) -> dict[str, int]:
    """The stub's counts once it holds `at_least` waiting requests."""
    deadline = time.monotonic() + timeout
    while (counts := stub.operator.waiting())["held"] < at_least:
        assert time.monotonic() < deadline, f"the app holds no waiting request: {counts}"
        time.sleep(0.2)
    return counts


@pytest.mark.clock("2026-11-23T06:00")  # Monday before opening: the test opens the office
def test_the_call_arrives_through_the_held_request(
    stub: Stub,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    new_person: Callable[[], BrowserContext],
) -> None:
    stub.operator.open(OFFICE)
    for _walk_in in range(10):  # idle counters call the first ones at once; six stay waiting
        draw(stub, OFFICE)
    ticket = draw(stub, OFFICE)
    app_factory("--backend", stub.url, port=stub.app_port)
    phone = open_page(ticket["link"], person=new_person(), width=400, height=860)
    expect(card(phone, ticket["displayNumber"])).to_be_visible()
    before = held_requests(stub, at_least=1)

    for _round in range(10):  # counter 2 calls until it is this ticket's turn
        called = stub.operator.call_next(OFFICE, counter=2)
        assert called is not None, "the queue ran dry before the ticket"
        if called["displayNumber"] == ticket["displayNumber"]:
            break
    alert = phone.page.get_by_role("alertdialog").filter(
        has_text=f"Ihre Nummer {ticket['displayNumber']} wurde aufgerufen"
    )
    expect(alert).to_be_visible(timeout=15_000)
    expect(alert).to_contain_text("Schalter 2")
    after = stub.operator.waiting()
    # the change came back on a held request; not one plain request was answered meanwhile
    assert after["woken"] > before["woken"], (before, after)
    assert after["plain"] == before["plain"], (before, after)
    snap(phone.page, "ticket-called-de.png")
