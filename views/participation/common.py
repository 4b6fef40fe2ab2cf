"""Words shared by the participation screens: pillars, measure status, survey state, problems."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import flet as ft

from services.i18n import N_
from views.context import ScreenContext
from views.widgets import MIN_TOUCH

# The masterplan's three pillars, German first as the city names them.
PILLARS = {
    "governance": N_("Digitale Verwaltung"),
    "smart_city": N_("Smart City"),
    "data_economy": N_("Datenökonomie"),
}
PILLAR_ICONS = {
    "governance": ft.Icons.ACCOUNT_BALANCE_OUTLINED,
    "smart_city": ft.Icons.LOCATION_CITY_OUTLINED,
    "data_economy": ft.Icons.DATASET_OUTLINED,
}
MEASURE_STATUS = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Completed"),
}
MEASURE_ICONS = {
    "planned": ft.Icons.SCHEDULE,
    "in_progress": ft.Icons.AUTORENEW,
    "done": ft.Icons.CHECK_CIRCLE_OUTLINE,
}


def survey_state(ctx: ScreenContext, survey: Any) -> str:
    """upcoming | open | closed: the server's word, corrected by the app's clock for a saved
    copy that has since opened or closed."""
    now = ctx.now()
    opens: datetime | None = getattr(survey, "opens_at", None)
    closes: datetime | None = getattr(survey, "closes_at", None)
    if closes is not None and closes <= now:
        return "closed"
    if opens is not None and opens > now:
        return "upcoming"
    if survey.state == "upcoming" and (opens is None or opens <= now):
        return "open"
    return str(survey.state)


def state_text(ctx: ScreenContext, survey: Any) -> str:
    """ "Open until 31 January 2027", "Closed", "Opens on …" in words."""
    _ = ctx._
    state = survey_state(ctx, survey)
    if state == "closed":
        return _("Closed")
    if state == "upcoming":
        if survey.opens_at is not None:
            return _("Opens on {date}").format(date=ctx.tr.long_date(survey.opens_at))
        return _("Not open yet")
    if survey.closes_at is not None:
        return _("Open until {date}").format(date=ctx.tr.long_date(survey.closes_at))
    return _("Open")


def problem_text(ctx: ScreenContext, problem: Any) -> str:
    """A problem of an answer (an English msgid, maybe with {n}) in the person's language."""
    message = ctx._(problem.message)
    n = getattr(problem, "n", None)
    return message.format(n=n) if n is not None and "{n}" in message else message


def scale_label(question: Any, value: int) -> str:
    """ "4 – stimme eher zu": the value and its label, or just the value."""
    label = question.scale.label(value) if question.scale is not None else None
    return f"{value} – {label}" if label else str(value)


def scale_values(question: Any) -> list[int]:
    """Every value of the question's scale, lowest first."""
    return question.scale.values() if question.scale is not None else []


def option_label(options: list[Any], option_id: str) -> str:
    """The label of an option (or statement) by its id."""
    return next((o.label for o in options if o.id == option_id), option_id)


def survey_tile(ctx: ScreenContext, survey: Any) -> ft.Control:
    """A survey as a large row: open ones inviting, closed ones saying so in words."""
    state = survey_state(ctx, survey)
    icon = {
        "open": ft.Icons.HOW_TO_VOTE_OUTLINED,
        "upcoming": ft.Icons.SCHEDULE,
        "closed": ft.Icons.LOCK_OUTLINE,
    }.get(state, ft.Icons.HOW_TO_VOTE_OUTLINED)
    lines = [state_text(ctx, survey)]
    if state == "open":
        lines.append(
            ctx.tr.ngettext("{n} question", "{n} questions", survey.question_count).format(
                n=survey.question_count
            )
        )
    return ft.ListTile(
        leading=ft.Icon(icon),
        title=ft.Text(
            survey.title, weight=ft.FontWeight.W_600 if state == "open" else ft.FontWeight.NORMAL
        ),
        subtitle=ft.Text(" · ".join(lines)),
        on_click=lambda _e, sid=survey.id: ctx.navigate(f"/participate/{sid}"),
        min_height=MIN_TOUCH + 8,
    )
