"""The accessibility statement (BITV 2.0) and the form to report a barrier."""

from __future__ import annotations

import flet as ft

from views.context import ScreenContext, refresh_control
from views.widgets import heading

MAX_REPORT = 4000


def report_form(ctx: ScreenContext, screen: str) -> ft.Control:
    """An anonymous barrier report, kept in the outbox until the city has it."""
    _ = ctx._
    field = ft.TextField(
        label=_("Describe the barrier"),
        multiline=True,
        min_lines=3,
        max_length=MAX_REPORT,
    )
    status = ft.Text()

    def pending_text() -> str:
        pending = ctx.services.outbox.pending_count(ctx.person) if ctx.person else 0
        if not pending:
            return ""
        return ctx.tr.ngettext(
            "{n} report waits to be sent; it is sent as soon as there is a connection.",
            "{n} reports wait to be sent; they are sent as soon as there is a connection.",
            pending,
        ).format(n=pending)

    status.value = pending_text()

    def redraw() -> None:
        status.value = pending_text()
        refresh_control(status)

    ctx.on_leave(ctx.services.outbox.listeners.add(redraw))

    async def send(_e: ft.Event[ft.Button]) -> None:
        message = (field.value or "").strip()
        if len(message) < 3:
            field.error = _("Please describe the barrier in a few words.")
            refresh_control(field)
            return
        field.error = None
        field.value = ""
        ctx.services.report_barrier(ctx.person, screen, message)
        ctx.show_message(_("Thank you. Your report has been saved and will be sent."))
        redraw()
        refresh_control(field)
        await ctx.services.outbox.flush()

    return ft.Column(
        [
            field,
            ft.Button(_("Send report"), icon=ft.Icons.SEND, on_click=send),
            status,
        ],
        spacing=8,
    )


def build(ctx: ScreenContext) -> ft.Control:
    """The statement, then the form."""
    _ = ctx._
    return ft.Column(
        [
            heading(_("Accessibility statement")),
            ft.Text(
                _(
                    "The City of Cologne wants this app to be usable by everyone, as required "
                    "by BITV 2.0 (WCAG 2.1 AA). The app can be used with a screen reader, "
                    "its text can be enlarged, and it never conveys meaning by colour alone."
                )
            ),
            ft.Text(
                _(
                    "Not yet fully accessible: charts and maps will get text alternatives with "
                    "the screens that show them."
                )
            ),
            heading(_("Report a barrier"), level=2),
            ft.Text(_("Your report is anonymous. Please do not enter personal data.")),
            report_form(ctx, "app"),
        ],
        spacing=12,
    )
