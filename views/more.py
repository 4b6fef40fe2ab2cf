""" "More" on phones: the areas that do not fit into the bottom bar, and help."""

from __future__ import annotations

import flet as ft

from views.areas import IN_MORE
from views.context import ScreenContext
from views.widgets import heading, info_tile


def build(ctx: ScreenContext) -> ft.Control:
    """Open data, sensors, settings, the accessibility statement and Leichte Sprache."""
    _ = ctx._
    entries = [(_(a.label), _(a.description), a.icon, a.route) for a in IN_MORE]
    entries += [
        (
            _("Accessibility"),
            _("Accessibility statement and barrier feedback"),
            ft.Icons.ACCESSIBILITY_NEW,
            "/settings/accessibility",
        ),
        (
            "Leichte Sprache",
            _("The app explained in easy-to-read German"),
            ft.Icons.MENU_BOOK,
            "/settings/easy-language",
        ),
    ]
    return ft.Column(
        [
            heading(_("More")),
            *(
                info_tile(title, text, icon=icon, on_click=lambda _e, r=route: ctx.navigate(r))
                for title, text, icon, route in entries
            ),
        ],
        spacing=8,
    )
