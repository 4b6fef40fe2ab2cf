"""The kiosk in the hall: `/kiosk` to take a number, `/kiosk/calls` as the call display.

Large targets, one job per screen, nothing personal kept: a drawn ticket lives only on the
screen and is forgotten when the kiosk goes back to the start after a minute without touch.
"""

from __future__ import annotations

import logging

import flet as ft

from services.city_names import city_name
from services.errors import Offline, ServiceError
from services.i18n import LOCALES, Translator
from services.waiting_times.qr import qr_png
from services.waiting_times.queue import CallDisplay, DrawnTicket, Location
from views.appointments.check_in import check_in_panel
from views.context import ScreenContext, refresh_control
from views.idle import IdleReset
from views.waiting_times.common import banner, known_locations, problem_text, wait_words

log = logging.getLogger(__name__)

BIG = 96  # px: kiosk buttons are pressed standing, often by older people
CALL_ROW = 58  # px, one called number (36 px text) with the space to the next
CALLS_FRAME = 380  # px, the call display's heading, status line, column names and button
# Choices side by side on a landscape screen (two), so that it shows them all without
# scrolling; one under the other on narrow screens.
CHOICE_COLUMNS = {"xs": 12, "md": 6}


def big_button(text: str, on_click, *, icon: ft.IconData | None = None) -> ft.Control:  # type: ignore[no-untyped-def]
    """A kiosk button: as wide as its column, at least 96 px tall, large text that wraps
    (no fixed size: a long name or a large text setting makes it taller, never cuts it)."""
    return ft.Button(
        content=ft.Row(
            [
                *([ft.Icon(icon, size=36)] if icon else []),
                ft.Text(text, size=26, text_align=ft.TextAlign.CENTER, expand=True),
            ],
        ),
        on_click=on_click,
        style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=24, vertical=(BIG - 32) / 2)),
    )


def upright(page: ft.Page) -> bool:
    """Whether the kiosk's screen stands upright (a change redraws it)."""
    return (page.height or 0) > (page.width or 0)


def choices(ctx: ScreenContext, buttons: list[ft.Control]) -> ft.Control:
    """The kiosk's choices: one under the other on an upright screen (where there is room
    for them), else in as many columns as its width holds."""
    return ft.ResponsiveRow(
        [ft.Container(b, col=12 if upright(ctx.page) else CHOICE_COLUMNS) for b in buttons],
        spacing=16,
        run_spacing=16,
    )


def kiosk_location(ctx: ScreenContext) -> Location | None:
    """The Kundenzentrum this kiosk stands in."""
    data = known_locations(ctx)
    return next((loc for loc in data if loc.id == ctx.services.kiosk.office), None)


def build(ctx: ScreenContext) -> ft.Control:
    """Choose a service, take a number, see it with a large QR code; back to start when idle."""
    box = ft.Column(horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=20)
    state: dict[str, object] = {
        "ticket": None,
        "problem": None,
        "checking_in": False,
    }
    locations = ctx.services.coordinators.locations
    start_locale = ctx.tr.locale

    def touch() -> None:
        idle.touch()

    def redraw() -> None:
        ticket = state["ticket"]
        if isinstance(ticket, DrawnTicket):
            box.controls = ticket_screen(ctx, ticket, done)
        elif state["checking_in"]:
            box.controls = check_in_panel(ctx, checked_in, done, touch, big_button)
        else:
            box.controls = start_screen()
        refresh_control(box)

    def check_in(_e: object = None) -> None:
        touch()
        state["checking_in"] = True
        redraw()

    def checked_in(ticket: DrawnTicket) -> None:
        state["ticket"], state["checking_in"] = ticket, False
        redraw()

    def done(_e: object = None) -> None:
        state["ticket"], state["problem"], state["checking_in"] = None, None, False
        touch()
        redraw()

    def set_language(code: str) -> None:
        touch()
        ctx.tr = Translator(code)  # for this visitor only; the kiosk's setting stays
        ctx.language_changed()
        redraw()

    async def draw(service_id: int) -> None:
        touch()
        try:
            state["ticket"] = await ctx.services.ticket_machine.draw(service_id)
            state["problem"] = None
        except ServiceError as error:
            state["problem"] = problem_text(ctx, error) or (
                ctx._(
                    "The ticket machine cannot reach the queue. Please ask at the information desk."
                )
                if isinstance(error, Offline)
                else ctx._("No number could be drawn. Please ask at the information desk.")
            )
        redraw()

    def start_screen() -> list[ft.Control]:
        _ = ctx._
        location = kiosk_location(ctx)
        controls: list[ft.Control] = [
            ft.Row(
                [
                    ft.Button(
                        content=ft.Text(name, size=22),
                        on_click=lambda _e, c=code: set_language(c),
                        style=ft.ButtonStyle(
                            padding=ft.Padding.symmetric(horizontal=28, vertical=18)
                        ),
                    )
                    for code, name in LOCALES.items()
                ],
                alignment=ft.MainAxisAlignment.CENTER,
                wrap=True,
            ),
            ft.Semantics(
                header=True,
                heading_level=1,
                content=ft.Text(
                    city_name(ctx.tr, location.name) if location else _("Kundenzentrum"),
                    size=40,
                    text_align=ft.TextAlign.CENTER,
                    weight=ft.FontWeight.BOLD,
                ),
            ),
            ft.Text(
                _("Please choose your concern to take a number."),
                size=26,
                text_align=ft.TextAlign.CENTER,
            ),
        ]
        if state["problem"]:
            controls.append(
                banner(
                    str(state["problem"]),
                    icon=ft.Icons.ERROR_OUTLINE,
                    bgcolor=ft.Colors.RED_50,
                    identifier="kiosk-problem",
                    size=24,
                )
            )
        buttons: list[ft.Control] = []
        if location is None:
            controls.append(ft.Text(_("Loading …"), size=24))
        else:
            if location.wait_minutes is not None and location.is_open:
                controls.append(
                    ft.Text(
                        _("Now: {wait}").format(wait=wait_words(ctx, location.wait_minutes)),
                        size=24,
                    )
                )
            buttons.extend(
                big_button(
                    city_name(ctx.tr, s.name),
                    lambda _e, sid=s.id: ctx.run_task(draw, sid),
                    icon=ft.Icons.CONFIRMATION_NUMBER,
                )
                for s in location.services
            )
        buttons.append(big_button(_("I have an appointment"), check_in, icon=ft.Icons.EVENT))
        buttons.append(
            big_button(_("Call display"), lambda _e: ctx.navigate("/kiosk/calls"), icon=ft.Icons.TV)
        )
        return [*controls, choices(ctx, buttons)]

    def visitor_left() -> None:
        ctx.tr = Translator(start_locale)
        ctx.language_changed()
        done()

    idle = IdleReset(
        ctx,
        dirty=lambda: bool(
            state["ticket"]
            or state["problem"]
            or state["checking_in"]
            or ctx.tr.locale != start_locale
        ),
        reset=visitor_left,
    )

    box.controls = start_screen()
    ctx.on_leave(locations.subscribe(lambda: redraw() if state["ticket"] is None else None))
    locations.request_refresh()
    idle.start()
    return box


def ticket_screen(ctx: ScreenContext, ticket: DrawnTicket, done) -> list[ft.Control]:  # type: ignore[no-untyped-def]
    """The drawn number, large, with the QR code that takes it onto the phone."""
    _ = ctx._
    ahead = ctx.tr.ngettext(
        "{n} number ahead of you.", "{n} numbers ahead of you.", ticket.numbers_ahead
    ).format(n=ticket.numbers_ahead)
    return [
        ft.Text(_("Your number"), size=28),
        ft.Semantics(
            identifier="kiosk-number",
            content=ft.Text(ticket.display_number, size=96, weight=ft.FontWeight.BOLD),
        ),
        ft.Text(ahead, size=24),
        ft.Text(_("Expected: {wait}.").format(wait=wait_words(ctx, ticket.wait_estimate)), size=24),
        ft.Image(
            src=qr_png(ticket.link, box_size=12),
            width=360,
            height=360,
            semantics_label=_(
                "QR code of your ticket: scan it with your phone to follow your number."
            ),
        ),
        ft.Text(
            _("Scan the code with your phone to follow your number and be alerted when called."),
            size=22,
            width=720,
            text_align=ft.TextAlign.CENTER,
        ),
        ft.Text(_("Your paper ticket carries the same code."), size=20),
        big_button(_("Done"), done, icon=ft.Icons.CHECK),
    ]


def build_calls(ctx: ScreenContext) -> ft.Control:
    """The hall's call display: the last ten numbers called and their counters."""
    _ = ctx._
    office = ctx.services.kiosk.office
    table = ft.Column(spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

    def rows(display: CallDisplay) -> list[ft.Control]:
        # the newest first; as many as the screen holds under the status line (which comes
        # first, so a landscape screen never cuts it off)
        fit = max(3, int(((ctx.page.height or 1920) - CALLS_FRAME) // CALL_ROW))
        waiting = _("{n} people are waiting; a new number waits {wait}.").format(
            n=display.waiting_count, wait=wait_words(ctx, display.wait_minutes)
        )
        status = ft.Text(waiting, size=24, text_align=ft.TextAlign.CENTER)
        if not display.calls:
            return [status, ft.Text(_("No number has been called yet today."), size=28)]
        header = ft.Row(
            [
                ft.Text(_("Number"), size=28, expand=True),
                ft.Text(_("Counter"), size=28, expand=True),
            ]
        )
        lines = [
            ft.Semantics(
                container=True,
                content=ft.Row(
                    [
                        ft.Text(
                            c.display_number,
                            size=48 if i == 0 else 36,
                            weight=ft.FontWeight.BOLD,
                            expand=True,
                        ),
                        ft.Text(
                            str(c.counter),
                            size=48 if i == 0 else 36,
                            weight=ft.FontWeight.BOLD,
                            expand=True,
                        ),
                    ]
                ),
            )
            for i, c in enumerate(display.calls[:fit])
        ]
        return [status, header, *lines]

    calls = ctx.services.calls.of(office)

    def redraw() -> None:
        state = calls.state
        shown = rows(state.data) if state.data is not None else []
        if state.data is None or state.is_stale(ctx.now()):
            # keep the last numbers up, and say they may be old
            notice = (
                _("The call display cannot reach the queue right now.")
                if state.last_error is not None
                else _("Loading …")
            )
            shown = [ft.Text(notice, size=24), *shown]
        table.controls = shown
        refresh_control(table)

    redraw()
    ctx.on_leave(ctx.services.calls.watch(office, redraw))
    return ft.Column(
        [
            ft.Semantics(
                header=True,
                heading_level=1,
                content=ft.Text(_("Call display"), size=40, weight=ft.FontWeight.BOLD),
            ),
            table,
            big_button(_("Back"), lambda _e: ctx.navigate("/kiosk"), icon=ft.Icons.ARROW_BACK),
        ],
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        spacing=16,
    )
