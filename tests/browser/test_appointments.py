"""Booking as a person does it: wizard, email link, confirmation with QR code and calendar
file, My appointments, cancelling; and checking in at the kiosk with the process number."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import ARTIFACTS, AppPage, RunningApp, snap, type_into
from tests.browser.cut_proxy import CuttableProxy, proxy_to  # noqa: F401
from tests.browser.waiting_fixtures import Stub

pytestmark = pytest.mark.browser

BERLIN = ZoneInfo("Europe/Berlin")
ZMS = "/terminvereinbarung/api/citizen"


def appointment_on_stub(stub: Stub, process_id: int, auth_key: str) -> dict:  # type: ignore[type-arg]
    response = httpx.get(
        f"{stub.url}{ZMS}/appointment/", params={"processId": process_id, "authKey": auth_key}
    )
    response.raise_for_status()
    return response.json()  # type: ignore[no-any-return]


def test_book_confirm_add_to_calendar_and_cancel(
    stub: Stub, app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory("--backend", stub.url, port=stub.app_port)
    tab = open_page(app.url + "appointments")
    page = tab.page
    expect(page.get_by_text("Sie haben keine Termine auf diesem Gerät.")).to_be_visible()
    page.get_by_role("button", name="Termin buchen").first.click()

    # 1 service: searchable, with fee and what to bring
    expect(page.get_by_text("Schritt 1 von 6: Dienstleistung")).to_be_visible()
    type_into(page, "Dienstleistungen durchsuchen", "Personalausweis")
    service = page.get_by_role("button", name=re.compile(r"^Personalausweis beantragen"))
    expect(service).to_contain_text("Gebühr: 37,00 €")
    expect(service).to_contain_text("Bitte mitbringen:")
    snap(page, "booking-service-de.png")
    service.click()

    # 2 Kundenzentrum: each with its next free day, and the earliest anywhere
    expect(page.get_by_text("Schritt 2 von 6: Kundenzentrum")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Am frühesten, egal wo"))).to_be_visible()
    kalk = page.get_by_role("button", name=re.compile(r"^Kundenzentrum Kalk"))
    expect(kalk).to_contain_text("Nächster freier Tag:")
    kalk.click()

    # 3 day, 4 time; Back keeps what was chosen
    expect(page.get_by_text("Schritt 3 von 6: Tag")).to_be_visible()
    free_day = page.locator(
        "flt-semantics[flt-semantics-identifier^='day-']:not([aria-disabled='true'])"
    ).first
    day_id = free_day.get_attribute("flt-semantics-identifier")
    snap(page, "booking-day-de.png")
    free_day.click()
    expect(page.get_by_text("Schritt 4 von 6: Uhrzeit")).to_be_visible()
    page.get_by_role("button", name="Vorheriger Schritt").click()
    # the chosen day is still marked as chosen (to screen readers too)
    expect(page.locator(f"[flt-semantics-identifier='{day_id}']")).to_have_attribute(
        "aria-current", "true"
    )
    page.locator(f"[flt-semantics-identifier='{day_id}']").click()
    first_time = page.get_by_role("button", name=re.compile(r"^\d{1,2}:\d{2}")).first
    chosen = first_time.inner_text().strip()[:5]
    first_time.click()

    # 5 contact details: checked before anything is sent
    expect(page.get_by_text("Schritt 5 von 6: Ihre Angaben")).to_be_visible()
    expect(page.locator("[flt-semantics-identifier=reserved-until]")).to_contain_text(
        "für Sie reserviert"
    )
    type_into(page, "E-Mail", "anna@")
    type_into(page, "Telefon (freiwillig)", "0221 abc")
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_text("Bitte geben Sie Ihren Namen ein.")).to_be_visible()
    expect(page.get_by_text("Das ist keine E-Mail-Adresse", exact=False)).to_be_visible()
    expect(page.get_by_text("Eine Telefonnummer besteht aus Ziffern", exact=False)).to_be_visible()
    snap(page, "booking-contact-errors-de.png")
    type_into(page, "Name", "Anna Beispiel")
    type_into(page, "E-Mail", "anna@example.de")
    type_into(page, "Telefon (freiwillig)", "0221 12345")
    page.get_by_role("button", name="Weiter").click()

    # 6 summary, then booking; the email step of ZMS is shown
    expect(page.get_by_text("Schritt 6 von 6: Zusammenfassung")).to_be_visible()
    expect(page.get_by_text("anna@example.de")).to_be_visible()
    page.get_by_role("button", name="Jetzt buchen").click()
    expect(page.locator("[flt-semantics-identifier=booking-sent]")).to_contain_text(
        "noch nicht bestätigt"
    )
    snap(page, "booking-sent-de.png")
    page.get_by_role("button", name="Bestätigungslink öffnen").click()

    # confirmation: time in German, address, what to bring, QR code, calendar file
    expect(page.locator("[flt-semantics-identifier=appointment-confirmed]")).to_contain_text(
        "Ihr Termin ist bestätigt."
    )
    match = re.search(r"/appointments/confirm/(\d+)/([A-Za-z0-9]+)$", page.url)
    assert match, page.url
    process_id, auth_key = int(match.group(1)), match.group(2)
    when = page.locator("[flt-semantics-identifier=appointment-when]")
    expect(when).to_contain_text(re.compile(rf"^\w+, \d{{1,2}}\. \w+ 20\d\d, {chosen} Uhr$"))
    expect(page.get_by_text("Bitte mitbringen:", exact=False).first).to_be_visible()
    snap(page, "appointment-confirmed-de.png")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "appointment-qr.png"
    page.screenshot(path=shot)
    codes = [c.text for c in zxingcpp.read_barcodes(Image.open(shot)) if c.valid]
    assert codes == [f"{app.url}appointments/view/{process_id}/{auth_key}"], codes

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Zum Kalender hinzufügen").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    ics = download.path().read_text(encoding="utf-8")
    assert "BEGIN:VTIMEZONE" in ics and "TZID:Europe/Berlin" in ics
    server = appointment_on_stub(stub, process_id, auth_key)
    assert server["status"] == "confirmed"
    starts = datetime.fromtimestamp(int(server["timestamp"]), BERLIN)
    assert f"DTSTART;TZID=Europe/Berlin:{starts:%Y%m%dT%H%M%S}" in ics
    assert f"{starts:%H:%M}" == chosen
    assert "anna@example.de" not in ics

    # My appointments: the wallet, and cancelling from there
    page.get_by_role("button", name="Meine Termine").click()
    card = page.locator(f"[flt-semantics-identifier=appointment-{process_id}]")
    expect(
        page.get_by_role("group", name=re.compile(r"^Personalausweis beantragen .* Bestätigt\.$"))
    ).to_be_visible()
    snap(page, "appointments-mine-de.png")
    card.get_by_role("button", name="Termin absagen").click()
    page.get_by_role("button", name="Ja, absagen").click()
    expect(page.get_by_text("Sie haben keine Termine auf diesem Gerät.")).to_be_visible()
    assert appointment_on_stub(stub, process_id, auth_key)["status"] == "deleted"
    assert tab.outside_requests == []


def book_on_stub(stub: Stub, office_id: int, service_id: int, when: int) -> tuple[int, str]:
    """An appointment booked and confirmed straight through the API (as if on another phone)."""
    base = stub.url + ZMS
    process = httpx.post(
        f"{base}/reserve-appointment/",
        json={
            "officeId": office_id,
            "serviceId": [service_id],
            "serviceCount": [1],
            "timestamp": when,
        },
    ).json()
    keyed = {"processId": process["processId"], "authKey": process["authKey"]}
    httpx.post(
        f"{base}/update-appointment/",
        json={**keyed, "familyName": "Test", "email": "t@example.de", "telephone": ""},
    ).raise_for_status()
    httpx.post(f"{base}/preconfirm-appointment/", json=keyed).raise_for_status()
    httpx.post(f"{base}/confirm-appointment/", json=keyed).raise_for_status()
    return process["processId"], process["authKey"]


@pytest.mark.clock("2026-11-23T09:40")  # a Monday morning
def test_kiosk_check_in_gives_a_ticket_ahead_of_the_walk_ins(
    stub: Stub, app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    office = "innenstadt"
    stub.operator.open(office)
    for _walk_in in range(12):
        httpx.post(f"{stub.url}/queue/v1/locations/{office}/tickets", json={"serviceId": 1003})
    catalogue = httpx.get(f"{stub.url}{ZMS}/offices-and-services/").json()
    office_id = next(o["id"] for o in catalogue["offices"] if o["name"].endswith("Innenstadt"))
    today = datetime(2026, 11, 23).date().isoformat()
    calendar = httpx.get(
        f"{stub.url}{ZMS}/available-calendar/",
        params={
            "startDate": today,
            "endDate": today,
            "officeIds": office_id,
            "serviceIds": 1001,
            "serviceCounts": 1,
        },
    ).json()
    times = [
        t for day in calendar["availableDays"] for o in day["offices"] for t in o["appointments"]
    ]
    process_id, _key = book_on_stub(stub, office_id, 1001, min(times))

    app = app_factory("--backend", stub.url, port=stub.app_port, env={"KOELN_KIOSK_OFFICE": office})
    kiosk = open_page(app.url + "kiosk", width=1080, height=1920).page
    kiosk.get_by_role("button", name="Ich habe einen Termin").click()
    type_into(kiosk, "Vorgangsnummer", "999999999")
    kiosk.get_by_role("button", name="Einchecken").click()
    expect(kiosk.locator("[flt-semantics-identifier=check-in-problem]")).to_contain_text(
        "Es wurde kein Termin mit dieser Nummer gefunden.", timeout=20_000
    )
    type_into(kiosk, "Vorgangsnummer", str(process_id))
    kiosk.get_by_role("button", name="Einchecken").click()
    number = kiosk.locator("[flt-semantics-identifier=kiosk-number]")
    expect(number).to_have_text(re.compile(r"^T\d{3}$"), timeout=20_000)
    expect(kiosk.get_by_text("0 Nummern vor Ihnen.", exact=False)).to_be_visible()
    snap(kiosk, "kiosk-check-in-de.png")


def test_a_cancellation_made_offline_arrives_when_the_connection_is_back(
    stub: Stub,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    new_person: Callable[[], BrowserContext],
    proxy_to: list[CuttableProxy],  # noqa: F811
    test_clock: str,
) -> None:
    # the line between the app and the city's systems drops and comes back
    line = CuttableProxy(int(stub.url.rsplit(":", 1)[1]))
    proxy_to.append(line)
    app = app_factory("--backend", line.url.rstrip("/"), port=stub.app_port)
    catalogue = httpx.get(f"{stub.url}{ZMS}/offices-and-services/").json()
    office_id = catalogue["relations"][0]["officeId"]
    service_id = catalogue["relations"][0]["serviceId"]
    today = datetime.fromisoformat(test_clock).date()
    calendar = httpx.get(
        f"{stub.url}{ZMS}/available-calendar/",
        params={
            "startDate": (today + timedelta(days=1)).isoformat(),  # any hour: a day ahead
            "endDate": (today + timedelta(days=50)).isoformat(),
            "officeIds": office_id,
            "serviceIds": service_id,
            "serviceCounts": 1,
        },
    ).json()
    when = calendar["availableDays"][0]["offices"][0]["appointments"][0]
    process_id, auth_key = book_on_stub(stub, office_id, service_id, when)

    anna = new_person()
    page = open_page(f"{app.url}appointments/confirm/{process_id}/{auth_key}", person=anna).page
    expect(page.locator("[flt-semantics-identifier=appointment-when]")).to_be_visible()
    page.get_by_role("button", name="Meine Termine").click()
    card = page.locator(f"[flt-semantics-identifier=appointment-{process_id}]")
    # another person on another phone sees none of Anna's appointments
    ben = open_page(f"{app.url}appointments", person=new_person()).page
    expect(ben.get_by_text("Sie haben keine Termine auf diesem Gerät.")).to_be_visible()

    line.cut()
    card.get_by_role("button", name="Termin absagen").click()
    page.get_by_role("button", name="Ja, absagen").click()
    expect(page.locator("[flt-semantics-identifier=cancellations-waiting]")).to_contain_text(
        "1 Absage wartet auf eine Verbindung"
    )
    expect(card).to_contain_text("Auf diesem Gerät abgesagt; die Absage wird gesendet")
    snap(page, "appointment-cancel-offline-de.png")
    assert appointment_on_stub(stub, process_id, auth_key)["status"] == "confirmed"

    line.restore()  # the outbox tries again by itself (within half a minute)
    expect(page.get_by_text("Sie haben keine Termine auf diesem Gerät.")).to_be_visible(
        timeout=60_000
    )
    expect(page.locator("[flt-semantics-identifier=cancellations-waiting]")).to_have_count(0)
    assert appointment_on_stub(stub, process_id, auth_key)["status"] == "deleted"
