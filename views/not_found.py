"""The screen for a link that leads nowhere."""

from __future__ import annotations

import flet as ft

from views.context import ScreenContext
from views.widgets import heading

MAX_SHOWN = 120  # characters of a mistyped address worth showing


def shown_path(path: str) -> str:
    """The address as a person can read it: control characters dropped, long ones cut."""
    printable = "".join(ch for ch in path if ch.isprintable())
    return printable if len(printable) <= MAX_SHOWN else printable[: MAX_SHOWN - 1] + "…"


def build(ctx: ScreenContext, path: str = "/") -> ft.Control:
    """A friendly not-found screen with a way home."""
    _ = ctx._
    return ft.Column(
        [
            heading(_("Page not found")),
            ft.Text(_("There is no page at this address. It may have moved.")),
            ft.Text(_("Address: {path}").format(path=shown_path(path)), italic=True),
            ft.Button(
                _("Back to start"),
                icon=ft.Icons.HOME,
                on_click=lambda _e: ctx.navigate("/"),
            ),
        ],
        spacing=16,
    )
