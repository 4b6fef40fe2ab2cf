"""What the appointment screens share: how times, fees, states and problems are worded."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from services.appointments.booking import BRING, ReservationExpired, SlotTaken
from services.appointments.wallet import CANCELLING, CONFIRMED, PRECONFIRMED, WalletEntry
from services.appointments.zms import Fee, OfficesAndServices, Service
from services.errors import Offline, RateLimited, ServiceError
from views.context import ScreenContext
from views.waiting_times.common import banner
from views.widgets import error_text


def when_text(ctx: ScreenContext, moment: datetime) -> str:
    """ "Dienstag, 24. November 2026, 08:15 Uhr" in the person's language."""
    return ctx._("{day}, {time}").format(day=ctx.tr.long_date(moment), time=ctx.tr.time(moment))


def fee_text(ctx: ScreenContext, fee: Fee | None) -> str:
    """What the service costs, or that the office tells."""
    if fee is None:
        return ctx._("Fee: ask the Kundenzentrum")
    if float(fee.amount) == 0:
        return ctx._("Free of charge")
    return ctx._("Fee: {amount}").format(amount=ctx.tr.money(fee.amount, fee.currency))


def bring_text(ctx: ScreenContext, service: Service | None) -> str | None:
    """ "Please bring: …" """
    if service is None or not service.documents:
        return None
    return ctx._(BRING).format(documents=", ".join(service.documents))


def status_text(ctx: ScreenContext, entry: WalletEntry) -> str:
    """Where the appointment stands, in words (never by colour alone)."""
    _ = ctx._
    if entry.status == CANCELLING:
        return _(
            "Cancelled on this device; the cancellation is sent as soon as there is a connection."
        )
    if entry.problem in ("appointmentNotFound", "reservationExpired"):
        return _("Not found at the appointment service any more (expired or cancelled).")
    if entry.problem == "appointmentCanNotBeCanceled":
        return _("Confirmed. It can no longer be cancelled in the app; please call the city.")
    if entry.status == CONFIRMED:
        return _("Confirmed.")
    if entry.status == PRECONFIRMED:
        return _("Not yet confirmed: please open the link in the email we sent you.")
    return _("Reserved, not yet booked.")


def address_of(data: OfficesAndServices | None, office_id: int) -> str:
    """The office's address line, if known."""
    office = data.office(office_id) if data else None
    return office.address.line() if office and office.address else ""


def booking_problem(ctx: ScreenContext, error: ServiceError) -> str:
    """What went wrong while booking, and what to do, in plain words."""
    _ = ctx._
    if isinstance(error, RateLimited):
        seconds = int(error.retry_after or 60)
        return _(
            "The appointment service gets too many requests right now. "
            "Please wait {seconds} seconds and try again."
        ).format(seconds=max(seconds, 1))
    if isinstance(error, Offline):
        return _(
            "Booking needs a connection to the appointment service, and there is none right "
            "now. Nothing has been booked. Please try again when you are online."
        )
    if isinstance(error, ReservationExpired):
        return _(
            "Your reservation has expired: a time is held for 15 minutes. "
            "Please choose a time again."
        )
    if isinstance(error, SlotTaken):
        return _("Somebody else has just booked this time. Nothing has been booked for you.")
    return error_text(ctx, error)


def problem_banner(text: str, identifier: str = "booking-problem") -> ft.Control:
    """A problem, with an icon and words, read out when it appears."""
    return banner(
        text, icon=ft.Icons.ERROR_OUTLINE, bgcolor=ft.Colors.RED_50, identifier=identifier
    )


def note_banner(text: str, identifier: str) -> ft.Control:
    """Good news or a hint, with an icon and words."""
    return banner(
        text, icon=ft.Icons.INFO_OUTLINE, bgcolor=ft.Colors.BLUE_50, identifier=identifier
    )
