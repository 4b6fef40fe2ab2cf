"""The app's routes, declared once: pattern, screen, area and parent of every URL and deep link."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import flet as ft

from services.i18n import N_
from services.waiting_times.queue import TICKET_NUMBER
from views import (
    accessibility,
    easy_language,
    home,
    more,
    not_found,
    participation,
    sensors,
    settings,
)
from views.appointments import appointment, booking, mine
from views.context import ScreenContext
from views.open_data import dataset, search
from views.waiting_times import kiosk, number, office, overview, tickets

Screen = Callable[..., ft.Control]

# The type of each route parameter: nothing else may reach a screen from a URL.
PARAM_TYPES: dict[str, re.Pattern[str]] = {
    "office": re.compile(r"[a-z0-9-]{1,40}"),  # a Kundenzentrum's short name
    "token": re.compile(r"[A-Za-z0-9._-]{1,100}"),  # a signed ticket token
    "number": TICKET_NUMBER,  # a number as printed, e.g. A017
    "dataset": re.compile(r"[A-Za-z0-9._~-]{1,200}"),  # CKAN ids and names
    "datastream": re.compile(r"[A-Za-z0-9._~-]{1,200}"),  # SensorThings ids are opaque
    "survey": re.compile(r"(?!\.+$)[A-Za-z0-9._~-]{1,200}"),  # not "." or "..": a path step
    "code": re.compile(r"[A-Za-z0-9-]{4,20}"),  # a workshop's join code, e.g. KDW7PX
    "process": re.compile(r"[0-9]{1,12}"),  # a ZMS processId
    "key": re.compile(r"[A-Za-z0-9]{4,5}"),  # its authKey
}


@dataclass(frozen=True)
class RouteSpec:
    """One route: its name, URL pattern (`:x` is a parameter), screen, area and parent."""

    name: str
    pattern: str
    screen: Screen
    area: str | None = None  # the navigation entry it belongs to
    parent: str | None = None  # where the back button leads
    kiosk: bool = False  # shown without the app's navigation, keeps nothing per person

    @property
    def segments(self) -> list[str]:
        """The pattern's path segments."""
        return [s for s in self.pattern.strip("/").split("/") if s]

    @property
    def params(self) -> list[str]:
        """The names of the pattern's parameters, in order."""
        return [s[1:] for s in self.segments if s.startswith(":")]


ROUTES: list[RouteSpec] = [
    RouteSpec("home", "/", home.build, "home"),
    RouteSpec("waiting", "/waiting", overview.build, "waiting"),
    RouteSpec("tickets", "/waiting/tickets", tickets.build, "waiting", "/waiting"),
    RouteSpec(
        "ticket", "/waiting/ticket/:office/:token", tickets.build_ticket, "waiting", "/waiting"
    ),
    RouteSpec("office", "/waiting/office/:office", office.build, "waiting", "/waiting"),
    RouteSpec(
        "number", "/waiting/number/:office/:number", number.build, "waiting", "/waiting/tickets"
    ),
    RouteSpec("kiosk", "/kiosk", kiosk.build, kiosk=True),
    RouteSpec("kiosk_calls", "/kiosk/calls", kiosk.build_calls, kiosk=True),
    RouteSpec("appointments", "/appointments", mine.build, "appointments"),
    RouteSpec("book", "/appointments/book", booking.build, "appointments", "/appointments"),
    RouteSpec(
        "reschedule",
        "/appointments/reschedule/:process",
        booking.build_reschedule,
        "appointments",
        "/appointments",
    ),
    RouteSpec(
        "appointment",
        "/appointments/view/:process/:key",
        appointment.build_view,
        "appointments",
        "/appointments",
    ),
    RouteSpec(
        "confirm",
        "/appointments/confirm/:process/:key",
        appointment.build_confirm,
        "appointments",
        "/appointments",
    ),
    RouteSpec("data", "/data", search.build, "data"),
    RouteSpec("dataset", "/data/:dataset", dataset.build, "data", "/data"),
    RouteSpec("sensors", "/sensors", sensors.build, "sensors"),
    RouteSpec(
        "datastream", "/sensors/:datastream", sensors.build_datastream, "sensors", "/sensors"
    ),
    RouteSpec("participate", "/participate", participation.build, "participate"),
    # the fixed words before `:survey`, or a survey named "join" would hide them
    RouteSpec("join", "/participate/join", participation.build_join, "participate", "/participate"),
    RouteSpec(
        "event", "/participate/join/:code", participation.build_event, "participate", "/participate"
    ),
    RouteSpec("wall", "/participate/join/:code/wall", participation.build_wall, kiosk=True),
    RouteSpec("tablet", "/participate/tablet/:code", participation.build_tablet, kiosk=True),
    RouteSpec(
        "survey", "/participate/:survey", participation.build_survey, "participate", "/participate"
    ),
    RouteSpec(
        "results",
        "/participate/:survey/results",
        participation.build_results,
        "participate",
        "/participate",
    ),
    RouteSpec("more", "/more", more.build, "more"),
    RouteSpec("settings", "/settings", settings.build, "settings"),
    RouteSpec(
        "accessibility", "/settings/accessibility", accessibility.build, "settings", "/settings"
    ),
    RouteSpec(
        "easy_language", "/settings/easy-language", easy_language.build, "settings", "/settings"
    ),
]
NOT_FOUND = RouteSpec("not_found", "/:path", not_found.build)

# What the browser's tab and a screen reader call each screen ("Wartezeiten – Köln App").
TITLES: dict[str, str] = {
    "home": N_("Start"),
    "waiting": N_("Waiting times"),
    "tickets": N_("My tickets"),
    "ticket": N_("Follow a ticket"),
    "office": N_("Kundenzentrum"),
    "number": N_("Follow a ticket"),
    "kiosk": N_("Ticket machine"),
    "kiosk_calls": N_("Calls"),
    "appointments": N_("My appointments"),
    "book": N_("Book an appointment"),
    "reschedule": N_("Change the time"),
    "appointment": N_("Appointment"),
    "confirm": N_("Confirm the appointment"),
    "data": N_("Open data"),
    "dataset": N_("Dataset"),
    "sensors": N_("Sensors"),
    "datastream": N_("Sensor"),
    "participate": N_("Participation"),
    "survey": N_("Survey"),
    "join": N_("Join a workshop"),
    "event": N_("Workshop"),
    "tablet": N_("Workshop survey"),
    "wall": N_("Workshop on the projector"),
    "results": N_("Survey results"),
    "more": N_("More"),
    "settings": N_("Settings"),
    "accessibility": N_("Accessibility"),
    "easy_language": N_("Leichte Sprache"),
    "not_found": N_("Page not found"),
}


@dataclass(frozen=True)
class Route:
    """A matched route: its declaration and the parameters taken from the URL."""

    spec: RouteSpec
    params: dict[str, str] = field(default_factory=dict)
    path: str = "/"

    @property
    def name(self) -> str:
        """The route's name."""
        return self.spec.name

    @property
    def title(self) -> str:
        """The screen's name as a msgid (translate where shown)."""
        return TITLES[self.spec.name]

    def build(self, ctx: ScreenContext) -> ft.Control:
        """The screen of this route for one session."""
        if self.spec is NOT_FOUND:
            return self.spec.screen(ctx, path=self.path)
        return self.spec.screen(ctx, **self.params)


def _segments(path: str) -> list[str]:
    return [unquote(s) for s in path.strip("/").split("/") if s]


def match(route: str | None) -> Route:
    """The screen for `route` (a path, maybe with a query); unknown paths give not-found."""
    path = urlsplit(route or "/").path or "/"
    segments = _segments(path)
    for spec in ROUTES:
        wanted = spec.segments
        if len(wanted) != len(segments):
            continue
        params: dict[str, str] = {}
        for expected, actual in zip(wanted, segments, strict=True):
            if expected.startswith(":"):
                if not PARAM_TYPES[expected[1:]].fullmatch(actual):
                    break
                params[expected[1:]] = actual
            elif expected != actual:
                break
        else:
            return Route(spec, params, path)
    return Route(NOT_FOUND, {}, path)
