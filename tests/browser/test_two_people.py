"""Many people, one app: two browsers (two people) keep their tickets, alerts, language apart."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from app.embedded_backend import free_port
from tests.browser.conftest import AppPage, RunningApp, goto, snap
from tests.browser.waiting_fixtures import Stub, card, draw

pytestmark = pytest.mark.browser

OFFICE = "kalk"


@pytest.mark.clock("2026-11-23T06:00")  # Monday before opening: the test opens the office
def test_tickets_and_alerts_belong_to_the_person_who_follows_them(
    stub: Stub,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    new_person: Callable[[], BrowserContext],
) -> None:
    stub.operator.open(OFFICE)
    for _walk_in in range(10):  # the counters call the first ones at once; six stay waiting
        draw(stub)
    anna_ticket, bert_ticket = draw(stub), draw(stub)
    app = app_factory("--backend", stub.url, port=stub.app_port)
    anna, bert = new_person(), new_person()

    # Anna scanned her ticket with the phone camera and has it open in two tabs
    anna_phone = open_page(anna_ticket["link"], person=anna, width=400, height=860)
    expect(card(anna_phone, anna_ticket["displayNumber"])).to_be_visible()
    anna_tab = open_page(app.url + "waiting/tickets", person=anna, width=400, height=860)
    expect(card(anna_tab, anna_ticket["displayNumber"])).to_be_visible()

    # Bert, on the same app, sees only his own ticket and cannot touch Anna's
    bert_phone = open_page(app.url + "waiting/tickets", person=bert, width=400, height=860)
    expect(bert_phone.page.get_by_text("Sie verfolgen noch keine Wartemarke.")).to_be_visible()
    goto(bert_phone.page, bert_ticket["link"])
    expect(card(bert_phone, bert_ticket["displayNumber"])).to_be_visible()
    expect(card(bert_phone, anna_ticket["displayNumber"])).to_have_count(0)
    expect(card(anna_tab, bert_ticket["displayNumber"])).to_have_count(0)

    # Anna's number is called: both her tabs are told, Bert's phone is not
    for _round in range(20):
        called = stub.operator.call_next(OFFICE, counter=1)
        assert called is not None, "the queue ran dry before Anna's number"
        if called["displayNumber"] == anna_ticket["displayNumber"]:
            break
    text = f"Ihre Nummer {anna_ticket['displayNumber']} wurde aufgerufen"
    for tab in (anna_phone, anna_tab):
        alert = tab.page.get_by_role("alertdialog").filter(has_text=text)
        expect(alert).to_be_visible(timeout=30_000)
    # Bert is next in line: he hears that his own number is nearly up, and nothing of Anna's
    bert_alerts = bert_phone.page.get_by_role("alertdialog")
    # his ticket is asked on the next round (every 20 s), not necessarily with Anna's
    expect(bert_alerts.filter(has_text=bert_ticket["displayNumber"])).to_be_visible(timeout=30_000)
    expect(bert_alerts.filter(has_text=anna_ticket["displayNumber"])).to_have_count(0)

    # Anna deletes her data: hers is gone and the app says what went; Bert's stays
    anna_tab.page.get_by_role("alertdialog").filter(has_text=text).get_by_role(
        "button", name="OK"
    ).click()
    goto(anna_tab.page, app.url + "settings")
    anna_tab.page.get_by_role("button", name="Meine Daten auf diesem Gerät löschen").click()
    anna_tab.page.get_by_role("button", name="Löschen", exact=True).click()
    expect(anna_tab.page.locator("[flt-semantics-identifier=deleted-data]")).to_have_text(
        "Gelöscht: 1 verfolgte Wartemarke.", timeout=10_000
    )
    anna_tab.page.mouse.move(200, 400)
    anna_tab.page.mouse.wheel(0, 3000)  # where a person who tapped the button would look
    snap(anna_tab.page, "settings-deleted-de.png")
    goto(anna_tab.page, app.url + "waiting/tickets")
    expect(anna_tab.page.get_by_text("Sie verfolgen noch keine Wartemarke.")).to_be_visible()
    goto(bert_phone.page, app.url + "waiting/tickets")
    expect(card(bert_phone, bert_ticket["displayNumber"])).to_be_visible()


def test_language_is_each_persons_own_and_kept_for_their_next_visit(
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    new_person: Callable[[], BrowserContext],
) -> None:
    port = free_port()  # local storage belongs to the address: the restart keeps it
    app = app_factory(port=port)
    anna, bert = new_person(), new_person()
    anna_tab = open_page(app.url + "settings", person=anna)
    anna_tab.page.get_by_role("radio", name="English").click()
    expect(anna_tab.page.get_by_text("Language", exact=True)).to_be_visible()

    bert_tab = open_page(app.url, person=bert)
    expect(bert_tab.page.get_by_text("Dienste der Stadt Köln, auch offline.")).to_be_visible()

    app.stop()
    app_factory(port=port, data_dir=app.data_dir)
    again = open_page(app.url, person=anna)
    expect(again.page.get_by_text("Services of the City of Cologne, also offline.")).to_be_visible()
    goto(bert_tab.page, app.url)
    expect(bert_tab.page.get_by_text("Dienste der Stadt Köln, auch offline.")).to_be_visible()
