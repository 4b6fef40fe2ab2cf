"""Reading a built screen as a test would: its controls and the texts it shows."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from types import SimpleNamespace

import flet as ft

from services.hub import AppServices
from services.i18n import Translator
from views.context import ScreenContext


def walk(control: ft.BaseControl) -> Iterator[ft.BaseControl]:
    """`control` and everything inside it, depth first in reading order."""
    yield control
    for f in dataclasses.fields(control):
        if f.name.startswith("_"):
            continue
        value = getattr(control, f.name)
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, ft.BaseControl):
                yield from walk(child)


def texts(control: ft.BaseControl) -> list[str]:
    """The lines of text a control shows, in order (headings included)."""
    return [
        line
        for c in walk(control)
        if isinstance(c, ft.Text) and c.value
        for line in str(c.value).split("\n")
    ]


def reading_context(services: AppServices, locale: str = "en") -> ScreenContext:
    """A session's context for building a screen to read it: no page, no navigation."""
    return ScreenContext(
        SimpleNamespace(),  # type: ignore[arg-type]  # building needs no page
        services,
        Translator(locale),
        lambda _route: None,
        lambda _locale: None,
    )
