"""The form, the review and the receipt of one survey: one panel, used by the survey screen
and by the workshop tablet.

All visible questions are on one page, each numbered ("Question 3 of 8") under a progress bar
that says the same in words; the review lists every answer in words with what is missing beside
it; sending hands the answers to the outbox, and the receipt follows it (saved, counted,
refused).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import flet as ft

from services.participation.answers import Answers, Problem, problems, progress, visible
from services.participation.models import Question, Survey
from services.participation.service import AnswersInvalid, Submission
from views.context import ScreenContext, refresh_control
from views.participation.common import problem_text
from views.participation.questions import answer_words, question_control
from views.widgets import heading, live_notice

FORM, REVIEW, SENT = "form", "review", "sent"


def submission_view(
    ctx: ScreenContext, submission: Submission | None, *, big: bool = False
) -> ft.Control:
    """Where a sent answer is: counted (with its receipt), saved to be sent, or refused."""
    _ = ctx._
    state = submission.state if submission is not None else "waiting"
    lines: list[str]
    if state == "counted":
        icon, lines = ft.Icons.CHECK_CIRCLE, [_("Your answer was counted. Thank you!")]
        if submission is not None and submission.receipt:
            lines.append(_("Receipt reference: {receipt}").format(receipt=submission.receipt))
    elif state == "refused":
        icon = ft.Icons.ERROR_OUTLINE
        message = submission.message if submission is not None else None
        lines = [_(message) if message else _("The city could not accept your answer.")]
    else:
        icon = ft.Icons.CLOUD_UPLOAD_OUTLINED
        lines = [_("Your answer is saved and will be sent when the connection is back.")]
    return ft.Container(
        ft.Semantics(
            identifier="survey-receipt",
            live_region=True,
            container=True,
            content=ft.Row(
                [
                    ft.Icon(icon, size=48 if big else 32),
                    ft.Column(
                        [
                            ft.Text(line, size=28 if big else 18, weight=ft.FontWeight.BOLD)
                            if i == 0
                            else ft.Text(line, size=22 if big else 16)
                            for i, line in enumerate(lines)
                        ],
                        expand=True,
                    ),
                ],
                spacing=12,
            ),
        ),
        padding=16,
        border_radius=12,
        border=ft.Border.all(2, ft.Colors.OUTLINE),
    )


# refusals that another try cannot mend
FINAL_REFUSALS = {"already_answered", "survey_closed", "survey_unknown", "code_used"}


def may_try_again(submission: Submission) -> bool:
    """Whether a refused answer may be checked and sent again (a mistyped code, say)."""
    return submission.state == "refused" and submission.code not in FINAL_REFUSALS


class SurveyPanel:
    """The form, the review and the receipt of one survey for one person (or one tablet user)."""

    def __init__(
        self,
        ctx: ScreenContext,
        survey: Survey,
        answers: Answers,
        *,
        shared_device: bool = False,
        participation_code: str | None = None,
        touch: Callable[[], None] = lambda: None,
        sent: Callable[[str], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.survey = survey
        self.answers = answers
        self.shared_device = shared_device
        self.code = participation_code
        self.touch = touch
        self.on_sent = sent
        self.step = FORM
        self.key: str | None = None
        self._sending = threading.RLock()  # handlers may run on several worker threads
        self.problems: dict[str, Problem] = {}
        self.blocks: dict[str, ft.Control] = {}
        self.numbers: dict[str, ft.Text] = {}
        self.problem_texts: dict[str, ft.Text] = {}
        self.shown: list[str] = []
        self.progress_text = ft.Text()
        self.progress_bar = ft.ProgressBar(value=0, bar_height=8, semantics_label=ctx._("Progress"))
        self.questions = ft.Column(spacing=24)
        # a survey for workshop participants only: each brings the code handed to them
        self.code_field: ft.TextField | None = None
        if survey.access == "code" and not participation_code:
            self.code_field = ft.TextField(
                label=ctx._("Participation code from the workshop"), max_length=40
            )
        self.box = ft.Column(spacing=16)
        self.draw()

    # --- the form ----------------------------------------------------------------------------

    def block(self, q: Question) -> ft.Control:
        """A question with its number, text, control and the place for its problem."""
        if q.id not in self.blocks:
            number = ft.Text(size=14)
            self.numbers[q.id] = number
            said = ft.Text(weight=ft.FontWeight.BOLD, color=ft.Colors.RED_900)
            self.problem_texts[q.id] = said
            head: list[ft.Control] = [number]
            if not q.required:
                head.append(ft.Text(self.ctx._("(optional)"), size=14, italic=True))
            self.blocks[q.id] = ft.Column(
                [
                    ft.Row(head, wrap=True),
                    heading(q.text, level=2),
                    question_control(self.ctx, q, self.answers, self.changed),
                    ft.Semantics(live_region=True, content=said),
                ],
                spacing=8,
            )
        return self.blocks[q.id]

    def update_form(self) -> None:
        """Show the questions asked now, numbered, and how far the person is."""
        asked = visible(self.survey, self.answers)
        total = len(asked)
        if self.problems:  # after a review: what is still wrong, beside its question
            self.problems = problems(self.survey, self.answers)
        for i, q in enumerate(asked, start=1):
            self.block(q)
            number = self.ctx._("Question {n} of {total}").format(n=i, total=total)
            problem = self.problems.get(q.id)
            words = (
                self.ctx._("Problem: {problem}").format(problem=problem_text(self.ctx, problem))
                if problem is not None
                else ""
            )
            # only what changed is sent: this runs at every key typed into a text
            for text, value in ((self.numbers[q.id], number), (self.problem_texts[q.id], words)):
                if text.value != value:
                    text.value = value
                    refresh_control(text)
        ids = [q.id for q in asked]
        if ids != self.shown:  # a condition came true or false: the list changes
            self.shown = ids
            self.questions.controls = [self.blocks[i] for i in ids]
            refresh_control(self.questions)
        done, total = progress(self.survey, self.answers)
        words = self.ctx._("{done} of {total} questions answered").format(done=done, total=total)
        if self.progress_text.value != words:
            self.progress_text.value = words
            self.progress_bar.value = done / total if total else 0
            # the bar says the same as the words beside it, and its share in per cent
            self.progress_bar.semantics_label = self.ctx._("Progress: {words}").format(words=words)
            self.progress_bar.semantics_value = round(100 * done / total) if total else 0
            refresh_control(self.progress_text)
            refresh_control(self.progress_bar)

    def changed(self) -> None:
        """An answer changed: conditions and progress follow."""
        self.touch()
        self.update_form()

    def form(self) -> list[ft.Control]:
        _ = self.ctx._
        self.update_form()
        return [
            ft.Semantics(
                identifier="survey-progress",
                container=True,
                content=ft.Column([self.progress_text, self.progress_bar], spacing=4),
            ),
            self.questions,
            ft.Button(
                _("Review answers"),
                icon=ft.Icons.CHECKLIST,
                on_click=lambda _e: self.go(REVIEW),
            ),
        ]

    # --- the review --------------------------------------------------------------------------

    def review(self) -> list[ft.Control]:
        _ = self.ctx._
        self.problems = problems(self.survey, self.answers)
        rows: list[ft.Control] = [heading(_("Review your answers"), level=2)]
        if self.problems:
            count = len(self.problems)
            said = self.ctx.tr.ngettext(
                "{n} answer needs your attention before sending.",
                "{n} answers need your attention before sending.",
                count,
            ).format(n=count)
            rows.append(
                live_notice(
                    "survey-problems",
                    ft.Icons.ERROR_OUTLINE,
                    ft.Text(said, weight=ft.FontWeight.BOLD),
                )
            )
        else:
            rows.append(ft.Text(_("Everything is ready. Check your answers, then send them.")))
        first = True
        for i, q in enumerate(visible(self.survey, self.answers), start=1):
            problem = self.problems.get(q.id)
            parts: list[ft.Control] = [
                ft.Text(f"{i}. {q.text}", weight=ft.FontWeight.W_600),
                ft.Text(answer_words(self.ctx, q, self.answers.get(q.id))),
            ]
            if problem is not None:
                parts.append(
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.ERROR_OUTLINE, color=ft.Colors.RED_800),
                            ft.Text(
                                _("Problem: {problem}").format(
                                    problem=problem_text(self.ctx, problem)
                                ),
                                color=ft.Colors.RED_900,
                                expand=True,
                            ),
                        ]
                    )
                )
            parts.append(
                ft.OutlinedButton(
                    _("Change"),
                    icon=ft.Icons.EDIT,
                    tooltip=_("Change the answer to: {question}").format(question=q.text),
                    # the first question with a problem takes the focus, which scrolls to it
                    autofocus=problem is not None and first,
                    on_click=lambda _e: self.go(FORM),
                )
            )
            first = first and problem is None
            rows.append(ft.Container(ft.Column(parts, spacing=4), padding=ft.Padding.only(top=8)))
        if self.code_field is not None:
            rows.append(self.code_field)
        rows.append(
            ft.Row(
                [
                    ft.OutlinedButton(
                        _("Back to the questions"),
                        icon=ft.Icons.ARROW_BACK,
                        on_click=lambda _e: self.go(FORM),
                    ),
                    ft.Button(_("Send answers"), icon=ft.Icons.SEND, on_click=self.send),
                ],
                wrap=True,
            )
        )
        return rows

    def send(self, _e: Any = None) -> None:
        """Check, then hand the answers to the outbox and try to deliver them at once."""
        self.touch()
        with self._sending:  # a second tap (or one queued on the old button) sends nothing
            if self.key is not None or self.step == SENT:
                return
            self._send()

    def _send(self) -> None:
        participation = self.ctx.services.participation
        code = self.code
        if self.code_field is not None:
            code = (self.code_field.value or "").strip() or None
            self.code_field.error = (
                None if code else self.ctx._("Please enter the participation code you were given.")
            )
            refresh_control(self.code_field)
            if code is None:
                return
        if problems(self.survey, self.answers):
            self.go(REVIEW)
            return
        try:
            key = participation.submit(
                None if self.shared_device else self.ctx.person,
                self.survey,
                dict(self.answers),
                participation_code=code,
                shared_device=self.shared_device,
            )
        except AnswersInvalid as invalid:
            self.problems = dict(invalid.problems)
            self.go(REVIEW)
            return
        self.key = key  # sending has started; the receipt follows the outbox
        self.go(SENT)
        if self.on_sent is not None:
            self.on_sent(key)

    # --- the receipt -------------------------------------------------------------------------

    def receipt(self) -> list[ft.Control]:
        submission = self.submission()
        shown = [submission_view(self.ctx, submission, big=self.shared_device)]
        if submission is not None and may_try_again(submission):
            shown.append(
                ft.OutlinedButton(
                    self.ctx._("Check the answers and send them again"),
                    icon=ft.Icons.EDIT,
                    on_click=lambda _e: self.again(),
                )
            )
        return shown

    def again(self) -> None:
        """Back to the review after a refusal the person can mend."""
        self.key = None
        self.go(REVIEW)

    def submission(self) -> Submission | None:
        """How the sent answers stand (None before sending)."""
        if self.key is None:
            return None
        try:
            return self.ctx.services.participation.status(self.key)
        except KeyError:  # deleted with the person's data meanwhile
            return None

    def go(self, step: str) -> None:
        """Show another step."""
        self.touch()
        self.step = step
        self.draw()

    def draw(self) -> None:
        """Draw the current step."""
        steps = {FORM: self.form, REVIEW: self.review, SENT: self.receipt}
        self.box.controls = steps[self.step]()
        refresh_control(self.box)
