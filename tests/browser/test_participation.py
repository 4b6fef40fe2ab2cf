"""Taking part as a person does, in the browser: two surveys that together ask every kind of
question (ranking by buttons, Likert, multiple choice with a maximum, Likert matrix, single
choice with a question it opens, free text), the review that names what is missing, the
receipt, and the results wall on the projector that updates while people answer."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from backend_stub.participation.seed import SURVEYS
from services.i18n import Translator
from services.waiting_times.qr import qr_png
from tests.browser.conftest import AppPage, RunningApp, goto, settle, shown, snap, type_into
from tests.browser.cut_proxy import CuttableProxy, proxy_to  # noqa: F401
from tests.browser.waiting_fixtures import Stub

STATEMENTS = next(
    q["statements"]
    for s in SURVEYS
    if s["id"] == "offene-daten"
    for q in s["questions"]
    if q["id"] == "wichtigkeit"
)

pytestmark = pytest.mark.browser

TR = Translator("de")


def say(message: str, **values: object) -> str:
    """A message as the German screen shows it."""
    return TR.gettext(message).format(**values)


def tap(page: Page, role: str, name: str | re.Pattern[str], nth: int = 0) -> None:
    """Tap a control once the screen stands still (a redraw may move it under the finger)."""
    settle(page)
    page.get_by_role(role, name=name, exact=isinstance(name, str)).nth(nth).click()  # type: ignore[arg-type]


def review_and_send(page: Page) -> None:
    tap(page, "button", say("Review answers"))
    expect(page.get_by_role("heading", name=say("Review your answers"))).to_be_visible()
    tap(page, "button", say("Send answers"))
    receipt = page.locator("[flt-semantics-identifier=survey-receipt]")
    expect(receipt).to_contain_text(say("Your answer was counted. Thank you!"), timeout=20_000)
    reference = re.escape(say("Receipt reference: {receipt}", receipt=""))
    expect(receipt).to_contain_text(re.compile(reference + r"\S+"))


def answer_directly(stub: Stub, survey: str, answers: list[dict[str, object]]) -> None:
    """Somebody else in the room answers (on their own phone, straight to the API)."""
    response = httpx.post(
        f"{stub.url}/participation/v1/surveys/{survey}/responses",
        json={"device_token": uuid.uuid4().hex + uuid.uuid4().hex, "answers": answers},
        headers={"Idempotency-Key": uuid.uuid4().hex},
        timeout=10,
    )
    assert response.status_code in (200, 201), response.text


def test_every_kind_of_question_then_the_receipt_and_the_wall_updates(
    stub: Stub,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    new_person: Callable[[], BrowserContext],
) -> None:
    app = app_factory("--locale", "de", "--backend", stub.url, port=stub.app_port)

    # the projector shows the wall of the open-data survey: nobody has answered yet
    wall = open_page(app.url + "participate/offene-daten/results", width=1280, height=1400).page
    nobody = TR.ngettext("{n} person has taken part.", "{n} people have taken part.", 0)
    expect(shown(wall, nobody.format(n=0))).to_be_visible(timeout=30_000)
    hidden = TR.ngettext(
        "Fewer than {n} answer – not shown yet.", "Fewer than {n} answers – not shown yet.", 5
    ).format(n=5)
    expect(shown(wall, hidden).first).to_be_visible()

    page = open_page(app.url + "participate", person=new_person(), height=1800).page
    expect(page.get_by_role("heading", name="Digitale Verwaltung")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Smart City")).to_be_visible()

    # survey 1: ranking (with buttons, no dragging), Likert, multiple choice up to two
    tap(page, "button", re.compile("^Smart City: Sensoren und offenes WLAN"))
    expect(
        page.get_by_role("heading", name="Smart City: Sensoren und offenes WLAN")
    ).to_be_visible()
    tap(page, "button", say("Move {item} up", item="Digitaler Zwilling"))
    expect(page.get_by_role("group", name="2. Digitaler Zwilling")).to_be_visible()
    tap(page, "button", say("Move {item} up", item="Digitaler Zwilling"))
    expect(page.get_by_role("group", name="1. Digitaler Zwilling")).to_be_visible()
    tap(page, "radio", "4 – stimme eher zu")
    tap(page, "checkbox", "Am Rheinufer")
    tap(page, "checkbox", "An Schulen")
    tap(page, "checkbox", "In Parks")  # a third one is refused, and said why
    expect(page.get_by_role("checkbox", name="In Parks")).not_to_be_checked()
    refused = TR.ngettext(
        "You can choose up to {n} option. Remove one to choose another.",
        "You can choose up to {n} options. Remove one to choose another.",
        2,
    )
    expect(shown(page, refused.format(n=2))).to_be_visible()
    review_and_send(page)
    snap(page, "participation-receipt-de.png")

    # survey 2: a Likert matrix, a choice that opens a question, free text
    goto(page, app.url + "participate/offene-daten")
    expect(
        page.get_by_role("heading", name="Datenökonomie: Offene Daten standardmäßig")
    ).to_be_visible(timeout=30_000)
    for statement in range(3):  # one statement left out on purpose
        tap(page, "radio", "4 – wichtig", nth=statement)
    tap(page, "radio", "Ja, beruflich")
    expect(page.get_by_role("textbox")).to_be_visible()  # the question "Ja, beruflich" opens
    tap(page, "radio", "Ja")
    tap(page, "button", say("Review answers"))
    missing = say("Problem: {problem}", problem=say("Please answer every statement."))
    expect(shown(page, missing).first).to_be_visible()
    snap(page, "participation-review-de.png")
    tap(page, "button", say("Back to the questions"))
    tap(page, "radio", "4 – wichtig", nth=3)
    label = page.get_by_role("textbox").get_attribute("aria-label") or ""
    type_into(page, label, "Für eine App mit freien Parkplätzen")
    review_and_send(page)

    # four more people answer in the room: the wall counts five and shows the breakdown
    for _ in range(4):
        answer_directly(
            stub,
            "offene-daten",
            [
                {"question": "wichtigkeit", "values": {s["id"]: 5 for s in STATEMENTS}},
                {"question": "nutzung", "choice": "nein"},
                {"question": "ki_plattform", "choice": "ja"},
            ],
        )
    five = TR.ngettext("{n} person has taken part.", "{n} people have taken part.", 5)
    expect(shown(wall, five.format(n=5))).to_be_visible(timeout=20_000)
    everybody = say(
        "{place}. {label}: {share} ({answers})",
        place=1,
        label="Ja",
        share=TR.percent(1.0),
        answers=TR.ngettext("{n} answer", "{n} answers", 5).format(n=5),
    )
    expect(shown(wall, everybody)).to_be_visible()
    snap(wall, "participation-results-de.png")
    assert page.context != wall.context


EVENT = "KDW7PX"  # the stub's seeded workshop
EVENT_TITLE = "KölnDigital-Workshop: Smart City im Veedel"


def test_the_projector_shows_a_code_a_phone_reads_from_a_photo_and_joins(
    stub: Stub,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    new_person: Callable[[], BrowserContext],
    tmp_path: Path,
) -> None:
    app = app_factory("--locale", "de", "--backend", stub.url, port=stub.app_port)
    wall = open_page(app.url + f"participate/join/{EVENT.lower()}/wall", height=1000).page
    expect(wall.get_by_role("heading", name=EVENT_TITLE)).to_be_visible(timeout=30_000)
    expect(wall.locator("[flt-semantics-identifier=wall-join-code]")).to_have_text(EVENT)
    nobody = TR.ngettext("{n} person has taken part.", "{n} people have taken part.", 0)
    expect(shown(wall, nobody.format(n=0)).first).to_be_visible()  # each of its surveys
    expect(wall.get_by_role("tab")).to_have_count(0)  # a projector: no navigation to tap
    snap(wall, "participation-wall-de.png")

    # somebody in the room photographs the projector and picks the photo in the app
    photo = tmp_path / "projector.png"
    wall.screenshot(path=photo)
    phone = open_page(app.url + "participate/join", person=new_person(), width=400, height=860).page
    status = phone.locator("[flt-semantics-identifier=join-status]")
    with phone.expect_file_chooser() as chooser:
        tap(phone, "button", say("Photo of the workshop's QR code"))
    chooser.value.set_files(str(photo))
    expect(phone).to_have_url(re.compile(f"/participate/join/{EVENT}$"))
    expect(phone.get_by_role("heading", name=EVENT_TITLE)).to_be_visible()

    # a code that leads elsewhere is refused in words and opens nothing
    goto(phone, app.url + "participate/join")
    other = tmp_path / "other.png"
    other.write_bytes(qr_png(f"https://evil.example/participate/join/{EVENT}"))
    with phone.expect_file_chooser() as chooser:
        tap(phone, "button", say("Photo of the workshop's QR code"))
    chooser.value.set_files(str(other))
    expect(status).to_contain_text("führt zu einer anderen Website")
    expect(phone).to_have_url(re.compile(r"/participate/join$"))


def responses_on_stub(stub: Stub, survey: str) -> int:
    results = httpx.get(f"{stub.url}/participation/v1/surveys/{survey}/results").json()
    return int(results["responses"])


def test_an_answer_sent_while_the_line_is_down_arrives_once_when_it_is_back(
    stub: Stub,
    app_factory: Callable[..., RunningApp],
    open_page: Callable[..., AppPage],
    new_person: Callable[[], BrowserContext],
    proxy_to: list[CuttableProxy],  # noqa: F811
) -> None:
    # the line between the app and the city's participation server drops and comes back
    line = CuttableProxy(int(stub.url.rsplit(":", 1)[1]))
    proxy_to.append(line)
    app = app_factory("--locale", "de", "--backend", line.url.rstrip("/"), port=stub.app_port)
    page = open_page(app.url + "participate/smart-city-sensoren", person=new_person()).page
    expect(page.get_by_role("heading", name="Smart City: Sensoren und offenes WLAN")).to_be_visible(
        timeout=30_000
    )

    line.cut()
    tap(page, "button", say("Keep this order"))
    tap(page, "radio", "5 – stimme voll zu")
    tap(page, "checkbox", "In Parks")
    tap(page, "button", say("Review answers"))
    tap(page, "button", say("Send answers"))
    receipt = page.locator("[flt-semantics-identifier=survey-receipt]")
    expect(receipt).to_contain_text(
        say("Your answer is saved and will be sent when the connection is back.")
    )
    goto(page, app.url + "participate")  # the person looks around meanwhile
    waiting = TR.ngettext(
        "{n} answer waits to be sent; it is sent as soon as there is a connection.",
        "{n} answers wait to be sent; they are sent as soon as there is a connection.",
        1,
    ).format(n=1)
    expect(shown(page, waiting)).to_be_visible()
    assert responses_on_stub(stub, "smart-city-sensoren") == 0

    line.restore()  # the outbox tries again by itself
    expect(shown(page, waiting)).to_have_count(0, timeout=60_000)
    assert responses_on_stub(stub, "smart-city-sensoren") == 1  # once, not per try
