"""Settings: the person's own things first (language, text size, their data), then
accessibility, about, and the data sources under "Advanced"."""

from __future__ import annotations

import flet as ft

from services.i18n import LOCALES, N_
from services.people import DeletedData
from services.preferences import TEXT_SCALES
from views.context import ScreenContext, refresh_control
from views.widgets import MIN_TOUCH, heading, info_tile, radio_group

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
    return radio_group(
        ctx._("Language of the app"),
        list(LOCALES.items()),
        ctx.tr.locale,
        ctx.set_locale,
        scale=ctx.text_scale,
    )


def text_size_picker(ctx: ScreenContext) -> ft.Control:
    """Radio buttons for the text size, from normal to twice as large."""
    choices = [(repr(scale), ctx.tr.percent(scale)) for scale in TEXT_SCALES]
    return radio_group(
        ctx._("Text size"),
        choices,
        repr(ctx.text_scale),
        lambda value: ctx.set_text_scale(float(value)),
        scale=ctx.text_scale,
    )


def deleted_text(ctx: ScreenContext, deleted: DeletedData) -> str:
    """What "delete my data" removed, in words."""
    _ = ctx._
    if deleted.nothing:
        return _("There was no data of yours on this device.")
    parts = []
    if deleted.tickets:
        parts.append(
            ctx.tr.ngettext("{n} followed ticket", "{n} followed tickets", deleted.tickets).format(
                n=deleted.tickets
            )
        )
    if deleted.settings:
        parts.append(
            ctx.tr.ngettext("{n} setting", "{n} settings", deleted.settings).format(
                n=deleted.settings
            )
        )
    if deleted.appointments:
        parts.append(
            ctx.tr.ngettext(
                "{n} appointment (still booked)",
                "{n} appointments (still booked)",
                deleted.appointments,
            ).format(n=deleted.appointments)
        )
    if deleted.favourites:
        parts.append(
            ctx.tr.ngettext(
                "{n} favourite dataset", "{n} favourite datasets", deleted.favourites
            ).format(n=deleted.favourites)
        )
    if deleted.unsent:
        parts.append(
            ctx.tr.ngettext("{n} unsent message", "{n} unsent messages", deleted.unsent).format(
                n=deleted.unsent
            )
        )
    return _("Deleted: {what}.").format(what=", ".join(parts))


def delete_my_data_button(ctx: ScreenContext) -> ft.Control:
    """Deletes this person's data (and nobody else's) after a confirmation."""
    _ = ctx._
    person = ctx.person

    # the result stays on screen (a snackbar goes away before everybody has read it)
    result = ft.Semantics(
        identifier="deleted-data", live_region=True, content=ft.Text(""), visible=False
    )

    def confirmed(_e: ft.Event[ft.TextButton]) -> None:
        ctx.page.pop_dialog()
        if person is None:
            return
        # this screen keeps its language; the next visit starts anew
        text = deleted_text(ctx, ctx.services.delete_person_data(person))
        result.content = ft.Text(text, weight=ft.FontWeight.BOLD)
        result.visible = True
        refresh_control(result)

    def ask(_e: ft.Event[ft.Button]) -> None:
        pending = ctx.services.outbox.pending_count(person) if person else 0
        text = _(
            "Your followed tickets, your settings and your unsent messages on this device "
            "will be deleted. Data of other people is not touched."
        )
        if pending:
            text += " " + ctx.tr.ngettext(
                "{n} message has not been sent yet.",
                "{n} messages have not been sent yet.",
                pending,
            ).format(n=pending)
        ctx.page.show_dialog(
            ft.AlertDialog(
                modal=True,
                title=ft.Text(_("Delete my data on this device?")),
                content=ft.Text(text),
                actions=[
                    ft.TextButton(_("Cancel"), on_click=lambda _e: ctx.page.pop_dialog()),
                    ft.TextButton(_("Delete"), on_click=confirmed),
                ],
            )
        )

    button = ft.Button(
        _("Delete my data on this device"),
        icon=ft.Icons.DELETE_OUTLINE,
        on_click=ask,
        disabled=person is None,
    )
    return ft.Column([button, result], spacing=8)


def advanced_section(ctx: ScreenContext) -> ft.Control:
    """Where the data comes from: closed until someone who wants to know opens it."""
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
    return ft.ExpansionTile(
        title=ft.Text(_("Advanced")),
        subtitle=ft.Text(_("Data sources")),
        leading=ft.Icon(ft.Icons.TUNE),
        expanded=False,
        min_tile_height=MIN_TOUCH + 8,
        expanded_cross_axis_alignment=ft.CrossAxisAlignment.START,
        controls=[ft.Text(backend), *sources],
    )


def build(ctx: ScreenContext) -> ft.Control:
    """The settings screen."""
    _ = ctx._
    services = ctx.services
    return ft.Column(
        [
            heading(_("Settings")),
            heading(_("Language"), level=2),
            language_picker(ctx),
            heading(_("Text size"), level=2),
            ft.Text(_("Also follows your browser's or phone's text size.")),
            text_size_picker(ctx),
            heading(_("Local data"), level=2),
            ft.Text(_("The app keeps the last data it received, so it also works offline.")),
            ft.Text(
                _(
                    "Your own data (followed tickets, language, text size, unsent messages) is "
                    "kept under a random number stored in this browser or on this phone, and "
                    "deleted after 30 days without use."
                )
            ),
            delete_my_data_button(ctx),
            heading(_("Accessibility"), level=2),
            ft.Button(
                _("Accessibility statement and barrier report"),
                icon=ft.Icons.ACCESSIBILITY_NEW,
                on_click=lambda _e: ctx.navigate("/settings/accessibility"),
            ),
            ft.Button(
                _("The app in easy-to-read German (Leichte Sprache)"),
                icon=ft.Icons.MENU_BOOK,
                on_click=lambda _e: ctx.navigate("/settings/easy-language"),
            ),
            heading(_("About"), level=2),
            ft.Text(_("Köln App, version {version}").format(version=services.version)),
            ft.Text(_("Successor of the Kölner ServiceApp. Open source under the EUPL 1.2.")),
            advanced_section(ctx),
        ],
        spacing=12,
    )
