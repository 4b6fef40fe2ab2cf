"""One appointment (`/appointments/view/<processId>/<authKey>`, where its QR code points) and
the confirmation link of the email (`/appointments/confirm/<processId>/<authKey>`).

Shows the check-in QR code, the time in the person's language, the address, what to bring,
and "add to calendar" (an .ics file in Europe/Berlin that carries its time zone).
"""

from __future__ import annotations

import flet as ft

from services.appointments.booking import ReservationExpired
from services.appointments.checkin_code import appointment_link
from services.appointments.wallet import CANCELLING, CONFIRMED, PRECONFIRMED, WalletEntry
from services.appointments.zms import Process
from services.city_names import city_name
from services.errors import NotFound, ServiceError
from services.i18n import N_
from services.waiting_times.qr import qr_png
from views.appointments.common import (
    address_of,
    booking_problem,
    bring_text,
    note_banner,
    problem_banner,
    status_text,
    when_text,
)
from views.context import ScreenContext, refresh_control
from views.widgets import heading

CONFIRMED_LINKS = "confirmed-links"  # a session's drafts: confirmation links it followed

# what ZMS's statuses mean for a person looking at an appointment
STATUS_WORDS = {
    CONFIRMED: N_("Confirmed."),
    PRECONFIRMED: N_("Not yet confirmed: please open the link in the email we sent you."),
    "queued": N_("Checked in."),
    "deleted": N_("Cancelled."),
}


def confirmed_banner(ctx: ScreenContext) -> list[ft.Control]:
    """ "Your appointment is confirmed." """
    return [note_banner(ctx._("Your appointment is confirmed."), "appointment-confirmed")]


def build_view(
    ctx: ScreenContext, process: str, key: str, *, confirmed_now: bool = False
) -> ft.Control:
    """The appointment, from the person's device at once; else asked of ZMS."""
    box = ft.Column(spacing=12)
    banner = confirmed_banner(ctx) if confirmed_now else []
    entry = ctx.services.appointments.wallet.find(ctx.person or "", int(process))
    if entry is not None and entry.auth_key == key:
        box.controls = [*banner, *details(ctx, entry)]
        return box
    box.controls = [heading(ctx._("Your appointment")), ft.Text(ctx._("Loading …"))]

    async def fetch() -> None:
        try:
            found = await ctx.services.appointments.look_up(int(process), key)
        except ServiceError as error:
            box.controls = failed(ctx, error)
        else:
            box.controls = [*banner, *details(ctx, found)]
        refresh_control(box)

    ctx.run_task(fetch)
    return box


def build_confirm(ctx: ScreenContext, process: str, key: str) -> ft.Control:
    """What the email's link opens: confirms the appointment, then shows it."""
    box = ft.Column(
        [heading(ctx._("Your appointment")), ft.Text(ctx._("Confirming your appointment …"))],
        spacing=12,
    )

    confirmed: set[str] = ctx.drafts.setdefault(CONFIRMED_LINKS, set())
    if f"{process}/{key}" in confirmed:  # drawn again (resize, language): not confirmed twice
        return build_view(ctx, process, key, confirmed_now=True)

    async def confirm() -> None:
        try:
            found = await ctx.services.appointments.confirm(ctx.person, int(process), key)
        except ServiceError as error:
            box.controls = failed(ctx, error)
        else:
            entry = ctx.services.appointments.wallet.find(ctx.person or "", found.process_id)
            shown: WalletEntry | Process = entry if entry is not None else found
            good = found.status == CONFIRMED
            if good:
                confirmed.add(f"{process}/{key}")
            box.controls = [*(confirmed_banner(ctx) if good else []), *details(ctx, shown)]
        refresh_control(box)

    ctx.run_task(confirm)
    return box


def failed(ctx: ScreenContext, error: ServiceError) -> list[ft.Control]:
    """Why the appointment cannot be shown, and the way on."""
    _ = ctx._
    if isinstance(error, ReservationExpired):
        text = _(
            "This reservation has expired: it was not confirmed within 15 minutes, and the "
            "time has been released. Please book again."
        )
    elif isinstance(error, NotFound):
        text = _("No appointment with this number and code was found.")
    else:
        text = booking_problem(ctx, error)
    return [
        heading(_("Your appointment")),
        problem_banner(text, "appointment-problem"),
        ft.Row(
            [
                ft.FilledButton(
                    _("Book an appointment"),
                    on_click=lambda _e: ctx.navigate("/appointments/book"),
                ),
                ft.OutlinedButton(
                    _("My appointments"),
                    on_click=lambda _e: ctx.navigate("/appointments"),
                ),
            ],
            wrap=True,
        ),
    ]


def details(ctx: ScreenContext, shown: WalletEntry | Process) -> list[ft.Control]:
    """Time, place, what to bring, the check-in code and the calendar file."""
    _ = ctx._
    services = ctx.services
    catalogue = services.coordinators.offices.data
    process_id = shown.process_id
    auth_key = shown.auth_key
    if isinstance(shown, WalletEntry):
        service_name, office_name, starts_at = (
            shown.service_name,
            shown.office_name,
            shown.starts_at,
        )
        state = status_text(ctx, shown)
        service = catalogue.service(shown.service_id) if catalogue else None
        kept = True
        active = shown.status != CANCELLING
    else:
        service = catalogue.service(shown.service_id or 0) if catalogue else None
        office = catalogue.office(shown.office_id) if catalogue else None
        service_name = (service.name if service else None) or shown.service_name or ""
        office_name = (office.name if office else None) or shown.office_name or ""
        starts_at = shown.timestamp
        state = _(STATUS_WORDS.get(shown.status, N_("Reserved, not yet booked.")))
        kept = False
        active = shown.status == CONFIRMED
    base = services.link_base
    controls: list[ft.Control] = [
        heading(_("Your appointment")),
        ft.Text(city_name(ctx.tr, service_name), size=20, weight=ft.FontWeight.BOLD),
        ft.Semantics(
            identifier="appointment-when",
            content=ft.Text(when_text(ctx, starts_at), size=18),
        ),
        ft.Text(
            ", ".join(
                x
                for x in (city_name(ctx.tr, office_name), address_of(catalogue, shown.office_id))
                if x
            )
        ),
        ft.Text(state),
    ]
    if bring := bring_text(ctx, service):
        controls.append(ft.Text(bring))
    if active:
        controls.extend(
            [
                heading(_("Check-in"), level=2),
                ft.Text(
                    _(
                        "When you arrive, show this code to the kiosk at the entrance, or type "
                        "your process number there: {number}."
                    ).format(number=process_id)
                ),
                ft.Image(
                    src=qr_png(appointment_link(base, process_id, auth_key), box_size=8),
                    width=240,
                    height=240,
                    semantics_label=_("QR code of your appointment for check-in at the kiosk"),
                ),
            ]
        )
    actions: list[ft.Control] = []
    if kept and active:
        actions.append(
            ft.FilledButton(
                _("Add to calendar"),
                icon=ft.Icons.EVENT,
                url=ft.Url(
                    f"/calendar/{process_id}-{auth_key}.ics?lang={ctx.tr.locale}",
                    target=ft.UrlTarget.SELF,
                ),
            )
        )
    actions.append(
        ft.OutlinedButton(
            _("My appointments"),
            on_click=lambda _e: ctx.navigate("/appointments"),
        )
    )
    controls.append(ft.Row(actions, wrap=True, spacing=8))
    return controls
