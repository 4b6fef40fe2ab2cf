"""`/waiting`: every Kundenzentrum with its current wait, sortable, stale values marked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import flet as ft

from services.city_names import city_name
from services.coordinator import ResourceState
from services.waiting_times.feed import WaitingTime, WaitingTimes
from services.waiting_times.queue import Location
from services.waiting_times.sorting import Position, sort_by_distance, sort_by_wait_or_name
from views.context import ScreenContext, refresh_control
from views.waiting_times.common import describe, state_icon, walk_in_today
from views.widgets import (
    MIN_TOUCH,
    freshness_notice,
    heading,
    radio_group,
    refresh_button,
)

log = logging.getLogger(__name__)


def office_row(
    ctx: ScreenContext, entry: WaitingTime, location: Location | None, km: float | None = None
) -> ft.Control:
    """One Kundenzentrum: name, state in words, walk-in hours, distance; opens the detail."""
    lines = [describe(ctx, entry)]
    if km is not None:
        lines.append(ctx._("{distance} km away").format(distance=ctx.tr.number(round(km, 1))))
    if walk_in := walk_in_today(ctx, location):
        lines.append(walk_in)
    tile = ft.ListTile(
        leading=ft.Icon(state_icon(ctx, entry)),
        title=ft.Text(city_name(ctx.tr, entry.office), weight=ft.FontWeight.BOLD),
        subtitle=ft.Text("\n".join(lines)),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT) if location else None,
        on_click=(lambda _e: ctx.navigate(f"/waiting/office/{location.id}")) if location else None,
        min_height=MIN_TOUCH + 8,
    )
    # one node per office, read as one: its name and its state together
    return ft.Semantics(container=True, identifier=f"office-{entry.key}", content=tile)


def order_notice(ctx: ScreenContext, resort: Callable[[], None], *, changed: bool) -> ft.Control:
    """The line above the list: whether new values would order it otherwise, and a button
    to sort again. Said once when the order changes; it never appears or vanishes itself."""
    _ = ctx._
    speak = changed and not ctx.announced.get("resort")
    ctx.announced["resort"] = changed
    text = (
        _("The order has changed with the new values.")
        if changed
        else _("In order of the latest values.")
    )
    return ft.Semantics(
        identifier="resort",
        live_region=speak,
        container=True,
        content=ft.Row(
            [
                ft.Icon(ft.Icons.SWAP_VERT),
                ft.Text(text, expand=True),
                ft.TextButton(_("Sort again"), on_click=lambda _e: resort(), disabled=not changed),
            ],
        ),
    )


def unread_entries(ctx: ScreenContext, data: WaitingTimes) -> list[ft.Control]:
    """Names what the latest answer had that could not be read, with no office attached."""
    nameless = sum(1 for p in data.problems if not p.name)
    if not nameless:
        return []
    text = ctx.tr.ngettext(
        "{n} entry of the latest answer has no readable name; it is not shown.",
        "{n} entries of the latest answer have no readable name; they are not shown.",
        nameless,
    ).format(n=nameless)
    return [ft.ListTile(leading=ft.Icon(ft.Icons.WARNING), title=ft.Text(text))]


def build(ctx: ScreenContext) -> ft.Control:
    """All Kundenzentren with their current waiting time."""
    _ = ctx._
    waiting = ctx.services.coordinators.waiting_times
    locations = ctx.services.coordinators.locations
    # the position lives on screen only; `order` is the offices' order as shown, kept while
    # new values come in so that the list does not jump under a finger
    chosen: dict[str, Any] = {"sort": "wait", "here": None, "order": None}
    box = ft.Container()
    location_problem = ft.Text("", visible=False)

    def resort() -> None:
        chosen["order"] = None
        redraw()

    def render() -> None:
        state: ResourceState[WaitingTimes] = waiting.state
        offices = state.data.offices if state.data else []
        known = locations.state.data
        by_key = {loc.id: loc for loc in known.entries} if known else {}
        here = chosen["here"]
        if chosen["sort"] == "near" and here is not None:
            geo_of = {key: loc.geo for key, loc in by_key.items() if loc.geo is not None}
            ranked = list(sort_by_distance(offices, geo_of, here))
        else:
            by_wait_or_name = sort_by_wait_or_name(
                offices, chosen["sort"], ctx.now(), lambda name: city_name(ctx.tr, name)
            )
            ranked = [(e, None) for e in by_wait_or_name]
        ranked_keys = [e.key for e, _km in ranked]
        kept = [k for k in chosen["order"] or [] if k in ranked_keys]
        shown = kept + [k for k in ranked_keys if k not in kept]  # new offices at the end
        chosen["order"] = shown
        by_entry = {e.key: (e, km) for e, km in ranked}
        rows: list[ft.Control] = [freshness_notice(ctx, state)]
        if shown:  # always there, so that it appearing does not move the list
            rows.append(order_notice(ctx, resort, changed=shown != ranked_keys))
        for key in shown:
            entry, km = by_entry[key]
            rows.append(office_row(ctx, entry, by_key.get(key), km))
        if state.data is not None:
            rows.extend(unread_entries(ctx, state.data))
        if state.data is not None and not offices:
            rows.append(ft.Text(_("The city reports no Kundenzentrum right now.")))
        box.content = ft.Column(rows, spacing=4)

    def redraw() -> None:
        render()
        refresh_control(box)

    async def locate() -> None:
        here = await current_position()
        if here is None:
            location_problem.value = _(
                "Your location is not available, so the list stays sorted by waiting time. "
                "Allow location in the browser or phone settings to sort by distance."
            )
            location_problem.visible = True
            chosen["sort"] = sorter.value = "wait"
            refresh_control(location_problem)
            refresh_control(sorter)
        else:
            location_problem.visible = False
            chosen["here"] = here
            refresh_control(location_problem)
        redraw()

    def sort_by(value: str) -> None:
        chosen["sort"] = value or "wait"
        chosen["order"] = None
        if chosen["sort"] == "near" and chosen["here"] is None:
            ctx.run_task(locate)  # asks the person's permission; nothing is stored
            return
        redraw()

    render()
    ctx.on_leave(waiting.subscribe(redraw))
    ctx.on_leave(locations.subscribe(redraw))
    waiting.request_refresh()
    locations.request_refresh()
    sorting = radio_group(
        _("Sort by:"),
        [("wait", _("Shortest wait")), ("name", _("Name")), ("near", _("Nearest"))],
        "wait",
        sort_by,
        scale=ctx.text_scale,
        across=True,
    )
    sorter = sorting.content
    assert isinstance(sorter, ft.RadioGroup)
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
            # the group is named "Sort by:" for screen readers, so the visible label is not read
            ft.Semantics(exclude_semantics=True, content=ft.Text(_("Sort by:"))),
            sorting,
            location_problem,
            box,
        ],
        spacing=12,
    )


async def current_position() -> Position | None:
    """Where the person is, if they allow it (asked each time; never stored)."""
    import flet_geolocator as fgl  # loaded when somebody asks for it, not at start-up

    locator = fgl.Geolocator()
    try:
        permission = await locator.request_permission()
        if permission not in (
            fgl.GeolocatorPermissionStatus.WHILE_IN_USE,
            fgl.GeolocatorPermissionStatus.ALWAYS,
        ):
            return None
        found = await locator.get_current_position()
    except Exception as exc:  # no location service in this browser or on this device
        log.info("no position: %s", exc)
        return None
    if found is None or found.latitude is None or found.longitude is None:
        return None
    return Position(float(found.latitude), float(found.longitude))
