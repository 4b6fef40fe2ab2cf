"""Appointments in the Kundenzentren (ZMS)."""

from __future__ import annotations

import flet as ft

from services.appointments.zms import OfficesAndServices
from views.context import ScreenContext
from views.widgets import info_tile, resource_screen


def build(ctx: ScreenContext) -> ft.Control:
    """The offices where appointments can be booked, with what each offers."""
    _ = ctx._

    def rows(data: OfficesAndServices) -> list[ft.Control]:
        offered: dict[int, int] = {}
        for relation in data.relations:
            offered[relation.office_id] = offered.get(relation.office_id, 0) + 1
        return [
            info_tile(
                office.name,
                ctx.tr.ngettext("{n} service", "{n} services", offered.get(office.id, 0)).format(
                    n=offered.get(office.id, 0)
                ),
                icon=ft.Icons.EVENT_AVAILABLE,
            )
            for office in data.offices
        ]

    return resource_screen(
        ctx,
        _("Appointments"),
        _("Where you can book an appointment. Booking in the app follows soon."),
        ctx.services.coordinators.offices,
        rows,
        _("No office offers appointments right now."),
    )
