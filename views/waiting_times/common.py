"""Words and small widgets shared by the waiting-time screens."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from services.city_names import city_name
from services.clock import CITY_TZ
from services.errors import ServiceError
from services.i18n import N_
from services.waiting_times.feed import CLOSED, MISSING, UNKNOWN, UNREADABLE, WaitingTime
from services.waiting_times.queue import (
    LOCATION_CLOSED,
    LOCATION_NOT_FOUND,
    TICKET_EXPIRED,
    TICKET_NOT_FOUND,
    TICKET_OTHER_LOCATION,
    Location,
)
from views.context import ScreenContext, refresh_control

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}
TICKET_PROBLEMS = {
    TICKET_NOT_FOUND: N_(
        "This is not a valid ticket of the City of Cologne. Please check the code on your ticket."
    ),
    TICKET_OTHER_LOCATION: N_(
        "This ticket belongs to another Kundenzentrum. Please scan it again from the ticket."
    ),
    TICKET_EXPIRED: N_("This ticket was for an earlier day and is no longer valid."),
    LOCATION_CLOSED: N_("This Kundenzentrum is closed right now. No numbers are given."),
    LOCATION_NOT_FOUND: N_(
        "The City of Cologne has no Kundenzentrum of this name. Please check the code on your "
        "ticket."
    ),
}


def known_locations(ctx: ScreenContext) -> list[Location]:
    """The Kundenzentren with a queue, as last read (the unreadable ones left out)."""
    data = ctx.services.coordinators.locations.state.data
    return data.entries if data else []


def office_names(ctx: ScreenContext) -> dict[str, str]:
    """Each known Kundenzentrum's name in the person's language, by its key."""
    return {loc.id: city_name(ctx.tr, loc.name) for loc in known_locations(ctx)}


def hours_text(span: str) -> str:
    """ "07:30-15:00" with a proper dash."""
    return span.replace("-", "–")


def walk_in_today(ctx: ScreenContext, location: Location | None) -> str | None:
    """Today's walk-in hours of a Kundenzentrum, or that there are none today."""
    if location is None or not location.walk_in_hours:
        return None
    today = WEEKDAYS[ctx.now().astimezone(CITY_TZ).weekday()]
    span = location.walk_in_hours.get(today)
    if span is None:
        return ctx._("No walk-in hours today")
    return ctx._("Walk-in today {hours}").format(hours=hours_text(span))


def wait_words(ctx: ScreenContext, minutes: int) -> str:
    """ "about 12 minutes waiting time"."""
    if minutes <= 0:
        return ctx._("no waiting time")
    return ctx.tr.ngettext(
        "about {n} minute waiting time", "about {n} minutes waiting time", minutes
    ).format(n=minutes)


def describe(ctx: ScreenContext, entry: WaitingTime) -> str:
    """One Kundenzentrum in words; a value that is not current says so before anything else."""
    _ = ctx._
    if entry.state == UNKNOWN:
        return _("State unknown: the city's latest entry for it could not be read.")
    if entry.state == CLOSED:
        state = _("Closed")
    elif entry.wait_minutes is None:
        state = _("Open, waiting time unknown")
    else:
        state = _("Open, {wait}").format(wait=wait_words(ctx, entry.wait_minutes))
    now = ctx.now()
    if entry.is_current(now) and not entry.kept:
        parts = [state, _("as of {time}").format(time=ctx.tr.time(entry.measured_at or now))]
    else:
        reason = {
            UNREADABLE: _("The latest entry could not be read."),
            MISSING: _("Missing from the latest answer."),
        }.get(entry.kept, _("Not current."))
        if entry.measured_at is None:
            known = _("Last known value, time unknown: {state}").format(state=state)
        else:
            known = _("Last known value, from {stamp}: {state}").format(
                stamp=ctx.tr.stamp(entry.measured_at, now), state=state
            )
        parts = [f"{reason} {known}"]
    if entry.notice:
        parts.append(entry.notice)
    return " · ".join(parts)


def state_icon(ctx: ScreenContext, entry: WaitingTime) -> ft.IconData:
    """The row's icon; it repeats what the words say (never the only sign)."""
    if entry.state == UNKNOWN:
        return ft.Icons.HELP_OUTLINE
    if entry.kept or not entry.is_current(ctx.now()):
        return ft.Icons.HISTORY
    return ft.Icons.STORE if entry.is_open else ft.Icons.DO_NOT_DISTURB_ON


def problem_text(ctx: ScreenContext, error: ServiceError | str) -> str | None:
    """The plain sentence for a ticket the server refused, if it is one of those."""
    code = error if isinstance(error, str) else error.code
    message = TICKET_PROBLEMS.get(code or "")
    return ctx._(message) if message else None


def banner(
    text: str, *, icon: ft.IconData, bgcolor: str, identifier: str, size: int = 18
) -> ft.Control:
    """A boxed message with an icon, announced to screen readers (never colour alone)."""
    return ft.Container(
        content=ft.Semantics(
            identifier=identifier,
            live_region=True,
            container=True,
            content=ft.Row(
                [
                    ft.Icon(icon, size=32),
                    ft.Text(text, size=size, weight=ft.FontWeight.BOLD, expand=True),
                ],
                spacing=12,
            ),
        ),
        padding=16,
        border_radius=12,
        bgcolor=bgcolor,
    )


def problem_slot(identifier: str) -> tuple[ft.Column, Callable[[str], None]]:
    """A place for one problem message (boxed, announced) and the function that fills it."""
    slot = ft.Column()

    def say(text: str) -> None:
        slot.controls = [
            banner(
                text, icon=ft.Icons.ERROR_OUTLINE, bgcolor=ft.Colors.RED_50, identifier=identifier
            )
        ]
        refresh_control(slot)

    return slot, say
