"""Check-in at the kiosk: the appointment's QR code (camera) or its typed process number
gives a ticket with appointment priority in the same queue as the walk-ins."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from services.appointments.checkin_code import read_appointment_code
from services.errors import Offline, ServiceError
from services.i18n import N_
from services.waiting_times.qr import NotAnImage, read_qr_texts
from services.waiting_times.queue import DrawnTicket
from services.waiting_times.ticket_link import Refused
from views.context import ScreenContext, refresh_control
from views.qr_scan import open_scanner
from views.waiting_times.common import banner

# what the queue answers when a check-in is refused, in plain words
CHECK_IN_PROBLEMS = {
    "appointmentNotFound": N_("No appointment with this number was found. Please check it."),
    "notToday": N_("This appointment is not today. Please come on the day of your appointment."),
    "tooEarly": N_("It is too early: check-in opens 60 minutes before your appointment."),
    "tooLate": N_("The time of this appointment has passed. Please ask at the information desk."),
    "wrongOffice": N_("This appointment is at another Kundenzentrum."),
    "invalidProcessStatus": N_(
        "This appointment is not confirmed, or you have checked in already. "
        "Please ask at the information desk."
    ),
}


def check_in_panel(
    ctx: ScreenContext,
    on_ticket: Callable[[DrawnTicket], None],
    on_back: Callable[[], None],
    touch: Callable[[], None],
    big_button: Callable[..., ft.Control],
) -> list[ft.Control]:
    """The kiosk's check-in: a large field for the number, the camera, and the way back."""
    _ = ctx._
    problem = ft.Column()

    def say(text: str) -> None:
        problem.controls = [
            banner(
                text,
                icon=ft.Icons.ERROR_OUTLINE,
                bgcolor=ft.Colors.RED_50,
                identifier="check-in-problem",
                size=24,
            )
        ]
        refresh_control(problem)

    async def check_in(payload: str) -> None:
        touch()
        found = read_appointment_code(payload, ctx.services.app_origins)
        if isinstance(found, Refused):
            say(_("This is not the code of an appointment. Please type your process number."))
            return
        try:
            ticket = await ctx.services.ticket_machine.check_in(found.process_id, found.auth_key)
        except ServiceError as error:
            message = CHECK_IN_PROBLEMS.get(error.code or "")
            if message:
                say(_(message))
            elif isinstance(error, Offline):
                say(_("The kiosk cannot reach the queue. Please ask at the information desk."))
            else:
                say(_("Check-in did not work. Please ask at the information desk."))
            return
        on_ticket(ticket)

    def use_image(data: bytes) -> None:
        try:
            texts = read_qr_texts(data)
        except NotAnImage:
            texts = []
        if not texts:
            say(_("No QR code was read. Please hold the code still, or type the number."))
            return
        ctx.run_task(check_in, texts[0])

    number = ft.TextField(
        label=_("Process number"),
        keyboard_type=ft.KeyboardType.NUMBER,
        text_size=32,
        max_length=12,
        on_submit=lambda e: ctx.run_task(check_in, e.control.value or ""),
        on_change=lambda _e: touch(),
    )

    async def scan(_e: object) -> None:
        touch()
        await open_scanner(
            ctx,
            use_image,
            say,
            title=_("Hold the QR code of your appointment in front of the camera"),
        )

    return [
        ft.Semantics(
            header=True,
            heading_level=1,
            content=ft.Text(_("Check in for your appointment"), size=40, weight=ft.FontWeight.BOLD),
        ),
        ft.Text(
            _(
                "Show the QR code of your appointment to the camera, or type your process "
                "number. You get a number and are called before walk-ins."
            ),
            size=24,
        ),
        problem,
        number,
        big_button(
            _("Check in"),
            lambda _e: ctx.run_task(check_in, number.value or ""),
            icon=ft.Icons.HOW_TO_REG,
        ),
        big_button(_("Scan the QR code"), scan, icon=ft.Icons.QR_CODE_SCANNER),
        big_button(_("Back"), lambda _e: on_back(), icon=ft.Icons.ARROW_BACK),
    ]
