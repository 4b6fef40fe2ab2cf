"""The start screen: the five areas as large tiles."""

from __future__ import annotations

import flet as ft

from views.areas import AREAS
from views.context import ScreenContext
from views.widgets import heading


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


def build(ctx: ScreenContext) -> ft.Control:
    """The home screen."""
    _ = ctx._
    tiles = [area_tile(ctx, a.key, a.route, _(a.label), _(a.description), a.icon) for a in AREAS]
    return ft.Column(
        [
            heading(_("Köln App")),
            ft.Text(_("Services of the City of Cologne, also offline.")),
            ft.Semantics(identifier="home-areas", container=True, content=ft.Row(tiles, wrap=True)),
        ],
        spacing=16,
    )
