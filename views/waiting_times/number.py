"""`/waiting/number/<office>/<number>`: watching a typed number on the public call display."""

from __future__ import annotations

import asyncio
import logging

import flet as ft

from services.errors import ServiceError
from services.waiting_times.tickets import CALLED_ALERT, Alert
from views.context import ScreenContext, refresh_control
from views.waiting_times.common import banner, wait_words
from views.waiting_times.tickets import alert_text
from views.widgets import error_text, heading

log = logging.getLogger(__name__)

REFRESH_SECONDS = 20


def build(ctx: ScreenContext, office: str, number: str) -> ft.Control:
    """Without the ticket's code only public facts are known: whether the number was called."""
    _ = ctx._
    body = ft.Column(spacing=8)
    names = {loc.id: loc.name for loc in ctx.services.coordinators.locations.state.data or []}

    async def poll() -> None:
        while True:
            try:
                display = await ctx.services.clients.queue.calls(office)
                call = next((c for c in display.calls if c.display_number == number), None)
                if call is not None:
                    body.controls = [
                        banner(
                            alert_text(
                                ctx, Alert(CALLED_ALERT, 0, number, office, call.counter, 0)
                            ),
                            icon=ft.Icons.CAMPAIGN,
                            bgcolor=ft.Colors.AMBER_200,
                            identifier="ticket-alert",
                            size=22,
                        )
                    ]
                else:
                    body.controls = [
                        ft.Text(_("Not called yet.")),
                        ft.Text(
                            _("{n} people are waiting; a new number waits {wait}.").format(
                                n=display.waiting_count, wait=wait_words(ctx, display.wait_minutes)
                            )
                        ),
                        ft.Text(
                            _("Last called: {numbers}").format(
                                numbers=", ".join(c.display_number for c in display.calls[:5])
                                or "–"
                            )
                        ),
                        ft.Text(_("As of {time}").format(time=ctx.tr.time(ctx.now()))),
                    ]
            except ServiceError as error:
                body.controls = [ft.Text(error_text(ctx, error))]
            refresh_control(body)
            await asyncio.sleep(REFRESH_SECONDS)

    task = ctx.page.run_task(poll)
    ctx.on_leave(task.cancel)
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
