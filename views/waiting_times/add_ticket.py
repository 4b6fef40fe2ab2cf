"""Adding a ticket: a photo or screenshot of its QR code, the camera, or typing the number."""

from __future__ import annotations

from typing import Any

import flet as ft

from services.city_names import city_name
from services.coordinator import ResourceState
from services.participation.join_link import read_join_link
from services.waiting_times.queue import TICKET_NUMBER
from services.waiting_times.ticket_link import (
    NOT_A_TICKET,
    OTHER_SITE,
    TOO_LONG,
    UNSAFE_SCHEME,
    Refused,
    read_ticket_link,
)
from views.context import ScreenContext, refresh_control
from views.qr_scan import qr_buttons
from views.waiting_times.common import known_locations, problem_slot
from views.widgets import error_text, heading, live_section, radio_group


def refused_text(ctx: ScreenContext, reason: str) -> str:
    """Why a scanned code is not followed."""
    _ = ctx._
    texts = {
        TOO_LONG: _("This code is far too long to be a ticket. Nothing was opened."),
        UNSAFE_SCHEME: _("This code is not a web link of the Köln App. Nothing was opened."),
        OTHER_SITE: _(
            "This code leads to another website, not to the Köln App. Nothing was opened."
        ),
        NOT_A_TICKET: _("This link of the Köln App is not a ticket. Nothing was opened."),
    }
    return texts.get(reason, _("This is not the QR code of a ticket. Nothing was opened."))


def add_ticket_section(ctx: ScreenContext) -> ft.Control:
    """The three ways to follow a ticket, with one place for what went wrong."""
    _ = ctx._
    feedback, say = problem_slot("scan-problem")

    def use_payload(payload: str) -> None:
        found = read_ticket_link(payload, ctx.services.app_origins)
        if not isinstance(found, Refused):
            ctx.navigate(found.route)
            return
        workshop = read_join_link(payload, ctx.services.app_origins)
        if found.reason == NOT_A_TICKET and isinstance(workshop, str):
            ctx.navigate(f"/participate/join/{workshop}")  # a workshop's code: it opens there
            return
        say(refused_text(ctx, found.reason))

    return ft.Column(
        [
            heading(_("Follow a ticket"), level=2),
            ft.Text(_("Scan the QR code on your paper ticket with your phone's camera, or:")),
            qr_buttons(
                ctx,
                use_payload,
                say,
                photo_label=_("Photo or screenshot of the ticket"),
                camera_title=_("Hold the QR code of your ticket in front of the camera"),
            ),
            feedback,
            number_form(ctx),
        ],
        spacing=10,
    )


def number_form(ctx: ScreenContext) -> ft.Control:
    """Kundenzentrum and the number printed on the ticket, for those without a camera."""
    _ = ctx._
    chosen: dict[str, str | None] = {"office": None}
    drawn: dict[str, Any] = {"choices": None, "group": None}

    def offices(state: ResourceState[Any]) -> ft.Control:
        # drawn when the list arrives (a first visit may open this before it is loaded), and
        # kept while it stays the same, so a refresh does not take the focus from a radio
        locations = known_locations(ctx)
        if not locations:
            if state.last_error:
                return ft.Text(error_text(ctx, state.last_error))
            if state.data is not None:
                return ft.Text(_("The city reports no Kundenzentrum right now."))
            return ft.Text(_("The list of Kundenzentren is being loaded …"))
        # under the heading "Kundenzentrum" its district is enough, and it fits at 200 %
        choices = [
            (loc.id, city_name(ctx.tr, loc.name).removeprefix("Kundenzentrum "))
            for loc in locations
        ]
        if choices != drawn["choices"]:
            # radios, not a drop-down: named, each with its selected state, reachable by keys
            drawn["choices"], drawn["group"] = (
                choices,
                radio_group(
                    _("Kundenzentrum"),
                    choices,
                    chosen["office"],
                    lambda value: chosen.update(office=value),
                    scale=ctx.text_scale,
                ),
            )
        group: ft.Control = drawn["group"]
        return group

    # a short label and the example below it: at 200 % text a longer label spilled over the
    # field's border; no fixed width, so the field takes the screen's
    number = ft.TextField(
        label=_("Number on the ticket"), helper=_("For example A017"), max_length=8
    )
    error = ft.Text("", color=ft.Colors.RED_900)

    def go(_e: ft.Event[ft.Button]) -> None:
        typed = (number.value or "").strip().upper()
        if not chosen["office"]:
            error.value = _("Please choose the Kundenzentrum.")
        elif not TICKET_NUMBER.fullmatch(typed):
            error.value = _("Please type the number as printed, a letter and digits, e.g. A017.")
        else:
            ctx.navigate(f"/waiting/number/{chosen['office']}/{typed}")
            return
        refresh_control(error)

    return ft.Column(
        [
            ft.Text(_("No camera? Type the Kundenzentrum and your number:")),
            ft.Semantics(
                exclude_semantics=True,
                content=ft.Text(_("Kundenzentrum"), weight=ft.FontWeight.W_600),
            ),
            live_section(ctx, ctx.services.coordinators.locations, offices),
            number,
            error,
            ft.Button(_("Watch this number"), icon=ft.Icons.VISIBILITY, on_click=go),
        ],
        spacing=8,
    )
