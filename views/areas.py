"""The five areas of the app and Settings: names, icons and routes in one place."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from services.i18n import N_


@dataclass(frozen=True)
class Area:
    """A top-level destination."""

    key: str
    route: str
    label: str  # msgid; translate where shown
    description: str  # msgid
    icon: ft.IconData


HOME = Area("home", "/", N_("Start"), N_("Overview"), ft.Icons.HOME_OUTLINED)
AREAS: list[Area] = [
    Area(
        "waiting",
        "/waiting",
        N_("Waiting times"),
        N_("Live waiting times of the Kundenzentren, follow your ticket"),
        ft.Icons.HOURGLASS_TOP,
    ),
    Area(
        "appointments",
        "/appointments",
        N_("Appointments"),
        N_("Book, move or cancel an appointment"),
        ft.Icons.EVENT,
    ),
    Area(
        "data",
        "/data",
        N_("Open data"),
        N_("Search and explore the city's open data"),
        ft.Icons.DATASET_OUTLINED,
    ),
    Area(
        "sensors",
        "/sensors",
        N_("Sensors"),
        N_("Readings of the city's LoRaWAN sensors"),
        ft.Icons.SENSORS,
    ),
    Area(
        "participate",
        "/participate",
        N_("Participation"),
        N_("Have your say on the Masterplan Digitales Köln"),
        ft.Icons.HOW_TO_VOTE_OUTLINED,
    ),
]
SETTINGS = Area(
    "settings", "/settings", N_("Settings"), N_("Language, data, accessibility"), ft.Icons.SETTINGS
)

MORE = Area(
    "more",
    "/more",
    N_("More"),
    N_("Open data, sensors, settings and help"),
    ft.Icons.MENU,
)

# The bar on wide screens shows everything; the bar on phones the four most used areas
# and "More", which leads to the rest (and is marked while one of them is shown).
WIDE_BAR: list[Area] = [HOME, *AREAS, SETTINGS]
BAR: list[Area] = [HOME, AREAS[0], AREAS[1], AREAS[4], MORE]
IN_MORE: list[Area] = [AREAS[2], AREAS[3], SETTINGS]


def bar_area(area: str | None) -> str | None:
    """The entry of the phone's bar that stands for `area`."""
    if area in {a.key for a in BAR}:
        return area
    if area in {a.key for a in IN_MORE}:
        return MORE.key
    return None
