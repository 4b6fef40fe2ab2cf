"""`/participate/join/<code>/wall`: the projector at a workshop. How to join (the event's QR
code, its address and its code, large) beside the live results of its surveys. A shared
screen: it keeps nothing of anybody and needs no touch."""

from __future__ import annotations

import asyncio
from typing import Any

import flet as ft

from services.errors import NotFound, ServiceError
from services.participation.join_link import join_link
from services.participation.models import Event
from services.waiting_times.qr import qr_png
from views.context import ScreenContext, refresh_control
from views.participation.results import big_text, build_results
from views.participation.workshop import event_loader, no_event_yet

QR_SIZE = 320  # px: read by phones from the middle of a room
RETRY_SECONDS = 10.0  # a workshop that could not be loaded is asked for again this often


def join_panel(ctx: ScreenContext, event: Event) -> ft.Control:
    """The event's QR code, the address to type and the code, for people in the room."""
    _ = ctx._
    link = join_link(ctx.services.link_base, event.join_code)
    return ft.Column(
        [
            ft.Semantics(
                header=True,
                heading_level=1,
                content=ft.Text(event.title, size=40, weight=ft.FontWeight.BOLD),
            ),
            big_text(_("Take part: scan the code with your phone's camera."), size=26),
            ft.Image(
                src=qr_png(link, box_size=12),
                width=QR_SIZE,
                height=QR_SIZE,
                semantics_label=_("QR code to take part in {title}").format(title=event.title),
            ),
            big_text(
                _("Or open {address} and enter the code:").format(
                    address=f"{ctx.services.link_base}/participate/join"
                )
            ),
            ft.Semantics(
                identifier="wall-join-code",
                content=ft.Text(event.join_code, size=64, weight=ft.FontWeight.BOLD),
            ),
            big_text(_("Taking part is anonymous: no name, no account.")),
        ],
        spacing=12,
    )


def build_wall(ctx: ScreenContext, code: str) -> ft.Control:
    """How to join, and the results of every survey of the workshop as they come in."""
    _ = ctx._
    box = ft.Column(spacing=16)

    def rows(held: dict[str, Any]) -> list[ft.Control]:
        event: Event | None = held["event"]
        error: ServiceError | None = held["error"]
        if event is None:
            return no_event_yet(ctx, error, retry, text=big_text)
        results: list[ft.Control] = [
            build_results(ctx, s.id, level=2, take_part=False) for s in event.surveys
        ]
        if not results:
            results = [big_text(_("This workshop has no surveys yet."))]
        return [
            ft.ResponsiveRow(
                [
                    ft.Container(join_panel(ctx, event), col={"xs": 12, "lg": 5}),
                    ft.Container(ft.Column(results, spacing=32), col={"xs": 12, "lg": 7}),
                ],
                spacing=32,
            ),
            # somebody who opened the wall on their own device finds the way back (and the
            # long wall is reachable by keyboard)
            ft.OutlinedButton(
                _("Back to the workshop"),
                icon=ft.Icons.ARROW_BACK,
                on_click=lambda _e: ctx.navigate(f"/participate/join/{code}"),
            ),
        ]

    def render(held: dict[str, Any]) -> None:
        box.controls = rows(held)
        refresh_control(box)
        error = held["error"]
        if held["event"] is None and error is not None and not isinstance(error, NotFound):
            ctx.run_task(retry_later)  # nobody taps a projector: it tries again by itself

    async def retry_later() -> None:
        await asyncio.sleep(RETRY_SECONDS)
        retry()

    held, retry = event_loader(ctx, code, render)
    box.controls = rows(held)
    return box
