"""Building blocks every screen uses: headings, freshness notices, live sections."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import flet as ft

from services.coordinator import ResourceCoordinator, ResourceState
from services.errors import Offline, ServiceError
from services.freshness import Freshness
from views.context import ScreenContext, refresh_control
from views.theme import focus_ring

MIN_TOUCH = 48  # px, WCAG 2.5.5 / Material touch target
RADIO_TEXT = 16  # px at 100 % text


def heading(text: str, *, level: int = 1) -> ft.Control:
    """A heading that screen readers announce as one."""
    size = {1: 28, 2: 20}.get(level, 18)
    return ft.Semantics(
        header=True,
        heading_level=level,
        content=ft.Text(text, size=size, weight=ft.FontWeight.BOLD),
    )


def radio_group(
    label: str,
    choices: Sequence[tuple[str, str]],
    value: str | None,
    on_change: Callable[[str], None],
    *,
    scale: float,
    across: bool = False,
) -> ft.Semantics:
    """A group of radios, named as a whole for screen readers, each row a 48 px target.

    `choices` are (value, label) pairs; `on_change` gets the chosen value; `across` lays
    them out in a row that wraps; `scale` is the person's text size. The group itself is the
    returned control's `content`.
    """
    # A radio is 32 px tall in desktop browsers (compact density, shrink-wrapped target), and
    # a fixed height would cut a label that wraps at a large text size. So the label's lines
    # are 48 px apart: one line makes a 48 px row, each further line adds to it.
    line = ft.TextStyle(size=RADIO_TEXT, height=MIN_TOUCH / (RADIO_TEXT * scale))
    radios: list[ft.Control] = [
        ft.Radio(
            value=choice, label=text, label_style=line, visual_density=ft.VisualDensity.STANDARD
        )
        for choice, text in choices
    ]

    group = ft.RadioGroup(
        value=value,
        on_change=lambda e: on_change(e.control.value),
        content=ft.Row(radios, wrap=True, spacing=16) if across else ft.Column(radios, spacing=0),
    )
    return ft.Semantics(container=True, label=label, content=group)


def error_text(ctx: ScreenContext, error: ServiceError) -> str:
    """A friendly sentence per kind of error."""
    _ = ctx._
    messages = {
        "offline": _("Offline: the service cannot be reached."),
        "timeout": _("The service is not answering right now."),
        "server": _("The service has a problem right now."),
        "bad_data": _("The service sent data the app cannot read."),
        "not_found": _("This could not be found."),
        "rate_limited": _("Too many requests; the app will try again shortly."),
    }
    return messages.get(error.kind, _("Updating did not work."))


def freshness_notice(ctx: ScreenContext, state: ResourceState[Any]) -> ft.Control:
    """The top line of a screen: how old its values are by their own time, when it last
    checked, and what could not be read. It says "current" only when all of that is so."""
    now = ctx.now()
    icon = ft.Icons.CHECK_CIRCLE_OUTLINE if state.is_current(now) else ft.Icons.HISTORY
    lines: list[str] = []
    if state.last_error is not None:
        icon = ft.Icons.CLOUD_OFF if isinstance(state.last_error, Offline) else ft.Icons.WARNING
        lines.append(error_text(ctx, state.last_error))
    if state.fetched_at is not None:
        if state.freshness is not None:
            lines.extend(value_lines(ctx, state.freshness, now, checked=not state.is_stale(now)))
            if state.freshness.unreadable and state.last_error is None:
                icon = ft.Icons.WARNING
        lines.append(checked_line(ctx, state, now))
    elif state.refreshing:
        icon = ft.Icons.DOWNLOADING
        lines.append(ctx._("Loading …"))
    elif state.last_error is not None:
        lines.append(ctx._("No saved data yet. Please try again later."))
    # Spoken when what it says of the values changed, not when only their age ticked on.
    gist = (icon, state.last_error and state.last_error.kind, state.freshness, state.refreshing)
    changed = ctx.announced.get("freshness") != gist
    ctx.announced["freshness"] = gist
    return live_notice("freshness", icon, " ".join(lines), live=changed)


def live_notice(
    identifier: str,
    icon: ft.IconData,
    text: str | ft.Text,
    *after: ft.Control,
    live: bool = True,
) -> ft.Control:
    """A line with its icon that a screen reader says when it appears (`live`), read as one:
    the state of a screen, a problem, what to do (`after`: a button, say)."""
    said = text if isinstance(text, ft.Text) else ft.Text(text)
    said.expand = True
    return ft.Semantics(
        identifier=identifier,
        live_region=live,
        container=True,
        content=ft.Row([ft.Icon(icon), said, *after], spacing=8, wrap=bool(after)),
    )


def value_lines(
    ctx: ScreenContext, freshness: Freshness, now: datetime, *, checked: bool
) -> list[str]:
    """How current the values are by their own timestamps, and what the latest answer lacked.

    "Current" is said only if the source was also `checked` lately and nothing is amiss.
    """
    _, tr = ctx._, ctx.tr
    lines = []
    if freshness.timestamped and freshness.total:
        if freshness.stale == 0 and freshness.oldest is not None:
            stamp, age = tr.stamp(freshness.oldest, now), tr.age(now - freshness.oldest)
            if checked and freshness.all_current:
                lines.append(
                    _("Current: values as of {stamp} ({age}).").format(stamp=stamp, age=age)
                )
            else:
                lines.append(_("Values as of {stamp} ({age}).").format(stamp=stamp, age=age))
        elif freshness.newest is None:
            lines.append(_("Not current: the time of the values is unknown."))
        elif freshness.stale >= freshness.total:
            lines.append(
                _("Not current: no value is current; the newest is from {stamp} ({age}).").format(
                    stamp=tr.stamp(freshness.newest, now), age=tr.age(now - freshness.newest)
                )
            )
        else:
            lines.append(
                tr.ngettext(
                    "{n} of {total} values is not current; it is marked below.",
                    "{n} of {total} values are not current; they are marked below.",
                    freshness.stale,
                ).format(n=freshness.stale, total=freshness.total)
            )
    if freshness.unreadable:
        lines.append(
            tr.ngettext(
                "{n} entry of the latest answer could not be read.",
                "{n} entries of the latest answer could not be read.",
                freshness.unreadable,
            ).format(n=freshness.unreadable)
        )
    if freshness.kept:
        lines.append(
            tr.ngettext(
                "{n} value is the last known one, not from the latest answer.",
                "{n} values are the last known ones, not from the latest answer.",
                freshness.kept,
            ).format(n=freshness.kept)
        )
    return lines


def checked_line(ctx: ScreenContext, state: ResourceState[Any], now: datetime) -> str:
    """When the source was last asked with success, apart from how old its values are."""
    assert state.fetched_at is not None
    stamp, age = ctx.tr.stamp(state.fetched_at, now), ctx.tr.age(now - state.fetched_at)
    if state.is_stale(now):
        return ctx._("Saved data: last checked {stamp} ({age}).").format(stamp=stamp, age=age)
    return ctx._("Checked {stamp} ({age}).").format(stamp=stamp, age=age)


def icon_button(
    icon: ft.IconData, label: str, on_click: Any, *, on_brand: bool = False
) -> ft.IconButton:
    """An icon button that screen readers can name (the icon carries the label).

    `on_brand`: it sits on the red title bar at the window's edge, where the focus ring is
    white and inside it."""
    return ft.IconButton(
        icon=ft.Icon(icon, semantics_label=label),
        tooltip=label,
        on_click=on_click,
        width=MIN_TOUCH,
        height=MIN_TOUCH,
        style=ft.ButtonStyle(side=focus_ring(colour=ft.Colors.WHITE, inside=True))
        if on_brand
        else None,
    )


def refresh_button(ctx: ScreenContext, coordinator: ResourceCoordinator[Any]) -> ft.Control:
    """A labelled button that refreshes one resource now."""
    return icon_button(
        ft.Icons.REFRESH, ctx._("Refresh"), lambda _e: coordinator.request_refresh(force=True)
    )


def live_section(
    ctx: ScreenContext,
    coordinator: ResourceCoordinator[Any],
    render: Callable[[ResourceState[Any]], ft.Control],
) -> ft.Control:
    """A section that shows the cached state at once and redraws when the resource changes."""
    box = ft.Container(content=render(coordinator.state))

    def redraw() -> None:
        box.content = render(coordinator.state)
        refresh_control(box)

    ctx.on_leave(coordinator.subscribe(redraw))
    coordinator.request_refresh()  # the screen was opened: fetch in the background
    return box


def resource_screen(
    ctx: ScreenContext,
    title: str,
    intro: str,
    coordinator: ResourceCoordinator[Any],
    render_data: Callable[[Any], list[ft.Control]],
    empty_text: str,
) -> ft.Control:
    """The common frame of an area screen: heading, intro, freshness, the data as a list."""

    def render(state: ResourceState[Any]) -> ft.Control:
        rows: list[ft.Control] = [freshness_notice(ctx, state)]
        items = render_data(state.data) if state.data is not None else []
        if items:
            rows.extend(items)
        elif state.data is not None:
            rows.append(ft.Text(empty_text))
        return ft.Column(rows, spacing=8)

    return ft.Column(
        [
            ft.Row([heading(title), refresh_button(ctx, coordinator)], wrap=True),
            ft.Text(intro),
            live_section(ctx, coordinator, render),
        ],
        spacing=12,
    )


def info_tile(
    title: str,
    subtitle: str | None = None,
    *,
    icon: ft.IconData | None = None,
    on_click: Any = None,
) -> ft.Control:
    """A list row with a large touch target."""
    return ft.ListTile(
        leading=ft.Icon(icon) if icon else None,
        title=ft.Text(title),
        subtitle=ft.Text(subtitle) if subtitle else None,
        on_click=on_click,
        min_height=MIN_TOUCH + 8,
    )
