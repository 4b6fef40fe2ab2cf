"""`/participate/<survey>`: one survey, from the saved copy at once, with its form, or the
receipt of the person's earlier answer, or why it cannot be answered now.

The person's answers are kept for the session (`ctx.drafts`), so that leaving the screen and
coming back loses nothing.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from services.errors import NotFound, ServiceError
from services.participation.answers import Answers
from services.participation.models import Survey
from services.participation.service import no_longer_fits
from views.context import ScreenContext, refresh_control
from views.participation.common import state_text, survey_state
from views.participation.form import SENT, SurveyPanel, may_try_again, submission_view
from views.widgets import error_text, heading


def survey_intro(ctx: ScreenContext, survey: Any, *, big: bool = False) -> list[ft.Control]:
    """Title, description and whether the survey is open, in words."""
    rows: list[ft.Control] = [
        ft.Semantics(
            header=True,
            heading_level=1,
            content=ft.Text(survey.title, size=36 if big else 28, weight=ft.FontWeight.BOLD),
        ),
    ]
    if survey.description:
        rows.append(ft.Text(survey.description, size=20 if big else None))
    rows.append(ft.Text(state_text(ctx, survey), weight=ft.FontWeight.W_600))
    rows.append(
        ft.Text(ctx._("Anonymous: no account, no name. Your answers are not linked to you."))
    )
    return rows


def build_survey(ctx: ScreenContext, survey: str) -> ft.Control:
    """One survey: from the saved copy at once, a fresh one fetched in the background."""
    _ = ctx._
    participation = ctx.services.participation
    box = ft.Column(spacing=16)
    held: dict[str, Any] = {
        "survey": participation.saved_survey(survey),
        "error": None,
        "loading": True,
        "panel": None,
    }

    def answers() -> Answers:
        drafts: Answers = ctx.drafts.setdefault(f"survey:{survey}", {})
        return drafts

    def render() -> list[ft.Control]:
        found: Survey | None = held["survey"]
        if found is None:
            if held["loading"]:
                return [heading(_("Survey")), ft.Text(_("Loading …"))]
            error = held["error"]
            if isinstance(error, NotFound):
                return [
                    heading(_("Survey")),
                    ft.Text(_("There is no survey at this address.")),
                    ft.Button(
                        _("All surveys"),
                        icon=ft.Icons.HOW_TO_VOTE_OUTLINED,
                        on_click=lambda _e: ctx.navigate("/participate"),
                    ),
                ]
            return [
                heading(_("Survey")),
                ft.Text(
                    _("This survey cannot be loaded right now, and it is not saved on this device.")
                ),
                ft.Text(error_text(ctx, error)) if error is not None else ft.Container(),
                ft.Button(_("Try again"), icon=ft.Icons.REFRESH, on_click=retry),
            ]
        rows = survey_intro(ctx, found)
        taken = participation.taken_part(ctx.person, found.id) if ctx.person else None
        panel: SurveyPanel | None = held["panel"]
        again = taken is not None and may_try_again(taken) and survey_state(ctx, found) == "open"
        if panel is not None and panel.step == SENT:
            rows.append(panel.box)  # just sent: its receipt follows the outbox
        elif taken is not None and not again:
            rows.append(ft.Text(_("You have already taken part in this survey.")))
            rows.append(submission_view(ctx, taken))
        elif survey_state(ctx, found) == "closed":
            rows.append(ft.Text(_("This survey is closed. Thank you to everyone who took part.")))
            rows.append(results_link(ctx, found.id))
        elif survey_state(ctx, found) == "upcoming":
            rows.append(ft.Text(_("This survey is not open yet. Please come back later.")))
        else:
            if again:  # refused for a reason the person can mend: say why, keep the form
                rows.append(submission_view(ctx, taken))
            if panel is None:
                panel = SurveyPanel(ctx, found, answers())
                held["panel"] = panel
            rows.append(panel.box)
        return rows

    def redraw() -> None:
        box.controls = render()
        refresh_control(box)

    def retry(_e: Any = None) -> None:
        held["loading"], held["error"] = True, None
        redraw()
        ctx.run_task(load)

    async def load() -> None:
        try:
            fresh = await participation.survey(survey)
        except ServiceError as error:
            held["error"] = error
        else:
            panel: SurveyPanel | None = held["panel"]
            taken = participation.taken_part(ctx.person, survey) if ctx.person else None
            outdated = taken is not None and taken.state == "refused" and no_longer_fits(taken.code)
            # a changed copy replaces the shown one before the person began to answer, or
            # when the city refused the answers because the survey had changed (the answers
            # stay in the drafts and fill the new form where they still fit)
            if fresh != held["survey"] and (panel is None or not panel.answers or outdated):
                held["survey"], held["panel"] = fresh, None
        held["loading"] = False
        redraw()

    def changed() -> None:
        panel: SurveyPanel | None = held["panel"]
        taken = participation.taken_part(ctx.person, survey) if ctx.person else None
        if taken is not None and taken.state == "refused" and no_longer_fits(taken.code):
            ctx.run_task(load)  # the survey changed: fetch it anew for the next try
        if panel is not None and panel.step == SENT:
            panel.draw()  # the receipt follows the outbox
        elif panel is None:
            redraw()  # an earlier answer's receipt, if it is shown

    box.controls = render()
    ctx.on_leave(participation.listeners.add(changed))
    ctx.run_task(load)
    return box


def results_link(ctx: ScreenContext, survey_id: str) -> ft.Control:
    """A button to the survey's results."""
    return ft.OutlinedButton(
        ctx._("See the results"),
        icon=ft.Icons.BAR_CHART,
        on_click=lambda _e: ctx.navigate(f"/participate/{survey_id}/results"),
    )
