"""An earlier free time for one of the person's appointments, told on whatever screen they are."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from services.appointments.wallet import CONFIRMED, WalletEntry
from services.city_names import city_name
from services.errors import ServiceError
from views.appointments.common import booking_problem, when_text
from views.context import ScreenContext


async def take_earlier(
    ctx: ScreenContext, entry: WalletEntry, say: Callable[[str, bool], None]
) -> None:
    """Rebook onto the offered earlier time and say how it went (text, is it a problem)."""
    _ = ctx._
    try:
        new = await ctx.services.appointments.take_offer(entry.person_id, entry.process_id)
    except ServiceError as error:
        say(booking_problem(ctx, error), True)
        return
    if new.status == CONFIRMED:
        done = _("Done: your appointment is now on {when}. The old one is cancelled automatically.")
        say(done.format(when=when_text(ctx, new.starts_at)), False)
    else:
        say(
            _(
                "The earlier time is reserved for you. Please confirm it with the link in "
                "the email; the old appointment is cancelled once you have."
            ),
            False,
        )


def present_offer(ctx: ScreenContext, entry: WalletEntry) -> None:
    """A dialog: the earlier time, and taking it in one step (or not)."""
    _ = ctx._
    if entry.offer is None:
        return
    offer = entry.offer

    async def take(_e: object) -> None:
        ctx.page.pop_dialog()
        await take_earlier(ctx, entry, lambda text, _problem: ctx.show_message(text))

    def later(_e: object) -> None:
        ctx.page.pop_dialog()

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(_("An earlier time is free: {when}").format(when=when_text(ctx, offer))),
            content=ft.Text(
                _("Instead of {when} for {service} at {office}.").format(
                    when=when_text(ctx, entry.starts_at),
                    service=city_name(ctx.tr, entry.service_name),
                    office=city_name(ctx.tr, entry.office_name),
                )
            ),
            actions=[
                ft.FilledButton(_("Take the earlier time"), on_click=take),
                ft.TextButton(_("Not now"), on_click=later),
            ],
        )
    )
