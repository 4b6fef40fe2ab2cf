"""The start screen: what matters now (from saved data, at once), then every area as a tile."""

from __future__ import annotations

import flet as ft

from services import now as matters
from services.city_names import city_name
from views.appointments.common import status_text, when_text
from views.areas import AREAS
from views.context import ScreenContext, refresh_control
from views.participation import PILLARS
from views.waiting_times.common import describe, known_locations, office_names
from views.waiting_times.tickets import status_lines
from views.widgets import MIN_TOUCH, heading

EASY_LANGUAGE = "/settings/easy-language"


def area_tile(
    ctx: ScreenContext, key: str, route: str, label: str, description: str, icon: ft.IconData
) -> ft.Control:
    """A large tile that opens one area; its label is the area's name."""
    return ft.Card(
        content=ft.ListTile(
            leading=ft.Icon(icon, size=36),
            title=ft.Text(label, size=20, weight=ft.FontWeight.W_600),
            subtitle=ft.Text(description),
            on_click=lambda _e: ctx.navigate(route),
            min_height=72,
        ),
        key=f"home-{key}",
        width=440,
    )


def now_card(
    ctx: ScreenContext, key: str, icon: ft.IconData, title: str, lines: list[str], route: str
) -> ft.Control:
    """One thing that matters now; screen readers read its title and lines as one button."""
    return ft.Semantics(
        identifier=f"now-{key}",
        container=True,
        content=ft.Card(
            content=ft.ListTile(
                leading=ft.Icon(icon, size=32),
                title=ft.Text(title, size=18, weight=ft.FontWeight.BOLD),
                subtitle=ft.Text("\n".join(line for line in lines if line)),
                trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
                on_click=lambda _e: ctx.navigate(route),
                min_height=MIN_TOUCH + 24,
            ),
            width=440,
        ),
    )


def waiting_card(ctx: ScreenContext) -> ft.Control:
    """The quickest Kundenzentrum by a current value; never an old value as if it were new."""
    _ = ctx._
    title = _("Shortest wait right now")
    quickest = matters.quickest_office(
        ctx.services.coordinators.waiting_times.state.data, ctx.now()
    )
    office = quickest.office
    if office is not None:
        known = {loc.id for loc in known_locations(ctx)}
        route = matters.office_route(office.key, known)
        lines = [city_name(ctx.tr, office.office), describe(ctx, office)]
        return now_card(ctx, "waiting", ft.Icons.HOURGLASS_TOP, title, lines, route)
    why, icon = {
        matters.NOTHING_SAVED: (_("No waiting times saved yet."), ft.Icons.HOURGLASS_EMPTY),
        matters.ALL_CLOSED: (
            _("All Kundenzentren are closed right now."),
            ft.Icons.DO_NOT_DISTURB_ON,
        ),
    }.get(quickest.why_none, (_("There is no current waiting time right now."), ft.Icons.HISTORY))
    return now_card(ctx, "waiting", icon, title, [why], "/waiting")


def ticket_cards(ctx: ScreenContext) -> list[ft.Control]:
    """Each ticket the person follows that is still waiting or called, with its place."""
    _ = ctx._
    names = office_names(ctx)
    cards = []
    for ticket in matters.open_tickets(ctx.services.tickets.all(ctx.person)):
        number = ticket.status.display_number if ticket.status else "…"
        office = names.get(ticket.office, ticket.office)
        head = _("Number {number} · {office}").format(number=number, office=office)
        icon = ft.Icons.CAMPAIGN if ticket.is_called else ft.Icons.CONFIRMATION_NUMBER
        lines = [head, *status_lines(ctx, ticket)]
        route = matters.ticket_route(ticket)
        cards.append(now_card(ctx, f"ticket-{ticket.id}", icon, _("Your ticket"), lines, route))
    return cards


def appointment_card(ctx: ScreenContext) -> ft.Control | None:
    """The person's next appointment on this device, if there is one."""
    entry = matters.next_appointment(ctx.services.appointments.mine(ctx.person), ctx.now())
    if entry is None:
        return None
    lines = [
        city_name(ctx.tr, entry.service_name),
        when_text(ctx, entry.starts_at),
        city_name(ctx.tr, entry.office_name),
        status_text(ctx, entry),
    ]
    route = matters.appointment_route(entry)
    title = ctx._("Your next appointment")
    return now_card(ctx, "appointment", ft.Icons.EVENT, title, lines, route)


def survey_card(ctx: ScreenContext) -> ft.Control | None:
    """A survey that is open, as far as the saved list says."""
    _ = ctx._
    survey = matters.open_survey(ctx.services.coordinators.surveys.state.data, ctx.now())
    if survey is None:
        return None
    if survey.closes_at is not None:
        detail = _("Open until {date}").format(date=ctx.tr.long_date(survey.closes_at))
    else:
        detail = _(PILLARS.get(survey.pillar, survey.pillar))
    lines = [survey.title, detail]
    route = matters.survey_route(survey)
    return now_card(ctx, "survey", ft.Icons.HOW_TO_VOTE_OUTLINED, _("Open survey"), lines, route)


def sensor_card(ctx: ScreenContext) -> ft.Control | None:
    """The Rhine-level sensor with its latest saved value, if the saved overview has it."""
    stream = matters.rhine_level(ctx.services.coordinators.sensor_readings.state.data)
    if stream is None:
        return None
    value = None
    if stream.value is not None:
        value = f"{ctx.tr.number(round(stream.value, 2))} {stream.unit or ''}".strip()
    line = " · ".join(p for p in (stream.name, stream.thing_name, value) if p)
    route = matters.datastream_route(stream)
    return now_card(ctx, "sensor", ft.Icons.WATER, ctx._("Rhine level"), [line], route)


def easy_language_tile(ctx: ScreenContext) -> ft.Control:
    """The way to Leichte Sprache, always in German: it is an offer in German only."""
    return ft.Semantics(
        identifier="home-easy-language",
        container=True,
        content=ft.Card(
            content=ft.ListTile(
                leading=ft.Icon(ft.Icons.MENU_BOOK, size=36),
                title=ft.Text("Leichte Sprache", size=20, weight=ft.FontWeight.W_600),
                subtitle=ft.Text("Die App einfach erklärt"),
                on_click=lambda _e: ctx.navigate(EASY_LANGUAGE),
                min_height=72,
            ),
            width=440,
        ),
    )


def now_cards(ctx: ScreenContext) -> list[ft.Control]:
    """The cards of what matters now; what is not saved is left out."""
    optional = (appointment_card(ctx), survey_card(ctx), sensor_card(ctx))
    return [waiting_card(ctx), *ticket_cards(ctx), *(c for c in optional if c is not None)]


def build(ctx: ScreenContext) -> ft.Control:
    """The home screen: drawn from saved data at once, redrawn when that data changes."""
    _ = ctx._
    services = ctx.services
    cards = ft.Row(now_cards(ctx), wrap=True)

    def redraw(_payload: None = None) -> None:
        cards.controls = now_cards(ctx)
        refresh_control(cards)

    coordinators = services.coordinators
    for coordinator in (
        coordinators.waiting_times,
        coordinators.locations,
        coordinators.surveys,
        coordinators.sensor_readings,
    ):
        ctx.on_leave(coordinator.subscribe(redraw))
    if ctx.person is not None:
        ctx.on_leave(services.tickets.changes.add(ctx.person, redraw))
        ctx.on_leave(services.appointments.changes.add(ctx.person, redraw))
    coordinators.waiting_times.request_refresh()  # in the background; the cards show saved data
    tiles = [area_tile(ctx, a.key, a.route, _(a.label), _(a.description), a.icon) for a in AREAS]
    return ft.Column(
        [
            heading(_("Köln App")),
            ft.Text(_("Services of the City of Cologne, also offline.")),
            easy_language_tile(ctx),
            heading(_("Right now"), level=2),
            ft.Semantics(identifier="home-now", container=True, content=cards),
            heading(_("All areas"), level=2),
            ft.Semantics(identifier="home-areas", container=True, content=ft.Row(tiles, wrap=True)),
        ],
        spacing=16,
    )
