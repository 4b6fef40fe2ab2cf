"""The start screen without a browser: what matters now, from saved data, and where it leads."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import flet as ft
import pytest

from services.appointments.wallet import CONFIRMED, NewEntry
from services.clock import FixedClock
from services.hub import AppServices
from services.i18n import Translator
from services.people import new_person_id
from services.waiting_times.feed import CLOSED, OPEN, State, WaitingTime, WaitingTimes
from services.waiting_times.ticket_link import TicketRef
from tests.conftest import AT_MONDAY_10
from tests.views.controls import texts, walk
from views import home
from views.context import ScreenContext
from views.widgets import MIN_TOUCH

pytestmark = [pytest.mark.anyio, pytest.mark.clock(AT_MONDAY_10)]


def cards(screen: ft.BaseControl) -> dict[str, ft.Semantics]:
    """The cards of what matters now, by their identifier."""
    return {
        c.identifier: c
        for c in walk(screen)
        if isinstance(c, ft.Semantics) and c.identifier and c.identifier.startswith("now-")
    }


def open_card(card: ft.BaseControl) -> None:
    """Tap the card as a person would."""
    tile = next(c for c in walk(card) if isinstance(c, ft.ListTile))
    assert tile.on_click is not None
    tile.on_click(None)  # type: ignore[call-arg, arg-type]


def context(services: AppServices, routes: list[str], person: str | None) -> ScreenContext:
    return ScreenContext(
        SimpleNamespace(),  # type: ignore[arg-type]  # building needs no page
        services,
        Translator("en"),
        routes.append,
        lambda _locale: None,
        person=person,
    )


def feed(clock: FixedClock) -> WaitingTimes:
    """Kalk is quickest by a current value; Porz shows less, but from three hours ago."""
    now = clock.now()

    def office(key: str, minutes: int | None, age: int, state: State = OPEN) -> WaitingTime:
        return WaitingTime(
            key=key,
            office=f"Kundenzentrum {key.title()}",
            measured_at=now - timedelta(minutes=age),
            wait_minutes=minutes,
            state=state,
        )

    return WaitingTimes(
        offices=[
            office("innenstadt", 40, 2),
            office("kalk", 12, 3),
            office("porz", 2, 180),
            office("nippes", None, 1, CLOSED),
        ]
    )


async def test_cards_show_what_matters_now_and_open_their_area(
    services: AppServices, clock: FixedClock
) -> None:
    person = new_person_id()
    await services.coordinators.locations.refresh()
    await services.coordinators.surveys.refresh()
    await services.coordinators.sensor_readings.refresh()
    services.coordinators.waiting_times.accept(feed(clock))
    drawn = await services.clients.queue.draw("kalk", 1001)
    followed, _error = await services.tickets.follow_checked(person, TicketRef("kalk", drawn.token))
    assert followed is not None and followed.status is not None
    services.appointments.wallet.put(
        person,
        NewEntry(
            process_id=4711,
            auth_key="ab12",
            service_id=1,
            service_name="Personalausweis beantragen",
            office_id=1,
            office_name="Kundenzentrum Porz",
            starts_at=clock.now() + timedelta(days=1),
            minutes=15,
            status=CONFIRMED,
        ),
        clock.now(),
    )
    routes: list[str] = []
    ctx = context(services, routes, person)

    screen = home.build(ctx)
    found = cards(screen)
    assert set(found) == {
        "now-waiting",
        f"now-ticket-{followed.id}",
        "now-appointment",
        "now-survey",
        "now-sensor",
    }

    waiting = texts(found["now-waiting"])
    assert waiting[:2] == ["Shortest wait right now", "Kundenzentrum Kalk"]
    assert "about 12 minutes waiting time" in waiting[2] and "Not current" not in waiting[2]
    ticket = "\n".join(texts(found[f"now-ticket-{followed.id}"]))
    assert f"Number {drawn.display_number} ·" in ticket
    ahead = followed.status.numbers_ahead
    assert f"{ahead} number{'' if ahead == 1 else 's'} ahead of you." in ticket
    appointment = "\n".join(texts(found["now-appointment"]))
    # the city's German service name, in the person's language
    assert "Apply for an identity card" in appointment and "Confirmed." in appointment
    survey = services.coordinators.surveys.data
    assert survey is not None
    assert any(s.title in "\n".join(texts(found["now-survey"])) for s in survey.entries)
    assert "Pegel Rhein" in "\n".join(texts(found["now-sensor"]))

    for key in found:
        open_card(found[key])
    streams = services.coordinators.sensor_readings.data
    assert streams is not None
    rhine = next(s for s in streams.entries if s.name == "Pegel Rhein")
    assert routes[0] == "/waiting/office/kalk"
    assert set(routes) == {
        "/waiting/office/kalk",
        f"/waiting/ticket/kalk/{drawn.token}",
        "/appointments/view/4711/ab12",
        routes[3],
        f"/sensors/{rhine.id}",
    }
    assert routes[3].startswith("/participate/")
    ctx.leave()


async def test_easy_language_headings_and_touch_targets(
    offline_services: AppServices,
) -> None:
    routes: list[str] = []
    ctx = context(offline_services, routes, new_person_id())
    screen = home.build(ctx)
    easy = next(
        c
        for c in walk(screen)
        if isinstance(c, ft.Semantics) and c.identifier == "home-easy-language"
    )
    assert texts(easy) == ["Leichte Sprache", "Die App einfach erklärt"]
    open_card(easy)
    assert routes == ["/settings/easy-language"]
    main = [c for c in walk(screen) if isinstance(c, ft.Semantics) and c.heading_level == 1]
    assert len(main) == 1 and texts(main[0]) == ["Köln App"]
    tiles = [c for c in walk(screen) if isinstance(c, ft.ListTile)]
    assert len(tiles) >= 7  # waiting card, Leichte Sprache, five areas
    assert all((t.min_height or 0) >= MIN_TOUCH and t.leading is not None for t in tiles)
    ctx.leave()


async def test_nothing_saved_leaves_cards_out_and_says_so_briefly(
    offline_services: AppServices,
) -> None:
    routes: list[str] = []
    ctx = context(offline_services, routes, new_person_id())
    found = cards(home.build(ctx))
    assert set(found) == {"now-waiting"}
    assert texts(found["now-waiting"]) == [
        "Shortest wait right now",
        "No waiting times saved yet.",
    ]
    open_card(found["now-waiting"])
    assert routes == ["/waiting"]
    ctx.leave()


async def test_an_old_value_is_not_shown_as_current(
    offline_services: AppServices, clock: FixedClock
) -> None:
    offline_services.coordinators.waiting_times.accept(feed(clock))
    clock.advance(timedelta(hours=1))  # every value is an hour old now
    ctx = context(offline_services, [], None)
    found = cards(home.build(ctx))
    assert texts(found["now-waiting"]) == [
        "Shortest wait right now",
        "There is no current waiting time right now.",
    ]
    ctx.leave()


async def test_cards_follow_changes_and_the_screen_lets_go_when_left(
    offline_services: AppServices, clock: FixedClock
) -> None:
    services = offline_services
    person = new_person_id()
    ctx = context(services, [], person)
    screen = home.build(ctx)
    assert ctx.holds > 0
    assert set(cards(screen)) == {"now-waiting"}

    services.coordinators.waiting_times.accept(feed(clock))
    assert texts(cards(screen)["now-waiting"])[1] == "Kundenzentrum Kalk"
    followed = services.tickets.follow(person, TicketRef("kalk", "abc.def"))
    assert f"now-ticket-{followed.id}" in cards(screen)
    assert "Not checked yet." in texts(cards(screen)[f"now-ticket-{followed.id}"])
    services.tickets.forget(person, followed.id)
    assert f"now-ticket-{followed.id}" not in cards(screen)

    ctx.leave()
    assert ctx.holds == 0
    assert services.live_counts()["coordinator_listeners"] == 0
    assert len(services.tickets.changes) == 0 and len(services.appointments.changes) == 0
