"""Settings: language, data sources, local data, about."""

from __future__ import annotations

import flet as ft

from services.i18n import LOCALES, N_
from views.context import ScreenContext
from views.widgets import MIN_TOUCH, heading, info_tile

SOURCE_NAMES = {
    "waiting": N_("Waiting times (city feed)"),
    "zms": N_("Appointments (ZMS)"),
    "ckan": N_("Open data (CKAN)"),
    "sta": N_("Sensors (SensorThings)"),
    "participation": N_("Participation"),
    "queue": N_("Queues of the Kundenzentren"),
}


def language_picker(ctx: ScreenContext) -> ft.Control:
    """Radio buttons for the languages, each named in itself."""
    return ft.RadioGroup(
        value=ctx.tr.locale,
        on_change=lambda e: ctx.set_locale(e.control.value),
        content=ft.Column(
            [ft.Radio(value=code, label=name) for code, name in LOCALES.items()], spacing=0
        ),
    )


def clear_data_button(ctx: ScreenContext) -> ft.Control:
    """Deletes everything local after a confirmation."""
    _ = ctx._

    def confirmed(_e: ft.Event[ft.TextButton]) -> None:
        ctx.page.pop_dialog()
        ctx.services.clear_local_data()
        ctx.show_message(_("All local data has been deleted."))

    def ask(_e: ft.Event[ft.Button]) -> None:
        pending = ctx.services.outbox.pending_count()
        text = _("Saved data, settings and unsent messages on this device will be deleted.")
        if pending:
            text += " " + ctx.tr.ngettext(
                "{n} message has not been sent yet.",
                "{n} messages have not been sent yet.",
                pending,
            ).format(n=pending)
        ctx.page.show_dialog(
            ft.AlertDialog(
                modal=True,
                title=ft.Text(_("Delete all local data?")),
                content=ft.Text(text),
                actions=[
                    ft.TextButton(_("Cancel"), on_click=lambda _e: ctx.page.pop_dialog()),
                    ft.TextButton(_("Delete"), on_click=confirmed),
                ],
            )
        )

    return ft.Button(
        _("Delete all local data"), icon=ft.Icons.DELETE_OUTLINE, on_click=ask, height=MIN_TOUCH
    )


def build(ctx: ScreenContext) -> ft.Control:
    """The settings screen."""
    _ = ctx._
    services = ctx.services
    backend = (
        _("Built-in sample backend (all data is sample data)")
        if services.embedded_backend
        else _("Configured servers")
    )
    sources = [
        info_tile(_(SOURCE_NAMES[name]), url, icon=ft.Icons.LINK)
        for name, url in services.urls.items()
    ]
    return ft.Column(
        [
            heading(_("Settings")),
            heading(_("Language"), level=2),
            language_picker(ctx),
            heading(_("Data sources"), level=2),
            ft.Text(backend),
            *sources,
            heading(_("Local data"), level=2),
            ft.Text(_("The app keeps the last data it received, so it also works offline.")),
            clear_data_button(ctx),
            heading(_("Accessibility"), level=2),
            ft.Button(
                _("Accessibility statement and barrier report"),
                icon=ft.Icons.ACCESSIBILITY_NEW,
                on_click=lambda _e: ctx.navigate("/settings/accessibility"),
                height=MIN_TOUCH,
            ),
            heading(_("About"), level=2),
            ft.Text(_("Köln App, version {version}").format(version=services.version)),
            ft.Text(_("Successor of the Kölner ServiceApp. Open source under the EUPL 1.2.")),
        ],
        spacing=12,
    )
