"""`/appointments`: the person's appointments (their wallet on this device) and booking.

Opens at once from the device, also offline; cancelling offline waits in the outbox and is
sent exactly once. Here a person asks to hear of an earlier free time, and takes one.
"""

from __future__ import annotations

import contextlib

import flet as ft

from services.appointments.booking import CANCEL
from services.appointments.wallet import CANCELLING, CONFIRMED, WalletEntry
from services.appointments.zms import OfficesAndServices
from services.city_names import city_name
from services.coordinator import ResourceState
from services.errors import ServiceError
from views.appointments.common import (
    note_banner,
    problem_banner,
    status_text,
    when_text,
)
from views.appointments.offer import take_earlier
from views.context import ScreenContext, refresh_control
from views.widgets import freshness_notice, heading, info_tile, live_section


def build(ctx: ScreenContext) -> ft.Control:
    """The person's appointments, soonest first, and the way to book one."""
    _ = ctx._
    services = ctx.services
    person = ctx.person
    listing = ft.Column(spacing=12)
    message = ft.Column()

    def say(text: str | None, *, problem: bool = False) -> None:
        message.controls = (
            []
            if not text
            else [
                problem_banner(text, "appointments-problem")
                if problem
                else note_banner(text, "appointments-note")
            ]
        )
        refresh_control(message)

    def redraw() -> None:
        listing.controls = cards()
        refresh_control(listing)

    def cards() -> list[ft.Control]:
        if person is None:
            return [ft.Text(_("Appointments are not kept on this device."))]
        entries = services.appointments.mine(person)
        controls: list[ft.Control] = []
        waiting = services.outbox.pending_count(person, kind=CANCEL)
        if waiting:
            controls.append(
                ft.Semantics(
                    identifier="cancellations-waiting",
                    content=ft.Text(
                        ctx.tr.ngettext(
                            "{n} cancellation waits for a connection to be sent.",
                            "{n} cancellations wait for a connection to be sent.",
                            waiting,
                        ).format(n=waiting),
                        weight=ft.FontWeight.W_600,
                    ),
                )
            )
        if not entries:
            controls.append(ft.Text(_("You have no appointments on this device.")))
        controls.extend(card(entry) for entry in entries)
        return controls

    def card(entry: WalletEntry) -> ft.Control:
        lines: list[ft.Control] = [
            ft.Text(city_name(ctx.tr, entry.service_name), size=18, weight=ft.FontWeight.BOLD),
            ft.Text(when_text(ctx, entry.starts_at)),
            ft.Text(city_name(ctx.tr, entry.office_name)),
            ft.Row(
                [
                    ft.Icon(
                        ft.Icons.CHECK_CIRCLE
                        if entry.status == CONFIRMED and not entry.problem
                        else ft.Icons.PENDING
                    ),
                    ft.Text(status_text(ctx, entry), expand=True),
                ]
            ),
        ]
        if entry.offer is not None and entry.status == CONFIRMED:
            lines.append(offer_box(entry))
        actions: list[ft.Control] = []
        if entry.status != CANCELLING:
            actions.append(
                ft.Button(
                    _("Show"),
                    icon=ft.Icons.QR_CODE,
                    on_click=lambda _e: ctx.navigate(f"/appointments/view/{entry.key}"),
                )
            )
        if entry.status == CONFIRMED and not entry.problem:
            actions.append(
                ft.OutlinedButton(
                    _("Change the time"),
                    icon=ft.Icons.EDIT_CALENDAR,
                    on_click=lambda _e: ctx.navigate(
                        f"/appointments/reschedule/{entry.process_id}"
                    ),
                )
            )
        if entry.status != CANCELLING and not entry.problem:
            actions.append(
                ft.OutlinedButton(
                    _("Cancel appointment"),
                    icon=ft.Icons.EVENT_BUSY,
                    on_click=lambda _e: ask_cancel(entry),
                )
            )
        if entry.problem in ("appointmentNotFound", "reservationExpired"):
            actions.append(
                ft.OutlinedButton(
                    _("Remove from this device"),
                    icon=ft.Icons.DELETE_OUTLINE,
                    on_click=lambda _e: forget(entry),
                )
            )
        lines.append(ft.Row(actions, wrap=True, spacing=8))
        if entry.status == CONFIRMED and not entry.problem:
            lines.append(
                ft.Switch(
                    label=_("Tell me when an earlier time becomes free at this Kundenzentrum"),
                    value=entry.watch,
                    on_change=lambda e: watch(entry, bool(e.control.value)),
                )
            )
        return ft.Semantics(
            identifier=f"appointment-{entry.process_id}",
            container=True,
            content=ft.Card(content=ft.Container(ft.Column(lines, spacing=6), padding=16)),
        )

    def offer_box(entry: WalletEntry) -> ft.Control:
        assert entry.offer is not None
        return ft.Container(
            content=ft.Column(
                [
                    ft.Semantics(
                        identifier=f"offer-{entry.process_id}",
                        live_region=True,
                        content=ft.Row(
                            [
                                ft.Icon(ft.Icons.NOTIFICATIONS_ACTIVE),
                                ft.Text(
                                    _("An earlier time is free: {when}").format(
                                        when=when_text(ctx, entry.offer)
                                    ),
                                    weight=ft.FontWeight.BOLD,
                                    expand=True,
                                ),
                            ]
                        ),
                    ),
                    ft.Row(
                        [
                            ft.FilledButton(
                                _("Take the earlier time"),
                                on_click=lambda _e: ctx.run_task(take, entry),
                            ),
                            ft.TextButton(
                                _("No, thanks"),
                                on_click=lambda _e: decline(entry),
                            ),
                        ],
                        wrap=True,
                    ),
                ]
            ),
            bgcolor=ft.Colors.AMBER_50,
            padding=12,
            border_radius=12,
        )

    def watch(entry: WalletEntry, on: bool) -> None:
        services.appointments.watch(entry.person_id, entry.process_id, on)
        say(
            _("We will tell you here when an earlier time becomes free.")
            if on
            else _("You will not be told of earlier times for this appointment.")
        )

    def decline(entry: WalletEntry) -> None:
        services.appointments.decline(entry.person_id, entry.process_id)

    async def take(entry: WalletEntry) -> None:
        say(_("Booking the earlier time …"))
        await take_earlier(ctx, entry, lambda text, problem: say(text, problem=problem))

    def ask_cancel(entry: WalletEntry) -> None:
        async def yes(_e: object) -> None:
            ctx.page.pop_dialog()
            services.appointments.cancel(entry.person_id, entry.process_id)
            await services.outbox.flush()
            now = services.appointments.wallet.find(entry.person_id, entry.process_id)
            if now is not None and now.problem:
                say(status_text(ctx, now), problem=True)
            elif now is not None:
                say(
                    _(
                        "Cancelled on this device; the cancellation is sent as soon as there "
                        "is a connection."
                    )
                )
            else:
                say(_("The appointment is cancelled."))

        ctx.page.show_dialog(
            ft.AlertDialog(
                title=ft.Text(_("Cancel this appointment?")),
                content=ft.Text(
                    "\n".join(
                        (
                            city_name(ctx.tr, entry.service_name),
                            when_text(ctx, entry.starts_at),
                            city_name(ctx.tr, entry.office_name),
                        )
                    )
                ),
                actions=[
                    ft.FilledButton(_("Yes, cancel it"), on_click=yes),
                    ft.TextButton(
                        _("No, keep it"),
                        on_click=lambda _e: ctx.page.pop_dialog(),
                    ),
                ],
            )
        )

    def forget(entry: WalletEntry) -> None:
        services.appointments.wallet.remove(entry.person_id, entry.process_id)
        services.appointments.changes.publish(entry.person_id, None)

    async def check() -> None:
        if person is None:
            return
        # offline: the device's list stands, and says so by its states
        with contextlib.suppress(ServiceError):
            await services.appointments.refresh(person)

    listing.controls = cards()
    if person is not None:
        ctx.on_leave(services.appointments.changes.add(person, lambda _none: redraw()))
        ctx.on_leave(services.outbox.listeners.add(redraw))
        ctx.run_task(check)
    return ft.Column(
        [
            heading(_("Appointments")),
            ft.Text(
                _(
                    "Book an appointment at a Kundenzentrum. Your appointments are kept only "
                    "on this device and removed after their day."
                )
            ),
            ft.FilledButton(
                _("Book an appointment"),
                icon=ft.Icons.ADD,
                on_click=lambda _e: ctx.navigate("/appointments/book"),
            ),
            message,
            heading(_("My appointments"), level=2),
            listing,
            heading(_("Where you can book"), level=2),
            live_section(ctx, services.coordinators.offices, lambda state: places(ctx, state)),
        ],
        spacing=12,
    )


def places(ctx: ScreenContext, state: ResourceState[OfficesAndServices]) -> ft.Control:
    """The Kundenzentren that take appointments, with how many services, and the catalogue's
    age (the booking wizard uses the same catalogue)."""
    rows: list[ft.Control] = [freshness_notice(ctx, state)]
    data = state.data
    if data is not None:
        for office in data.offices:
            offered = sum(1 for relation in data.relations if relation.office_id == office.id)
            if not offered:
                continue
            rows.append(
                info_tile(
                    city_name(ctx.tr, office.name),
                    ", ".join(
                        part
                        for part in (
                            office.address.line() if office.address else "",
                            ctx.tr.ngettext("{n} service", "{n} services", offered).format(
                                n=offered
                            ),
                        )
                        if part
                    ),
                    icon=ft.Icons.PLACE,
                )
            )
    return ft.Column(rows, spacing=8)
