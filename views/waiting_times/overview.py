"""`/waiting`: every Kundenzentrum with its current wait, sortable, stale values marked."""

from __future__ import annotations

from typing import Any

import flet as ft

from services.coordinator import ResourceState
from services.waiting_times.feed import WaitingTime
from services.waiting_times.queue import Location
from views.context import ScreenContext, refresh_control
from views.waiting_times.common import describe, walk_in_today
from views.widgets import MIN_TOUCH, freshness_notice, heading, refresh_button

SORTS = ("wait", "name")


def sort_entries(entries: list[WaitingTime], by: str) -> list[WaitingTime]:
    """Shortest current wait first (closed and stale ones last), or by name."""
    if by == "name":
        return sorted(entries, key=lambda e: e.office)

    def key(entry: WaitingTime) -> tuple[int, int, str]:
        unknown = entry.is_open is not True or entry.wait_minutes is None
        return (int(unknown), entry.wait_minutes or 0, entry.office)

    return sorted(entries, key=key)


def office_row(ctx: ScreenContext, entry: WaitingTime, location: Location | None) -> ft.Control:
    """One Kundenzentrum: name, state in words, walk-in hours; opens the detail."""
    lines = [describe(ctx, entry)]
    if walk_in := walk_in_today(ctx, location):
        lines.append(walk_in)
    stale = not entry.is_current(ctx.now())
    icon = (
        ft.Icons.HISTORY
        if stale
        else (ft.Icons.STORE if entry.is_open else ft.Icons.DO_NOT_DISTURB_ON)
    )
    return ft.ListTile(
        leading=ft.Icon(icon),
        title=ft.Text(entry.office, weight=ft.FontWeight.BOLD),
        subtitle=ft.Text("\n".join(lines)),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT) if location else None,
        on_click=(lambda _e: ctx.navigate(f"/waiting/office/{location.id}")) if location else None,
        min_height=MIN_TOUCH + 8,
    )


def build(ctx: ScreenContext) -> ft.Control:
    """All Kundenzentren with their current waiting time."""
    _ = ctx._
    waiting = ctx.services.coordinators.waiting_times
    locations = ctx.services.coordinators.locations
    chosen = {"sort": "wait"}
    box = ft.Container()

    def render() -> None:
        state: ResourceState[Any] = waiting.state
        by_name = {loc.name: loc for loc in locations.state.data or []}
        rows: list[ft.Control] = [freshness_notice(ctx, state)]
        entries = sort_entries(state.data or [], chosen["sort"])
        rows.extend(office_row(ctx, e, by_name.get(e.office)) for e in entries)
        if state.data == []:
            rows.append(ft.Text(_("The city reports no Kundenzentrum right now.")))
        box.content = ft.Column(rows, spacing=4)

    def redraw() -> None:
        render()
        refresh_control(box)

    def sort_by(e: ft.Event[ft.RadioGroup]) -> None:
        chosen["sort"] = e.control.value or "wait"
        redraw()

    render()
    ctx.on_leave(waiting.subscribe(redraw))
    ctx.on_leave(locations.subscribe(redraw))
    waiting.request_refresh()
    locations.request_refresh()
    sorter = ft.RadioGroup(
        value="wait",
        on_change=sort_by,
        content=ft.Row(
            [
                ft.Text(_("Sort by:")),
                ft.Radio(value="wait", label=_("Shortest wait")),
                ft.Radio(value="name", label=_("Name")),
            ],
            wrap=True,
        ),
    )
    my_tickets = ctx.services.tickets.all(ctx.person)
    return ft.Column(
        [
            ft.Row([heading(_("Waiting times")), refresh_button(ctx, waiting)], wrap=True),
            ft.Text(_("Current waiting times in the Kundenzentren of the City of Cologne.")),
            ft.Row(
                [
                    ft.Button(
                        _("Follow my ticket"),
                        icon=ft.Icons.QR_CODE_SCANNER,
                        on_click=lambda _e: ctx.navigate("/waiting/tickets"),
                        height=MIN_TOUCH,
                    ),
                    ft.Text(
                        ctx.tr.ngettext(
                            "You follow {n} ticket.", "You follow {n} tickets.", len(my_tickets)
                        ).format(n=len(my_tickets))
                    )
                    if my_tickets
                    else ft.Container(),
                ],
                wrap=True,
            ),
            sorter,
            box,
        ],
        spacing=12,
    )
