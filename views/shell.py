"""The frame around every screen: title bar, the bar of areas, offline banner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from views.areas import BAR, WIDE_BAR, Area, bar_area
from views.context import ScreenContext, refresh_control
from views.theme import BRAND
from views.widgets import icon_button

WIDE = 840  # px; from here on the bar has every area


def offline_banner(ctx: ScreenContext) -> ft.Control:
    """Says "offline" on every screen while no source can be reached."""
    _ = ctx._
    text = _("You are offline. The app shows saved data.")
    banner = ft.Container(
        content=ft.Semantics(
            identifier="offline-banner",
            live_region=True,
            container=True,
            content=ft.Row([ft.Icon(ft.Icons.CLOUD_OFF), ft.Text(text, expand=True)]),
        ),
        padding=12,
        border_radius=8,
        bgcolor=ft.Colors.AMBER_100,
        visible=ctx.services.connectivity.offline,
    )

    def redraw() -> None:
        banner.visible = ctx.services.connectivity.offline
        refresh_control(banner)

    ctx.on_leave(ctx.services.connectivity.subscribe(redraw))
    return banner


def notices(ctx: ScreenContext) -> list[ft.Control]:
    """One-off notices from start-up (a repaired local store)."""
    return [
        ft.Container(
            content=ft.Row([ft.Icon(ft.Icons.INFO_OUTLINE), ft.Text(ctx._(n), expand=True)]),
            padding=12,
            border_radius=8,
            bgcolor=ft.Colors.BLUE_50,
        )
        for n in ctx.services.notices
    ]


def _index(areas: list[Area], area: str | None) -> int | None:
    keys = [a.key for a in areas]
    return keys.index(area) if area in keys else None


LABEL_CHAR = 5.8  # px, an average character of the bar's 12 px labels at 100 % text
LABEL_ROOM = 4  # px a destination keeps free around its label


@dataclass(frozen=True)
class Layout:
    """The frame's shape for a page width and text size; a new one needs a new frame."""

    wide: bool  # every area in the bar, else the phone's four and "More"
    labels: bool  # the bar's words fit (else icons, each still named for screen readers)


def layout(ctx: ScreenContext) -> Layout:
    """Where the navigation goes, and whether its labels fit without breaking inside a word."""
    width = ctx.page.width or 0
    wide = width >= WIDE
    areas = WIDE_BAR if wide else BAR
    # a label may wrap between its words, never inside one: the longest word must fit
    longest = max(len(word) for a in areas for word in ctx._(a.label).split())
    fits = longest * LABEL_CHAR * ctx.text_scale + LABEL_ROOM <= (width or WIDE) / len(areas)
    return Layout(wide, fits)


def build_view(
    ctx: ScreenContext, route: str, area: str | None, parent: str | None, body: ft.Control
) -> ft.View:
    """Put `body` into the app's frame for the given width."""
    _ = ctx._
    shape = layout(ctx)
    areas = WIDE_BAR if shape.wide else BAR

    def go(e: ft.Event[ft.NavigationBar]) -> None:
        index = e.control.selected_index
        if index is not None:
            ctx.navigate(areas[int(index)].route)

    back = (
        icon_button(ft.Icons.ARROW_BACK, _("Back"), lambda _e: ctx.navigate(parent), on_brand=True)
        if parent
        else None
    )
    appbar = ft.AppBar(
        # the app's name, not the screen's heading: the page title names both
        title=ft.Semantics(exclude_semantics=True, content=ft.Text(_("Köln App"))),
        leading=back,
        automatically_imply_leading=False,
        bgcolor=BRAND,
        color=ft.Colors.WHITE,
    )
    content = ft.Column(
        [offline_banner(ctx), *notices(ctx), body],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=16,
    )
    padded = ft.Container(content=content, padding=16, expand=True)
    # The areas are in a bar at the top, on phones too: Flutter moves the keyboard focus in
    # the order of the controls' places on the screen, so a bar at the bottom came before the
    # part of the screen scrolled below it, and a rail at the side was visited in turns with
    # the screen, line by line. At the top it comes after "Back" and before the screen.
    bar = ft.NavigationBar(
        # the bar always marks one entry. A screen of no area (not found) counts as Start, and
        # so does "More" on a wide screen, whose bar has every area and no "More" of its own
        selected_index=_index(areas, area if shape.wide else bar_area(area)) or 0,
        destinations=[ft.NavigationBarDestination(icon=a.icon, label=_(a.label)) for a in areas],
        label_behavior=None if shape.labels else ft.NavigationBarLabelBehavior.ALWAYS_HIDE,
        on_change=go,
    )
    return ft.View(
        route=route,
        appbar=appbar,
        padding=0,
        spacing=0,
        controls=[bar, ft.Divider(height=1), padded],
    )


def build_kiosk_view(
    route: str, body: ft.Control, *, scrolled: Callable[[], None] | None = None
) -> ft.View:
    """The kiosk's frame: no navigation, nothing to get lost in, content centred.

    The content takes the whole width of a narrow screen and most of a wide one, and reflows
    in it (no fixed widths). The scroll bar stays visible, so that a visitor sees when there
    is more below; `scrolled` hears (at most twice a second) that somebody scrolls."""
    return ft.View(
        route=route,
        padding=24,
        controls=[
            ft.Column(
                [
                    ft.ResponsiveRow(
                        [ft.Container(body, col={"xs": 12, "lg": 10, "xxl": 8})],
                        alignment=ft.MainAxisAlignment.CENTER,
                    )
                ],
                scroll=ft.ScrollMode.ALWAYS,
                expand=True,
                scroll_interval=500,
                on_scroll=(lambda _e: scrolled()) if scrolled is not None else None,
            )
        ],
    )
