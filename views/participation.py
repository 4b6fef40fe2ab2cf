"""Surveys on the measures of the Masterplan Digitales Köln."""

from __future__ import annotations

import flet as ft

from services.checked import Checked
from services.i18n import N_
from services.participation.client import SurveySummary
from views.context import ScreenContext
from views.widgets import heading, info_tile, resource_screen

PILLARS = {
    "governance": N_("Digital governance"),
    "smart_city": N_("Smart city"),
    "data_economy": N_("Data economy"),
}


def build(ctx: ScreenContext) -> ft.Control:
    """The open surveys."""
    _ = ctx._

    def rows(data: Checked[SurveySummary]) -> list[ft.Control]:
        return [
            info_tile(
                s.title,
                _(PILLARS.get(s.pillar, s.pillar)),
                icon=ft.Icons.HOW_TO_VOTE_OUTLINED,
                on_click=lambda _e, sid=s.id: ctx.navigate(f"/participate/{sid}"),
            )
            for s in data.entries
        ]

    return resource_screen(
        ctx,
        _("Participation"),
        _("Tell the city what matters to you. Your answers stay anonymous."),
        ctx.services.coordinators.surveys,
        rows,
        _("No survey is open right now."),
    )


def build_survey(ctx: ScreenContext, survey: str) -> ft.Control:
    """One survey, as far as the saved list knows it."""
    _ = ctx._
    data = ctx.services.coordinators.surveys.state.data
    found = next((s for s in data.entries if s.id == survey), None) if data else None
    if found is None:
        return ft.Column(
            [heading(_("Survey")), ft.Text(_("This survey is not in the saved list."))]
        )
    return ft.Column(
        [
            heading(found.title),
            ft.Text(found.description),
            ft.Text(
                ctx.tr.ngettext("{n} question", "{n} questions", found.question_count).format(
                    n=found.question_count
                )
            ),
        ],
        spacing=12,
    )
