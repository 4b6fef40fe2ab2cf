"""Waiting times of the Kundenzentren, and following a ticket."""

from __future__ import annotations

import flet as ft

from services.waiting_times.feed import WaitingTime
from views.context import ScreenContext
from views.widgets import heading, info_tile, resource_screen

STALE_AFTER_MINUTES = 20  # the city's feed has been seen frozen for weeks


def describe(ctx: ScreenContext, entry: WaitingTime) -> str:
    """One Kundenzentrum's state in words: open or closed, the wait, and how old it is."""
    _ = ctx._
    now = ctx.now()
    if entry.is_open is False:
        state = _("Closed")
    elif entry.wait_minutes is None:
        state = _("Open, waiting time unknown")
    else:
        state = ctx.tr.ngettext(
            "Open, about {n} minute waiting time",
            "Open, about {n} minutes waiting time",
            entry.wait_minutes,
        ).format(n=entry.wait_minutes)
    parts = [state]
    if entry.measured_at is None:
        parts.append(_("time of measurement unknown"))
    elif (now - entry.measured_at).total_seconds() > STALE_AFTER_MINUTES * 60:
        parts.append(
            _("not current: value from {stamp}").format(stamp=ctx.tr.stamp(entry.measured_at, now))
        )
    if entry.notice:
        parts.append(entry.notice)
    return " · ".join(parts)


def build(ctx: ScreenContext) -> ft.Control:
    """All Kundenzentren with their current waiting time."""
    _ = ctx._

    def rows(entries: list[WaitingTime]) -> list[ft.Control]:
        ordered = sorted(entries, key=lambda e: (e.is_open is False, e.wait_minutes or 999))
        return [info_tile(e.office, describe(ctx, e), icon=ft.Icons.STORE) for e in ordered]

    return resource_screen(
        ctx,
        _("Waiting times"),
        _("Current waiting times in the Kundenzentren of the City of Cologne."),
        ctx.services.coordinators.waiting_times,
        rows,
        _("The city reports no Kundenzentrum right now."),
    )


def build_ticket(ctx: ScreenContext, office: str, token: str) -> ft.Control:
    """A ticket followed by its QR code; the live queue position comes with the queue service."""
    _ = ctx._
    return ft.Column(
        [
            heading(_("Your ticket")),
            ft.Text(_("Kundenzentrum: {office}").format(office=office)),
            ft.Text(_("Following a ticket live is being prepared. Please keep your paper ticket.")),
        ],
        spacing=12,
    )
