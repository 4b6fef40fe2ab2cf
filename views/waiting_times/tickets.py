"""`/waiting/tickets` and `/waiting/ticket/<office>/<token>`: the tickets a person follows."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import flet as ft

from services.waiting_times.queue import CALLED, FINISHED, MISSED, PROCESSING, QUEUED
from services.waiting_times.ticket_link import TicketRef
from services.waiting_times.tickets import CALLED_ALERT, Alert, Followed
from views.context import ScreenContext, refresh_control
from views.waiting_times.add_ticket import add_ticket_section
from views.waiting_times.common import (
    banner,
    office_names,
    problem_slot,
    problem_text,
    wait_words,
)
from views.widgets import error_text, heading

log = logging.getLogger(__name__)


def alert_text(ctx: ScreenContext, alert: Alert) -> str:
    """The words of an alert, naming the counter when called."""
    _ = ctx._
    if alert.kind == CALLED_ALERT:
        if alert.counter is not None:
            return _(
                "Your number {number} has been called: please go to counter {counter} now."
            ).format(number=alert.display_number, counter=alert.counter)
        return _("Your number {number} has been called: please go to the counters now.").format(
            number=alert.display_number
        )
    return ctx.tr.ngettext(
        "Number {number} is nearly up: {n} number ahead of you. Please come back to the hall.",
        "Number {number} is nearly up: {n} numbers ahead of you. Please come back to the hall.",
        alert.numbers_ahead,
    ).format(number=alert.display_number, n=alert.numbers_ahead)


def status_lines(ctx: ScreenContext, ticket: Followed) -> list[str]:
    """Where the ticket stands, in sentences."""
    _ = ctx._
    if ticket.problem:
        return [problem_text(ctx, ticket.problem) or _("This ticket cannot be followed.")]
    status = ticket.status
    lines: list[str] = []
    if ticket.last_error is not None:
        lines.append(error_text(ctx, ticket.last_error))
    if status is None:
        lines.append(_("Not checked yet."))
        return lines
    if status.status == QUEUED:
        lines.append(
            ctx.tr.ngettext(
                "{n} number ahead of you.", "{n} numbers ahead of you.", status.numbers_ahead
            ).format(n=status.numbers_ahead)
        )
        expected = ticket.expected_wait(ctx.now())
        if expected is not None:
            minutes, estimated = expected
            if estimated:
                lines.append(
                    _("Estimate without connection: {wait} (last known {time})").format(
                        wait=wait_words(ctx, minutes),
                        time=ctx.tr.time(ticket.checked_at or ctx.now()),
                    )
                )
            else:
                lines.append(
                    _("Expected: {wait}, at best {best} min.").format(
                        wait=wait_words(ctx, minutes), best=status.wait_optimistic
                    )
                )
    elif status.status in (CALLED, PROCESSING):
        lines.append(
            _("Called to counter {counter}.").format(counter=status.counter)
            if status.counter
            else _("Called.")
        )
    elif status.status == FINISHED:
        lines.append(_("Done. This ticket leaves the list tomorrow."))
    elif status.status == MISSED:
        lines.append(_("Missed: the number was called but nobody came. Please ask at the desk."))
    if ticket.checked_at is not None and ticket.last_error is None:
        lines.append(_("As of {time}").format(time=ctx.tr.time(ticket.checked_at)))
    return lines


def called_banner(ctx: ScreenContext, ticket: Followed) -> ft.Control | None:
    """The call, large, for as long as the ticket stands called (also after a reconnect)."""
    status = ticket.status
    if not ticket.is_called or status is None:
        return None
    alert = Alert(CALLED_ALERT, ticket.id, status.display_number, ticket.office, status.counter, 0)
    return banner(
        alert_text(ctx, alert),
        icon=ft.Icons.CAMPAIGN,
        bgcolor=ft.Colors.AMBER_200,
        identifier="ticket-alert",
        size=22,
    )


def ticket_card(ctx: ScreenContext, ticket: Followed, office_names: dict[str, str]) -> ft.Control:
    """One followed ticket with its state and a button to stop following it."""
    _ = ctx._
    number = ticket.status.display_number if ticket.status else "…"
    office = office_names.get(ticket.office, ticket.office)
    called = ticket.is_called
    person = ticket.person
    return ft.Card(
        content=ft.Container(
            padding=16,
            bgcolor=ft.Colors.AMBER_100 if called else None,
            content=ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.CAMPAIGN if called else ft.Icons.CONFIRMATION_NUMBER),
                            ft.Text(
                                _("Number {number} · {office}").format(
                                    number=number, office=office
                                ),
                                size=20,
                                weight=ft.FontWeight.BOLD,
                                expand=True,
                            ),
                        ]
                    ),
                    *[ft.Text(line) for line in status_lines(ctx, ticket)],
                    ft.TextButton(
                        _("Stop following"),
                        icon=ft.Icons.DELETE_OUTLINE,
                        on_click=lambda _e: ctx.services.tickets.forget(person, ticket.id),
                    ),
                ],
                spacing=6,
            ),
        )
    )


def build(ctx: ScreenContext, first: Callable[[], Awaitable[None]] | None = None) -> ft.Control:
    """Every ticket the person follows, kept current while shown (a change shows at once)."""
    _ = ctx._
    tickets = ctx.services.tickets
    list_box = ft.Column(spacing=8)

    def render_list() -> None:
        followed = tickets.all(ctx.person)
        names = office_names(ctx)
        banners = [b for t in followed if (b := called_banner(ctx, t)) is not None]
        cards = [ticket_card(ctx, t, names) for t in followed]
        list_box.controls = [*banners, *cards] or [
            ft.Text(_("You are not following a ticket yet."))
        ]

    def redraw(_none: None = None) -> None:
        render_list()
        refresh_control(list_box)

    render_list()
    if ctx.person is not None:
        ctx.on_leave(tickets.changes.add(ctx.person, redraw))
    if first is not None:  # a ticket being added: check it at once
        ctx.run_task(first)
    return ft.Column(
        [
            heading(_("My tickets")),
            ft.Text(
                _(
                    "Follow your paper ticket: we tell you when your number is nearly up and "
                    "when it is called. The page shows every change as it happens."
                )
            ),
            list_box,
            add_ticket_section(ctx),
        ],
        spacing=12,
    )


def build_ticket(ctx: ScreenContext, office: str, token: str) -> ft.Control:
    """A deep link from a ticket's QR code: check it, follow it, show all tickets."""
    _ = ctx._
    ref = TicketRef(office, token)
    message, say = problem_slot("ticket-problem")

    async def check() -> None:
        if ctx.person is None:  # a shared device (kiosk) follows nobody's ticket
            say(_("This device is shared. Please scan the code with your own phone."))
            return
        if ref.route in ctx.opened_links:  # a redraw ("stop following" must stay so)
            return
        followed, error = await ctx.services.tickets.follow_checked(ctx.person, ref)
        if followed is not None:  # only once done: a redraw may have cancelled it
            ctx.opened_links.add(ref.route)
        elif error is not None:  # refused: nothing saved, and a redraw says so again
            say(problem_text(ctx, error) or _("This ticket cannot be followed."))

    return ft.Column([message, build(ctx, check)], spacing=12)
