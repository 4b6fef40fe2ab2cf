"""The page in Leichte Sprache without a browser: one title, a section and button per area."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import flet as ft
import pytest

from services.i18n import LOCALES, Translator
from tests.views.controls import walk
from views import easy_language
from views.areas import AREAS
from views.context import ScreenContext

NOTE = "This page is in easy-to-read German (Leichte Sprache)."


def build(locale: str, routes: list[str] | None = None) -> ft.Control:
    """The page for a session in `locale`; navigation goes into `routes`."""
    taken = routes if routes is not None else []
    ctx = ScreenContext(
        SimpleNamespace(),  # type: ignore[arg-type]  # the page needs no browser to be built
        SimpleNamespace(),  # type: ignore[arg-type]  # nor any service
        Translator(locale),
        taken.append,
        lambda _locale: None,
    )
    return easy_language.build(ctx)


def headings(screen: ft.Control, level: int) -> list[str]:
    return [
        c.content.value
        for c in walk(screen)
        if isinstance(c, ft.Semantics)
        and c.heading_level == level
        and isinstance(c.content, ft.Text)
        and c.content.value
    ]


def texts(screen: ft.Control) -> list[str]:
    return [c.value for c in walk(screen) if isinstance(c, ft.Text) and c.value]


@pytest.mark.parametrize("locale", list(LOCALES))
def test_exactly_one_title_and_a_heading_per_section(locale: str) -> None:
    screen = build(locale)
    assert headings(screen, 1) == [easy_language.TITLE]
    assert len(headings(screen, 2)) == len(easy_language.sections()) >= len(AREAS) + 4


def test_a_button_per_area_opens_it() -> None:
    routes: list[str] = []
    screen = build("de", routes)
    buttons = [c for c in walk(screen) if isinstance(c, ft.Button)]
    # no fixed height (it would cut a label at large text): the theme's padding makes them 48 px
    assert buttons and all(b.height is None for b in buttons)
    for button in buttons:
        handler: Any = button.on_click  # Flet's type also allows handlers without an event
        handler(None)
    for area in AREAS:
        assert area.route in routes, area.key
    assert "/settings/accessibility" in routes  # where a barrier is reported
    assert len(routes) == len(buttons)


def test_sections_follow_the_areas_in_the_apps_order() -> None:
    routes = [s.route for s in easy_language.sections() if s.route]
    assert routes[: len(AREAS)] == [area.route for area in AREAS]


@pytest.mark.parametrize("locale", [code for code in LOCALES if code != "de"])
def test_a_translated_note_at_the_top_when_not_german(locale: str) -> None:
    shown = texts(build(locale))
    note = Translator(locale).gettext(NOTE)
    assert shown[0] == note  # the first thing read, before the German title
    assert shown.count(note) == 1


def test_no_note_in_german() -> None:
    shown = texts(build("de"))
    assert shown[0] == easy_language.TITLE
    assert NOTE not in shown


def test_the_german_text_is_the_same_in_every_language() -> None:
    german = texts(build("de"))
    for locale in LOCALES:
        shown = texts(build(locale))
        assert shown[len(shown) - len(german) :] == german


def test_rules_of_leichte_sprache_that_a_machine_can_check() -> None:
    sentences = [line for line in texts(build("de")) if line != easy_language.TITLE]
    for sentence in sentences:
        assert "%" not in sentence and "z.B." not in sentence and "bzw." not in sentence
        # one statement per line: short sentences
        assert len(sentence.split()) <= 14, sentence
        assert not re.search(r"[.!?]\s+\S", sentence), sentence
    for word in ("Kunden·zentrum", "Warte·marke", "Termin", "Offline"):
        assert any(s.startswith(f"{word} bedeutet") or f"{word} ist" in s for s in sentences), word
    # big, readable text for the sentences themselves
    sizes = {
        c.style.size for c in walk(build("de")) if isinstance(c, ft.Text) and c.style is not None
    }
    assert sizes and min(s or 0 for s in sizes) >= 18
