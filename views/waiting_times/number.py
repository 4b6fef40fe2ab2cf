"""`/waiting/number/<office>/<number>`: watching a typed number on the public call display."""

from __future__ import annotations

import flet as ft

from services.waiting_times.tickets import CALLED_ALERT, Alert
from views.context import ScreenContext, refresh_control
from views.waiting_times.common import banner, office_names, wait_words
from views.waiting_times.tickets import alert_text
from views.widgets import error_text, heading


def build(ctx: ScreenContext, office: str, number: str) -> ft.Control:
    """Without the ticket's code only public facts are known: whether the number was called."""
    _ = ctx._
    body = ft.Column(spacing=8)
    names = office_names(ctx)
    calls = ctx.services.calls.of(office)

    def render() -> list[ft.Control]:
        state = calls.state
        display = state.data
        problem = [ft.Text(error_text(ctx, state.last_error))] if state.last_error else []
        if display is None:
            return problem or [ft.Text(_("Loading …"))]
        call = next((c for c in display.calls if c.display_number == number), None)
        if call is not None:
            alert = Alert(CALLED_ALERT, 0, number, office, call.counter, 0)
            return [
                banner(
                    alert_text(ctx, alert),
                    icon=ft.Icons.CAMPAIGN,
                    bgcolor=ft.Colors.AMBER_200,
                    identifier="ticket-alert",
                    size=22,
                ),
                *problem,
            ]
        last = ", ".join(c.display_number for c in display.calls[:5]) or "–"
        return [
            *problem,
            ft.Text(_("Not called yet.")),
            ft.Text(
                _("{n} people are waiting; a new number waits {wait}.").format(
                    n=display.waiting_count, wait=wait_words(ctx, display.wait_minutes)
                )
            ),
            ft.Text(_("Last called: {numbers}").format(numbers=last)),
            *(
                [ft.Text(_("As of {time}").format(time=ctx.tr.time(state.fetched_at)))]
                if state.fetched_at
                else []
            ),
        ]

    def redraw() -> None:
        body.controls = render()
        refresh_control(body)

    body.controls = render()
    ctx.on_leave(ctx.services.calls.watch(office, redraw))
    return ft.Column(
        [
            heading(
                _("Number {number} · {office}").format(
                    number=number, office=names.get(office, office)
                )
            ),
            ft.Text(
                _(
                    "Typed numbers are watched on the public call display only. Scan the QR code "
                    "of your ticket to see your place in the queue."
                )
            ),
            body,
        ],
        spacing=12,
    )
