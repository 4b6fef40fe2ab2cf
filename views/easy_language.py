"""Leichte Sprache: what the app does and how to use it, in easy-to-read German.

The page is German in every language on purpose: Leichte Sprache is a German standard, and its
texts are written by its rules, not translated. So they are constants here and never go through
gettext; only the note that says so is translated for people who chose another language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import flet as ft

from views.areas import AREAS
from views.context import ScreenContext
from views.widgets import heading

TEXT_SIZE = 18  # larger than the app's body text, as the rules of Leichte Sprache ask
LINE_HEIGHT = 1.5

# A line is a sentence; a tuple of strings is a list, shown one item a line.
Line = str | tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """One part of the page: a heading, its sentences, and maybe a button to go there."""

    title: str
    icon: ft.IconData
    lines: tuple[Line, ...]
    button: str | None = None
    route: str | None = None


TITLE = "Die Köln App in Leichter Sprache"

INTRO: tuple[Line, ...] = (
    "Diese Seite ist in Leichter Sprache.",
    "Eine App ist ein Programm für das Handy oder für den Computer.",
    "Die Köln App ist von der Stadt Köln.",
    "Mit der App können Sie viele Dinge mit der Stadt Köln erledigen.",
    "Die App hat 5 Bereiche:",
    (
        "Warte·zeiten und Warte·marke",
        "Termine",
        "Offene Daten",
        "Sensoren",
        "Beteiligung",
    ),
    "Hier lesen Sie: Was können Sie in den Bereichen machen?",
    "Und: Wie benutzen Sie die App?",
)

# The five areas, by the key of their entry in views.areas (which gives route and icon).
AREA_SECTIONS: dict[str, tuple[str, tuple[Line, ...], str]] = {
    "waiting": (
        "Warte·zeiten und Warte·marke",
        (
            "Die Stadt Köln hat 9 Kunden·zentren.",
            "Ein Kunden·zentrum ist ein Amt für alle Menschen in Köln.",
            "Dort bekommen Sie zum Beispiel einen neuen Ausweis.",
            "Im Kunden·zentrum müssen Sie oft warten.",
            "In der App sehen Sie: So lange warten Sie gerade in jedem Kunden·zentrum.",
            "Im Kunden·zentrum bekommen Sie eine Warte·marke.",
            "Eine Warte·marke ist ein kleiner Zettel mit einer Nummer.",
            "Auf der Warte·marke ist ein QR-Code.",
            "Ein QR-Code ist ein kleines Bild aus schwarzen und weißen Kästchen.",
            "Halten Sie die Kamera von Ihrem Handy auf den QR-Code.",
            "Dann folgt die App Ihrer Warte·marke.",
            "Das bedeutet: Die App zeigt Ihnen: So viele Menschen warten noch vor Ihnen.",
            "Und die App sagt Ihnen Bescheid: Bald sind Sie dran.",
        ),
        "Zu den Warte·zeiten",
    ),
    "appointments": (
        "Termine",
        (
            "Ein Termin ist eine feste Zeit.",
            "Zu dieser Zeit kommen Sie in ein Kunden·zentrum.",
            "Dann warten Sie nur kurz.",
            "In der App können Sie einen Termin machen.",
            "Sie bekommen dann eine E-Mail.",
            "In der E-Mail steht Ihr Termin.",
            "Sie können Ihren Termin auch verschieben.",
            "Verschieben bedeutet: Sie kommen an einem anderen Tag oder zu einer anderen Zeit.",
            "Sie können Ihren Termin auch absagen.",
            "Absagen bedeutet: Sie sagen der Stadt Köln: Ich komme nicht.",
        ),
        "Zu den Terminen",
    ),
    "data": (
        "Offene Daten",
        (
            "Die Stadt Köln sammelt viele Informationen.",
            "Zum Beispiel: Wie viele Menschen wohnen in einem Stadt·teil?",
            "Diese Informationen heißen Daten.",
            "Offene Daten bedeutet: Alle Menschen dürfen diese Daten ansehen und benutzen.",
            "In der App können Sie Daten suchen und ansehen.",
            "Sie können sich Daten merken.",
            "Dann finden Sie die Daten schnell wieder.",
        ),
        "Zu den Offenen Daten",
    ),
    "sensors": (
        "Sensoren",
        (
            "Ein Sensor ist ein kleines Mess·gerät.",
            "Die Stadt Köln hat viele Sensoren in der Stadt.",
            "Die Sensoren messen zum Beispiel: Wie warm ist es?",
            "In der App sehen Sie: Was haben die Sensoren gemessen?",
        ),
        "Zu den Sensoren",
    ),
    "participate": (
        "Beteiligung",
        (
            "Beteiligung bedeutet: Sie sagen Ihre Meinung.",
            "Und die Stadt Köln hört Ihnen zu.",
            "Die Stadt Köln will mehr mit dem Computer und dem Internet machen.",
            "Dafür hat die Stadt Köln einen Plan.",
            "In der App gibt es Fragen zu diesem Plan.",
            "Sie können die Fragen beantworten.",
            "Niemand erfährt Ihren Namen.",
        ),
        "Zur Beteiligung",
    ),
}

HOW_TO: tuple[Section, ...] = (
    Section(
        "So finden Sie sich in der App zurecht",
        ft.Icons.EXPLORE_OUTLINED,
        (
            "Auf der Start·seite finden Sie alle Bereiche.",
            "Auf dem Handy sind unten Knöpfe.",
            "Auf einem großen Bild·schirm sind die Knöpfe links.",
            "Mit den Knöpfen kommen Sie zu den Bereichen.",
            "Oben links ist manchmal ein Pfeil.",
            "Mit dem Pfeil kommen Sie eine Seite zurück.",
        ),
    ),
    Section(
        "Sprache",
        ft.Icons.TRANSLATE,
        (
            "Die App gibt es in 3 Sprachen:",
            ("Deutsch", "Englisch", "Türkisch"),
            "Sie können die Sprache selbst aussuchen.",
            "Das machen Sie bei den Einstellungen.",
            "Diese Seite bleibt immer in Leichter Sprache.",
        ),
        "Zu den Einstellungen",
        "/settings",
    ),
    Section(
        "Große Schrift",
        ft.Icons.TEXT_INCREASE,
        (
            "Sie können die Schrift in der App größer machen.",
            "Das machen Sie auch bei den Einstellungen.",
            "Ist die Schrift auf Ihrem Handy schon groß?",
            "Dann ist die Schrift in der App auch groß.",
        ),
    ),
    Section(
        "Ohne Internet",
        ft.Icons.CLOUD_OFF,
        (
            "Manchmal steht in der App: offline.",
            "Offline bedeutet: Sie haben gerade kein Internet.",
            "Die App geht auch ohne Internet.",
            "Dann zeigt die App die Informationen vom letzten Mal.",
            "Die App sagt Ihnen auch: Von wann sind die Informationen?",
            "Manche Dinge gehen nur mit Internet.",
            "Zum Beispiel: einen Termin machen.",
            "Dann sagt die App Ihnen Bescheid.",
        ),
    ),
    Section(
        "Hier bekommen Sie Hilfe",
        ft.Icons.SUPPORT_AGENT,
        (
            "Sie haben eine Frage?",
            "Dann fragen Sie in einem Kunden·zentrum.",
            "Die Menschen dort helfen Ihnen gerne.",
            "Etwas in der App ist schwer für Sie?",
            "Oder etwas in der App geht nicht?",
            "Dann schreiben Sie es uns.",
            "Das geht auf der Seite: Erklärung zur Barriere·freiheit.",
            "Barriere·freiheit bedeutet: Alle Menschen können die App gut benutzen.",
            "Auch Menschen mit Behinderung.",
            "Ihren Namen brauchen wir dafür nicht.",
        ),
        "Zur Erklärung zur Barriere·freiheit",
        "/settings/accessibility",
    ),
)


def sections() -> list[Section]:
    """The five areas in the app's order, then how to use the app."""
    areas = []
    for area in AREAS:
        title, lines, button = AREA_SECTIONS[area.key]
        areas.append(Section(title, area.icon, lines, button, area.route))
    return [*areas, *HOW_TO]


def easy_text(text: str) -> ft.Text:
    """A sentence in large, airy type."""
    return ft.Text(text, style=ft.TextStyle(size=TEXT_SIZE, height=LINE_HEIGHT))


def render_lines(lines: tuple[Line, ...]) -> list[ft.Control]:
    """Each sentence on its own line; each list item on its own line with a bullet."""
    rows: list[ft.Control] = []
    for line in lines:
        if isinstance(line, str):
            rows.append(easy_text(line))
            continue
        rows.extend(
            ft.Row(
                [ft.Icon(ft.Icons.CIRCLE, size=8), easy_text(item)],
                spacing=12,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            )
            for item in line
        )
    return rows


def go_to(ctx: ScreenContext, route: str) -> Callable[[Any], None]:
    """A click handler that opens `route`."""
    return lambda _e: ctx.navigate(route)


def render_section(ctx: ScreenContext, section: Section) -> ft.Control:
    """Icon and heading, the sentences, and the button to the area."""
    controls: list[ft.Control] = [
        ft.Row(
            # the icon only decorates: the heading next to it says the same
            [ft.Icon(section.icon, size=32), heading(section.title, level=2)],
            spacing=12,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        *render_lines(section.lines),
    ]
    if section.button and section.route:
        controls.append(
            ft.Button(
                section.button,
                icon=ft.Icons.ARROW_FORWARD,
                on_click=go_to(ctx, section.route),
                style=ft.ButtonStyle(text_style=ft.TextStyle(size=TEXT_SIZE)),
            )
        )
    return ft.Column(controls, spacing=8)


def build(ctx: ScreenContext) -> ft.Control:
    """The start page in Leichte Sprache."""
    top: list[ft.Control] = []
    if ctx.tr.locale != "de":
        top.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.INFO_OUTLINE),
                    ft.Text(
                        ctx._("This page is in easy-to-read German (Leichte Sprache)."),
                        expand=True,
                    ),
                ],
                spacing=8,
            )
        )
    return ft.Column(
        [
            *top,
            heading(TITLE),
            *render_lines(INTRO),
            *(render_section(ctx, section) for section in sections()),
        ],
        spacing=24,
    )
