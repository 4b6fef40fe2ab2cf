"""Workshops: `/participate/join` (type the code), `/participate/join/<code>` (where the event's
QR code points: its title and surveys) and `/participate/tablet/<code>`, a tablet passed from
hand to hand that starts afresh after each person and after a minute without touch."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import flet as ft

from services.errors import NotFound, ServiceError
from services.i18n import N_
from services.participation.join_link import read_join_link
from services.participation.models import Event, Survey
from services.participation.service import message_for, normalise_code
from services.waiting_times.ticket_link import OTHER_SITE, Refused
from views.context import ScreenContext, refresh_control
from views.idle import IdleReset
from views.participation.common import survey_state, survey_tile
from views.participation.form import FORM, SENT, SurveyPanel
from views.participation.survey import survey_intro
from views.qr_scan import qr_buttons
from views.widgets import error_text, heading

THANKS_SECONDS = 8.0  # the thank-you stays this long after the last touch, then starts afresh
NO_EVENT = N_("No workshop has this code. Please check it.")


def join_problem(ctx: ScreenContext, error: ServiceError) -> str:
    """Why joining did not work, in words."""
    if isinstance(error, NotFound):
        return ctx._(NO_EVENT)
    return error_text(ctx, error) if error.code is None else ctx._(message_for(error))


def join_form(ctx: ScreenContext, *, autofocus: bool = False) -> ft.Control:
    """A field for the workshop's code and a "Join" button; a wrong code is said in words."""
    _ = ctx._
    field = ft.TextField(
        label=_("Workshop code"),
        hint_text=_("for example KDW7PX"),
        capitalization=ft.TextCapitalization.CHARACTERS,
        max_length=20,
        autofocus=autofocus,
    )
    said = ft.Text()

    async def join(_e: Any = None) -> None:
        code = normalise_code(field.value or "")
        if not code:
            field.error = _("Please enter the code of the workshop.")
            refresh_control(field)
            return
        said.value = _("Looking for the workshop …")
        refresh_control(said)
        try:
            event = await ctx.services.participation.join(code)
        except ServiceError as error:
            field.error = join_problem(ctx, error)
            said.value = field.error
            refresh_control(field)
            refresh_control(said)
            return
        field.error, said.value = None, ""
        ctx.navigate(f"/participate/join/{event.join_code}")

    def tell(text: str) -> None:
        said.value = text
        refresh_control(said)

    def use_payload(payload: str) -> None:
        found = read_join_link(payload, ctx.services.app_origins)
        if isinstance(found, Refused):
            tell(
                _("This code leads to another website, not to the Köln App. Nothing was opened.")
                if found.reason == OTHER_SITE
                else _("This is not the QR code of a workshop. Nothing was opened.")
            )
            return
        field.value = found
        refresh_control(field)
        ctx.run_task(join)

    field.on_submit = lambda _e: ctx.run_task(join)
    return ft.Column(
        [
            field,
            ft.Button(_("Join"), icon=ft.Icons.LOGIN, on_click=lambda _e: ctx.run_task(join)),
            qr_buttons(
                ctx,
                use_payload,
                tell,
                photo_label=_("Photo of the workshop's QR code"),
                camera_title=_("Hold the workshop's QR code in front of the camera"),
            ),
            ft.Semantics(identifier="join-status", live_region=True, content=said),
        ],
        spacing=8,
        horizontal_alignment=ft.CrossAxisAlignment.START,
    )


def build_join(ctx: ScreenContext) -> ft.Control:
    """Type the code the workshop shows (or scan its QR code with the phone's camera)."""
    _ = ctx._
    return ft.Column(
        [
            heading(_("Join a workshop")),
            ft.Text(
                _(
                    "Enter the code the workshop shows, or scan its QR code. Taking part "
                    "stays anonymous."
                )
            ),
            join_form(ctx, autofocus=True),
        ],
        spacing=12,
    )


def event_loader(ctx: ScreenContext, code: str, render: Any) -> tuple[dict[str, Any], Any]:
    """Load the workshop in the background; `render(held)` gives the controls to show."""
    held: dict[str, Any] = {"event": None, "error": None}

    async def load() -> None:
        try:
            held["event"], held["error"] = await ctx.services.participation.join(code), None
        except ServiceError as error:
            held["error"] = error
        render(held)

    def retry(_e: Any = None) -> None:
        held["error"] = None
        render(held)
        ctx.run_task(load)

    ctx.run_task(load)
    return held, retry


def no_event_yet(
    ctx: ScreenContext,
    error: ServiceError | None,
    retry: Callable[..., None],
    *,
    text: Callable[[str], ft.Control] = ft.Text,
) -> list[ft.Control]:
    """While a workshop loads, or why it did not (and a way to try again, unless it does not
    exist)."""
    _ = ctx._
    if error is None:
        return [heading(_("Workshop")), text(_("Loading …"))]
    shown: list[ft.Control] = [heading(_("Workshop")), text(join_problem(ctx, error))]
    if not isinstance(error, NotFound):
        shown.append(ft.Button(_("Try again"), icon=ft.Icons.REFRESH, on_click=retry))
    return shown


def build_event(ctx: ScreenContext, code: str) -> ft.Control:
    """The workshop's title, when it starts, and its surveys."""
    _ = ctx._
    box = ft.Column(spacing=12)

    def rows(held: dict[str, Any]) -> list[ft.Control]:
        event: Event | None = held["event"]
        error: ServiceError | None = held["error"]
        if event is None:
            missing = no_event_yet(ctx, error, retry)
            return [*missing, join_form(ctx)] if isinstance(error, NotFound) else missing
        shown: list[ft.Control] = [heading(event.title)]
        if event.starts_at is not None:
            shown.append(ft.Text(_("When: {when}").format(when=ctx.tr.date_time(event.starts_at))))
        shown.append(
            ft.Text(
                _("Welcome! These are the surveys of this workshop. Your answers are anonymous.")
            )
        )
        shown.append(heading(_("Surveys"), level=2))
        shown.extend(survey_tile(ctx, s) for s in event.surveys)
        if not event.surveys:
            shown.append(ft.Text(_("This workshop has no surveys yet.")))
        shown.append(
            ft.TextButton(
                _("For the projector: the QR code and the live results"),
                icon=ft.Icons.CO_PRESENT_OUTLINED,
                on_click=lambda _e: ctx.navigate(f"/participate/join/{event.join_code}/wall"),
            )
        )
        return shown

    def render(held: dict[str, Any]) -> None:
        box.controls = rows(held)
        refresh_control(box)

    held, retry = event_loader(ctx, code, render)
    box.controls = rows(held)
    return box


def build_tablet(ctx: ScreenContext, code: str) -> ft.Control:
    """The workshop's survey on a shared tablet: nothing kept per person, a fresh form after
    each answer and after a minute without touch."""
    _ = ctx._
    box = ft.Column(spacing=20)
    state: dict[str, Any] = {"surveys": {}, "chosen": None, "panel": None, "problem": None}

    def fresh_panel() -> SurveyPanel | None:
        survey: Survey | None = state["surveys"].get(state["chosen"])
        if survey is None:
            return None
        return SurveyPanel(
            ctx, survey, {}, shared_device=True, touch=touch, sent=lambda key: sent(key)
        )

    def touch() -> None:
        idle.touch()

    def reset() -> None:
        """The next person: an empty form (or the choice of surveys)."""
        if len(state["surveys"]) != 1:
            state["chosen"] = None
        state["panel"] = fresh_panel()
        redraw()

    def choose(survey_id: str) -> None:
        touch()
        state["chosen"] = survey_id
        state["panel"] = fresh_panel()
        redraw()

    def sent(key: str) -> None:
        redraw()

        async def thank_then_reset() -> None:
            # a touch or a scroll keeps the thank-you for longer (WCAG 2.2.1)
            while (left := idle.touched + THANKS_SECONDS - time.monotonic()) > 0:
                await asyncio.sleep(left)
            panel = state["panel"]
            if panel is not None and panel.key == key:
                reset()

        ctx.run_task(thank_then_reset)

    def rows(held: dict[str, Any]) -> list[ft.Control]:
        event: Event | None = held["event"]
        if event is None:
            if held["error"] is None:
                return [heading(_("Workshop survey")), ft.Text(_("Loading …"), size=24)]
            return [
                heading(_("Workshop survey")),
                ft.Text(join_problem(ctx, held["error"]), size=24),
                ft.Button(_("Try again"), icon=ft.Icons.REFRESH, on_click=retry),
            ]
        shown: list[ft.Control] = [ft.Text(event.title, size=22)]
        panel: SurveyPanel | None = state["panel"]
        if state["problem"]:
            shown.append(ft.Text(state["problem"], size=22))
        if panel is None and not state["surveys"]:
            shown.insert(0, heading(_("Workshop survey")))
            if not state["problem"]:
                shown.append(ft.Text(_("Loading …"), size=24))
            else:
                shown.append(
                    ft.Button(
                        _("Try again"),
                        icon=ft.Icons.REFRESH,
                        on_click=lambda _e: ctx.run_task(load_surveys, event),
                    )
                )
            return shown
        if panel is None:
            shown.append(heading(_("Please choose a survey")))
            shown.extend(
                ft.Button(
                    s.title,
                    icon=ft.Icons.HOW_TO_VOTE_OUTLINED,
                    on_click=lambda _e, sid=s.id: choose(sid),
                    style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=24, vertical=24)),
                )
                for s in state["surveys"].values()
            )
            return shown
        shown.extend(survey_intro(ctx, panel.survey, big=True))
        if survey_state(ctx, panel.survey) != "open" and panel.step != SENT:
            shown.append(ft.Text(_("This survey is not open right now."), size=22))
        else:
            shown.append(panel.box)
        if panel.step == SENT:
            shown.append(
                ft.Button(
                    _("Next person"),
                    icon=ft.Icons.RESTART_ALT,
                    on_click=lambda _e: reset(),
                    style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=32, vertical=24)),
                )
            )
        elif len(state["surveys"]) > 1:
            shown.append(
                ft.OutlinedButton(
                    _("Other survey"), icon=ft.Icons.ARROW_BACK, on_click=lambda _e: reset()
                )
            )
        return shown

    def redraw() -> None:
        box.controls = rows(held)
        refresh_control(box)

    def loaded(_held: dict[str, Any]) -> None:
        event: Event | None = held["event"]
        if event is not None and not state["surveys"]:
            ctx.run_task(load_surveys, event)
        redraw()

    async def load_surveys(event: Event) -> None:
        found: dict[str, Survey] = {}
        for summary in event.surveys:
            try:
                found[summary.id] = await ctx.services.participation.survey(summary.id)
            except ServiceError:
                continue
        state["surveys"] = found
        state["problem"] = None if found else _("The surveys cannot be loaded right now.")
        if len(found) == 1:
            state["chosen"] = next(iter(found))
        state["panel"] = fresh_panel()
        redraw()

    def changed() -> None:
        panel: SurveyPanel | None = state["panel"]
        if panel is not None and panel.step == SENT:
            panel.draw()  # saved → counted

    def dirty() -> bool:
        panel: SurveyPanel | None = state["panel"]
        chose = state["chosen"] is not None and len(state["surveys"]) > 1
        return chose or (panel is not None and (panel.step != FORM or bool(panel.answers)))

    idle = IdleReset(ctx, dirty=dirty, reset=reset)
    held, retry = event_loader(ctx, code, loaded)
    box.controls = rows(held)
    ctx.on_leave(ctx.services.participation.listeners.add(changed))
    idle.start()
    return box
