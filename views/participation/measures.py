"""`/participate`: the masterplan's measures by pillar with their surveys, the person's unsent
answers, and the way into a workshop. Shown at once from what is saved."""

from __future__ import annotations

from typing import Any

import flet as ft

from services.checked import Checked
from services.coordinator import ResourceState
from services.errors import ServiceError
from services.participation.client import SurveySummary
from services.participation.models import Measure, Pillar
from views.context import ScreenContext, refresh_control
from views.participation.common import (
    MEASURE_ICONS,
    MEASURE_STATUS,
    PILLAR_ICONS,
    PILLARS,
    survey_state,
    survey_tile,
)
from views.participation.workshop import join_form
from views.widgets import (
    freshness_notice,
    heading,
    live_section,
    refresh_button,
)

ORDER = {"open": 0, "upcoming": 1, "closed": 2}


def measure_rows(
    ctx: ScreenContext, measure: Measure, surveys: dict[str, SurveySummary]
) -> list[ft.Control]:
    """A measure: its title, its status in words, what it is, and its surveys."""
    _ = ctx._
    status = _(MEASURE_STATUS.get(measure.status, measure.status))
    rows: list[ft.Control] = [
        ft.Semantics(
            container=True,
            content=ft.Column(
                [
                    heading(measure.title, level=3),
                    ft.Row(
                        [
                            ft.Icon(MEASURE_ICONS.get(measure.status, ft.Icons.INFO_OUTLINE)),
                            ft.Text(_("Status: {status}").format(status=status)),
                        ]
                    ),
                    *([ft.Text(measure.description)] if measure.description else []),
                ],
                spacing=4,
            ),
        )
    ]
    own = [surveys[s] for s in measure.surveys if s in surveys]
    own.sort(key=lambda s: ORDER.get(survey_state(ctx, s), 3))
    rows.extend(survey_tile(ctx, s) for s in own)
    return rows


def pillar_sections(
    ctx: ScreenContext, pillars: list[Pillar] | None, listed: Checked[SurveySummary] | None
) -> list[ft.Control]:
    """The three pillars with their measures; without saved measures, the surveys by pillar."""
    _ = ctx._
    surveys = {s.id: s for s in listed.entries} if listed else {}
    rows: list[ft.Control] = []
    if pillars:
        placed = {sid for p in pillars for m in p.measures for sid in m.surveys}
        for pillar in pillars:
            rows.append(pillar_heading(ctx, pillar.id, pillar.title))
            for measure in pillar.measures:
                rows.extend(measure_rows(ctx, measure, surveys))
            others = [s for s in surveys.values() if s.pillar == pillar.id and s.id not in placed]
            rows.extend(survey_tile(ctx, s) for s in others)
        return rows
    for key in PILLARS:
        own = sorted(
            (s for s in surveys.values() if s.pillar == key),
            key=lambda s: ORDER.get(survey_state(ctx, s), 3),
        )
        if own:
            rows.append(pillar_heading(ctx, key, None))
            rows.extend(survey_tile(ctx, s) for s in own)
    return rows


def open_now(ctx: ScreenContext, listed: Checked[SurveySummary]) -> list[ft.Control]:
    """The surveys open now, first and together, before the masterplan's measures."""
    current = [s for s in listed.entries if survey_state(ctx, s) == "open"]
    rows: list[ft.Control] = [heading(ctx._("Open surveys"), level=2)]
    if not current:
        return [*rows, ft.Text(ctx._("No survey is open right now."))]
    return [*rows, *(survey_tile(ctx, s) for s in current)]


def pillar_heading(ctx: ScreenContext, key: str, title: str | None) -> ft.Control:
    """A pillar's heading with its icon (German names, as the masterplan has them)."""
    name = ctx._(PILLARS[key]) if key in PILLARS else (title or key)
    return ft.Row(
        [ft.Icon(PILLAR_ICONS.get(key, ft.Icons.FOLDER_OUTLINED)), heading(name, level=2)],
        spacing=8,
    )


def pending_line(ctx: ScreenContext) -> ft.Control:
    """How many of the person's answers wait to be sent; said again when that changes."""
    text = ft.Text(weight=ft.FontWeight.W_600)

    def words() -> str:
        n = ctx.services.participation.pending(ctx.person) if ctx.person else 0
        if not n:
            return ""
        return ctx.tr.ngettext(
            "{n} answer waits to be sent; it is sent as soon as there is a connection.",
            "{n} answers wait to be sent; they are sent as soon as there is a connection.",
            n,
        ).format(n=n)

    def redraw() -> None:
        text.value = words()
        refresh_control(text)

    text.value = words()
    ctx.on_leave(ctx.services.participation.listeners.add(redraw))
    ctx.on_leave(ctx.services.outbox.listeners.add(redraw))
    return ft.Semantics(identifier="participation-pending", live_region=True, content=text)


def build(ctx: ScreenContext) -> ft.Control:
    """Measures and surveys from the saved copies at once; fresh ones in the background."""
    _ = ctx._
    services = ctx.services
    coordinator = services.coordinators.surveys
    # the measures as last fetched at once (also offline); fresh ones in the background
    held: dict[str, Any] = {"pillars": services.participation.saved_measures()}

    def render(state: ResourceState[Checked[SurveySummary]]) -> ft.Control:
        rows: list[ft.Control] = [freshness_notice(ctx, state)]
        if state.data is not None:
            rows.extend(open_now(ctx, state.data))
        rows.extend(pillar_sections(ctx, held["pillars"], state.data))
        return ft.Column(rows, spacing=8)

    async def load_measures() -> None:
        try:
            held["pillars"] = await services.participation.measures()
        except ServiceError:
            return  # the surveys are shown by pillar; the notice above says what failed
        section.content = render(coordinator.state)
        refresh_control(section)

    section: ft.Container = live_section(ctx, coordinator, render)  # type: ignore[assignment]
    ctx.run_task(load_measures)
    return ft.Column(
        [
            ft.Row([heading(_("Participation")), refresh_button(ctx, coordinator)], wrap=True),
            ft.Text(
                _(
                    "Have your say on the measures of the Masterplan Digitales Köln. "
                    "Anonymous: no account, no name."
                )
            ),
            pending_line(ctx),
            heading(_("Join a workshop"), level=2),
            join_form(ctx),
            section,
        ],
        spacing=12,
    )
