"""A person's answers to a survey, checked as the server checks them: pure functions, no I/O.

Answers are kept by question id, one value per kind: single choice the option's id (`str`),
multiple choice the chosen ids (`list[str]`), Likert a value (`int`), a Likert matrix statement
id → value (`dict[str, int]`), a ranking every option's id best first (`list[str]`), free text
a `str`. A question whose condition does not hold is not asked: its answer is neither checked
nor sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.i18n import N_
from services.participation.models import Question, Survey

Answers = dict[str, Any]

# characters of a free-text answer without its own limit (the server's DEFAULT_MAX_LENGTH)
DEFAULT_MAX_LENGTH = 2000
FIELD_OF_KIND = {
    "single_choice": "choice",
    "multiple_choice": "choices",
    "likert": "value",
    "likert_matrix": "values",
    "ranking": "ranking",
    "free_text": "text",
}

ANSWER_MISSING = N_("Please answer this question.")
TOO_MANY_CHOICES = N_("Choose at most {n}.")
STATEMENT_MISSING = N_("Please answer every statement.")
TEXT_TOO_LONG = N_("At most {n} characters; please shorten your text.")
OFF_THE_SCALE = N_("Please choose a value on the scale.")
UNKNOWN_OPTION = N_("Please choose among the options shown.")
RANKING_INCOMPLETE = N_("Please put every item in order, each once.")


@dataclass(frozen=True)
class Problem:
    """What is wrong with one answer: a msgid to translate, and the `{n}` it names, if any."""

    message: str
    n: int | None = None


def visible(survey: Survey, answers: Answers) -> list[Question]:
    """The questions asked, in order: those without a condition, and those whose condition
    holds (a condition on a question that is itself not asked does not hold)."""
    asked: list[Question] = []
    shown: set[str] = set()
    for question in survey.questions:
        condition = question.condition
        if condition is None or (
            condition.question in shown
            and _holds(answers.get(condition.question), condition.option)
        ):
            asked.append(question)
            shown.add(question.id)
    return asked


def answered(question: Question, value: Any) -> bool:
    """Whether `value` counts as an answer to `question` (blank text and nothing chosen do not)."""
    if value is None:
        return False
    match question.kind:
        case "single_choice":
            return isinstance(value, str) and value != ""
        case "multiple_choice" | "ranking":
            return isinstance(value, list) and len(value) > 0
        case "likert":
            return isinstance(value, int) and not isinstance(value, bool)
        case "likert_matrix":
            return isinstance(value, dict) and len(value) > 0
        case _:
            return isinstance(value, str) and value.strip() != ""


def problems(survey: Survey, answers: Answers) -> dict[str, Problem]:
    """What keeps the answers from being sent, by question id (asked questions only)."""
    found: dict[str, Problem] = {}
    for question in visible(survey, answers):
        value = answers.get(question.id)
        if not answered(question, value):
            if question.required:
                found[question.id] = Problem(ANSWER_MISSING)
            continue
        problem = _problem(question, value)
        if problem is not None:
            found[question.id] = problem
    return found


def _problem(q: Question, value: Any) -> Problem | None:
    options = [o.id for o in q.options]
    if q.kind == "single_choice":
        return None if value in options else Problem(UNKNOWN_OPTION)
    if q.kind == "multiple_choice":
        if any(not isinstance(c, str) or c not in options for c in value):
            return Problem(UNKNOWN_OPTION)
        if len(set(value)) != len(value):
            return Problem(UNKNOWN_OPTION)
        if q.max_choices is not None and len(value) > q.max_choices:
            return Problem(TOO_MANY_CHOICES, q.max_choices)
        return None
    if q.kind == "likert":
        return None if _on_scale(q, value) else Problem(OFF_THE_SCALE)
    if q.kind == "likert_matrix":
        statements = {s.id for s in q.statements}
        if any(s not in statements for s in value):
            return Problem(UNKNOWN_OPTION)
        if any(not _on_scale(q, v) for v in value.values()):
            return Problem(OFF_THE_SCALE)
        if q.required and set(value) != statements:
            return Problem(STATEMENT_MISSING)
        return None
    if q.kind == "ranking":
        ok = all(isinstance(i, str) for i in value) and sorted(value) == sorted(options)
        return None if ok else Problem(RANKING_INCOMPLETE)
    limit = max_length(q)
    # the server strips the text and counts its characters (code points), as len() does
    return Problem(TEXT_TOO_LONG, limit) if len(value.strip()) > limit else None


def max_length(question: Question) -> int:
    """How many characters a free-text answer may have."""
    return question.max_length or DEFAULT_MAX_LENGTH


def _on_scale(q: Question, value: Any) -> bool:
    if not isinstance(value, int) or isinstance(value, bool) or q.scale is None:
        return False
    return q.scale.min <= value <= q.scale.max


def _holds(value: Any, option: str) -> bool:
    if isinstance(value, str):
        return value == option
    return isinstance(value, list) and option in value


def body(survey: Survey, answers: Answers) -> list[dict[str, Any]]:
    """The `answers` list of the API's request: asked and answered questions only, in order,
    each with the field of its kind (free text stripped)."""
    sent: list[dict[str, Any]] = []
    for question in visible(survey, answers):
        value: Any = answers.get(question.id)
        if not answered(question, value):
            continue
        if question.kind == "free_text":
            value = str(value).strip()
        elif isinstance(value, list):
            value = list(value)
        elif isinstance(value, dict):
            value = dict(value)
        sent.append({"question": question.id, FIELD_OF_KIND[question.kind]: value})
    return sent


def move(order: list[str], item: str, by: int) -> list[str]:
    """`order` with `item` moved up (`by` < 0) or down (`by` > 0), kept within the list."""
    moved = list(order)
    if item not in moved:
        return moved
    index = moved.index(item)
    moved.pop(index)
    moved.insert(max(0, min(len(order) - 1, index + by)), item)
    return moved


def progress(survey: Survey, answers: Answers) -> tuple[int, int]:
    """(asked questions answered, asked questions)."""
    asked = visible(survey, answers)
    return sum(answered(q, answers.get(q.id)) for q in asked), len(asked)
