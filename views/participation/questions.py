"""One accessible control per kind of question, each writing into the person's answers.

Every control is named for screen readers by its question; choices are 48 px rows; a limit
or a count is said in words, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from services.participation.answers import Answers, max_length, move
from services.participation.models import Question
from views.context import ScreenContext, refresh_control
from views.participation.common import option_label, scale_label, scale_values
from views.widgets import MIN_TOUCH, RADIO_TEXT, icon_button, radio_group

Changed = Callable[[], None]


def _row_text(ctx: ScreenContext) -> ft.TextStyle:
    """A label whose lines are 48 px apart, so that each row is a full touch target."""
    return ft.TextStyle(size=RADIO_TEXT, height=MIN_TOUCH / (RADIO_TEXT * ctx.text_scale))


def _say(text: ft.Text, words: str) -> None:
    text.value = words
    refresh_control(text)


def single_choice(
    ctx: ScreenContext, q: Question, answers: Answers, changed: Changed
) -> ft.Control:
    """A radio group: one option."""

    def choose(value: str) -> None:
        answers[q.id] = value
        changed()

    choices = [(o.id, o.label) for o in q.options]
    return radio_group(q.text, choices, answers.get(q.id), choose, scale=ctx.text_scale)


def multiple_choice(
    ctx: ScreenContext, q: Question, answers: Answers, changed: Changed
) -> ft.Control:
    """A checkbox per option, at most `max_choices` of them; one more is refused in words."""
    limit = q.max_choices
    hint = ft.Text(
        ctx.tr.ngettext("Choose up to {n} option.", "Choose up to {n} options.", limit).format(
            n=limit
        )
        if limit
        else ctx._("Choose all that apply.")
    )
    refusal = ft.Text(weight=ft.FontWeight.BOLD)

    def toggle(e: Any) -> None:
        box: ft.Checkbox = e.control
        chosen: list[str] = list(answers.get(q.id) or [])
        if box.value and box.data not in chosen:
            if limit is not None and len(chosen) >= limit:
                box.value = False
                refresh_control(box)
                _say(
                    refusal,
                    ctx.tr.ngettext(
                        "You can choose up to {n} option. Remove one to choose another.",
                        "You can choose up to {n} options. Remove one to choose another.",
                        limit,
                    ).format(n=limit),
                )
                return
            chosen.append(box.data)
        elif not box.value and box.data in chosen:
            chosen.remove(box.data)
        _say(refusal, "")
        # kept in the order of the options, not of the taps
        order = [o.id for o in q.options]
        if chosen:
            answers[q.id] = sorted(chosen, key=order.index)
        else:
            answers.pop(q.id, None)
        changed()

    chosen = set(answers.get(q.id) or [])
    boxes: list[ft.Control] = [
        ft.Checkbox(
            label=o.label,
            value=o.id in chosen,
            data=o.id,
            on_change=toggle,
            label_style=_row_text(ctx),
            visual_density=ft.VisualDensity.STANDARD,
        )
        for o in q.options
    ]
    return ft.Semantics(
        container=True,
        label=q.text,
        content=ft.Column(
            [hint, *boxes, ft.Semantics(live_region=True, content=refusal)], spacing=0
        ),
    )


def likert(ctx: ScreenContext, q: Question, answers: Answers, changed: Changed) -> ft.Control:
    """A row of radios, each named by its value and the scale's word for it."""

    def choose(value: str) -> None:
        answers[q.id] = int(value)
        changed()

    choices = [(str(v), scale_label(q, v)) for v in scale_values(q)]
    value = answers.get(q.id)
    return radio_group(
        q.text,
        choices,
        None if value is None else str(value),
        choose,
        scale=ctx.text_scale,
        across=True,
    )


def likert_matrix(
    ctx: ScreenContext, q: Question, answers: Answers, changed: Changed
) -> ft.Control:
    """Per statement a labelled row of radios on the question's scale."""
    rows: list[ft.Control] = []
    given: dict[str, int] = dict(answers.get(q.id) or {})
    for statement in q.statements:

        def choose(value: str, sid: str = statement.id) -> None:
            values = dict(answers.get(q.id) or {})
            values[sid] = int(value)
            answers[q.id] = values
            changed()

        choices = [(str(v), scale_label(q, v)) for v in scale_values(q)]
        value = given.get(statement.id)
        rows.append(ft.Text(statement.label, weight=ft.FontWeight.W_600))
        rows.append(
            radio_group(
                ctx._("{question}: {statement}").format(question=q.text, statement=statement.label),
                choices,
                None if value is None else str(value),
                choose,
                scale=ctx.text_scale,
                across=True,
            )
        )
    return ft.Column(rows, spacing=4)


def ranking(ctx: ScreenContext, q: Question, answers: Answers, changed: Changed) -> ft.Control:
    """The items in order with "move up" / "move down" buttons and their place in words."""
    _ = ctx._
    box = ft.Column(spacing=4)
    said = ft.Text()

    def order() -> list[str]:
        return list(answers.get(q.id) or [o.id for o in q.options])

    def shift(item: str, by: int) -> None:
        answers[q.id] = move(order(), item, by)
        place = answers[q.id].index(item) + 1
        _say(
            said,
            _("{item} is now in place {n}.").format(item=option_label(q.options, item), n=place),
        )
        draw()
        changed()

    def keep(_e: Any) -> None:
        answers[q.id] = order()
        _say(said, _("The order is taken as it is."))
        draw()
        changed()

    def draw() -> None:
        items = order()
        rows: list[ft.Control] = []
        for place, item in enumerate(items, start=1):
            label = option_label(q.options, item)
            up = icon_button(
                ft.Icons.ARROW_UPWARD,
                _("Move {item} up").format(item=label),
                lambda _e, i=item: shift(i, -1),
            )
            down = icon_button(
                ft.Icons.ARROW_DOWNWARD,
                _("Move {item} down").format(item=label),
                lambda _e, i=item: shift(i, 1),
            )
            up.disabled = place == 1
            down.disabled = place == len(items)
            rows.append(
                ft.Semantics(  # one node per item: "2. Digitaler Zwilling", then its buttons
                    container=True,
                    content=ft.Container(
                        ft.Row(
                            [ft.Text(f"{place}. {label}", expand=True), up, down],
                            vertical_alignment=ft.CrossAxisAlignment.CENTER,
                        ),
                        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
                        border_radius=8,
                        padding=ft.Padding.only(left=12),
                    ),
                )
            )
        if q.id not in answers:
            rows.append(ft.Text(_("Not ranked yet: move the items, or keep this order.")))
            rows.append(ft.OutlinedButton(_("Keep this order"), icon=ft.Icons.CHECK, on_click=keep))
        box.controls = rows
        refresh_control(box)

    draw()
    return ft.Semantics(
        container=True,
        label=q.text,
        content=ft.Column([box, ft.Semantics(live_region=True, content=said)], spacing=4),
    )


def free_text(ctx: ScreenContext, q: Question, answers: Answers, changed: Changed) -> ft.Control:
    """A text field with its limit and the characters left said in words."""
    limit = max_length(q)  # the server's default where the question names none
    left = ft.Text()

    def count(value: str) -> None:
        left.value = ctx.tr.ngettext(
            "{n} character left.", "{n} characters left.", limit - len(value)
        ).format(n=limit - len(value))

    def typed(e: Any) -> None:
        value = e.control.value or ""
        if value.strip():
            answers[q.id] = value
        else:
            answers.pop(q.id, None)
        count(value)
        refresh_control(left)
        changed()

    value = str(answers.get(q.id) or "")
    count(value)
    field = ft.TextField(
        label=q.text,
        value=value,
        multiline=True,
        min_lines=2,
        max_lines=8,
        max_length=limit,
        on_change=typed,
    )
    return ft.Column([field, left], spacing=4)


CONTROLS: dict[str, Callable[[ScreenContext, Question, Answers, Changed], ft.Control]] = {
    "single_choice": single_choice,
    "multiple_choice": multiple_choice,
    "likert": likert,
    "likert_matrix": likert_matrix,
    "ranking": ranking,
    "free_text": free_text,
}


def question_control(
    ctx: ScreenContext, q: Question, answers: Answers, changed: Changed
) -> ft.Control:
    """The control for the question's kind (a note for a kind this app does not know)."""
    make = CONTROLS.get(q.kind)
    if make is None:
        return ft.Text(ctx._("This question cannot be answered in this version of the app."))
    return make(ctx, q, answers, changed)


def answer_words(ctx: ScreenContext, q: Question, value: Any) -> str:
    """An answer in words, for the review."""
    _ = ctx._
    if value is None or value == "" or value == [] or value == {}:
        return _("Not answered")
    if q.kind == "single_choice":
        return option_label(q.options, str(value))
    if q.kind == "multiple_choice":
        return ", ".join(option_label(q.options, v) for v in value)
    if q.kind == "likert":
        return scale_label(q, int(value))
    if q.kind == "likert_matrix":
        return "\n".join(
            _("{statement}: {value}").format(statement=s.label, value=scale_label(q, value[s.id]))
            if s.id in value
            else _("{statement}: not answered").format(statement=s.label)
            for s in q.statements
        )
    if q.kind == "ranking":
        return "\n".join(
            f"{place}. {option_label(q.options, item)}" for place, item in enumerate(value, 1)
        )
    return str(value)
