"""The frame around every screen: title bar, offline banner, navigation bar or rail."""

from __future__ import annotations

import flet as ft

from views.areas import BAR, RAIL, Area, bar_area
from views.context import ScreenContext, refresh_control
from views.widgets import icon_button

WIDE = 840  # px; from here on a navigation rail instead of a bottom bar


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


def build_view(
    ctx: ScreenContext, route: str, area: str | None, parent: str | None, body: ft.Control
) -> ft.View:
    """Put `body` into the app's frame for the given width."""
    _ = ctx._
    wide = (ctx.page.width or 0) >= WIDE
    areas = RAIL if wide else BAR

    def go(e: ft.Event[ft.NavigationBar] | ft.Event[ft.NavigationRail]) -> None:
        index = e.control.selected_index
        if index is not None:
            ctx.navigate(areas[int(index)].route)

    back = (
        icon_button(ft.Icons.ARROW_BACK, _("Back"), lambda _e: ctx.navigate(parent))
        if parent
        else None
    )
    appbar = ft.AppBar(
        # the app's name, not the screen's heading: the page title names both
        title=ft.Semantics(exclude_semantics=True, content=ft.Text(_("Köln App"))),
        leading=back,
        automatically_imply_leading=False,
        bgcolor=ft.Colors.RED_800,
        color=ft.Colors.WHITE,
    )
    content = ft.Column(
        [offline_banner(ctx), *notices(ctx), body],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=16,
    )
    padded = ft.Container(content=content, padding=16, expand=True)
    if wide:
        rail = ft.NavigationRail(
            selected_index=_index(areas, area),
            label_type=ft.NavigationRailLabelType.ALL,
            destinations=[
                ft.NavigationRailDestination(icon=a.icon, label=_(a.label)) for a in areas
            ],
            on_change=go,
        )
        return ft.View(
            route=route,
            appbar=appbar,
            padding=0,
            controls=[ft.Row([rail, ft.VerticalDivider(width=1), padded], expand=True)],
        )
    bar = ft.NavigationBar(
        # the bar always marks one entry: a screen of no area (not found) counts as Start
        selected_index=_index(areas, bar_area(area)) or 0,
        destinations=[ft.NavigationBarDestination(icon=a.icon, label=_(a.label)) for a in areas],
        on_change=go,
    )
    return ft.View(route=route, appbar=appbar, padding=0, controls=[padded], navigation_bar=bar)


def build_kiosk_view(route: str, body: ft.Control) -> ft.View:
    """The kiosk's frame: no navigation, nothing to get lost in, content centred."""
    return ft.View(
        route=route,
        padding=24,
        controls=[
            ft.Column(
                [ft.Row([body], alignment=ft.MainAxisAlignment.CENTER)],
                scroll=ft.ScrollMode.AUTO,
                expand=True,
            )
        ],
    )
