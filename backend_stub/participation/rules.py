"""What the server checks: a survey an admin writes, and the answers a person sends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from backend_stub.participation.wire import AnswerIn, QuestionSpec

DEFAULT_MAX_LENGTH = 2000  # characters of a free-text answer without its own limit
CHOICE_KINDS = ("single_choice", "multiple_choice")
FIELD_OF_KIND = {
    "single_choice": "choice",
    "multiple_choice": "choices",
    "likert": "value",
    "likert_matrix": "values",
    "ranking": "ranking",
    "free_text": "text",
}


class Refused(Exception):
    """A request the API refuses, with the status, a code for programs and words for people."""

    def __init__(self, status: int, code: str, message: str, question: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.question = question


def bad(code: str, message: str, question: str | None = None) -> Refused:
    """A 400: the request names something wrong."""
    return Refused(400, code, message, question)


def check_questions(questions: Sequence[QuestionSpec]) -> None:
    """A survey's questions make sense together, else `Refused` (400) says where not."""
    seen: dict[str, QuestionSpec] = {}
    for q in questions:
        if q.id in seen:
            raise bad("question_duplicate", f"two questions have the id {q.id!r}", q.id)
        option_ids = [o.id for o in q.options]
        if len(set(option_ids)) != len(option_ids):
            raise bad("option_duplicate", "two options have the same id", q.id)
        statement_ids = [s.id for s in q.statements]
        if len(set(statement_ids)) != len(statement_ids):
            raise bad("statement_duplicate", "two statements have the same id", q.id)
        if q.kind in (*CHOICE_KINDS, "ranking") and len(q.options) < 2:
            raise bad("options_missing", f"a {q.kind} question needs two options at least", q.id)
        if q.kind not in (*CHOICE_KINDS, "ranking") and q.options:
            raise bad("options_unexpected", f"a {q.kind} question has no options", q.id)
        if q.kind == "likert_matrix" and not q.statements:
            raise bad("statements_missing", "a Likert matrix needs statements", q.id)
        if q.kind != "likert_matrix" and q.statements:
            raise bad("statements_unexpected", "only a Likert matrix has statements", q.id)
        if q.kind in ("likert", "likert_matrix"):
            if q.scale is None:
                raise bad("scale_missing", "a Likert question needs a scale", q.id)
            if q.scale.max <= q.scale.min:
                raise bad("scale_invalid", "the scale's max must be above its min", q.id)
            if q.scale.labels and len(q.scale.labels) != q.scale.max - q.scale.min + 1:
                raise bad("scale_invalid", "label every value of the scale, or none", q.id)
        elif q.scale is not None:
            raise bad("scale_unexpected", "only Likert questions have a scale", q.id)
        if q.max_choices is not None and q.kind != "multiple_choice":
            raise bad("max_choices_unexpected", "only multiple choice has max_choices", q.id)
        if q.max_length is not None and q.kind != "free_text":
            raise bad("max_length_unexpected", "only free text has max_length", q.id)
        if q.condition is not None:
            earlier = seen.get(q.condition.question)
            if earlier is None or earlier.kind not in CHOICE_KINDS:
                raise bad(
                    "condition_invalid",
                    "a condition names an earlier single or multiple choice question",
                    q.id,
                )
            if q.condition.option not in {o.id for o in earlier.options}:
                raise bad("condition_invalid", "the condition names no option of it", q.id)
        seen[q.id] = q


def check_answers(questions: Sequence[QuestionSpec], answers: Sequence[AnswerIn]) -> dict[str, Any]:
    """The values to store by question id, or `Refused` (400) naming the first fault.

    A question with a condition is asked only when its condition holds: an answer to it
    otherwise is refused, and it is required only when asked.
    """
    by_id = {q.id: q for q in questions}
    given: dict[str, AnswerIn] = {}
    for answer in answers:
        if answer.question not in by_id:
            raise bad("question_unknown", "the survey has no such question", answer.question)
        if answer.question in given:
            raise bad("answer_duplicate", "two answers to one question", answer.question)
        given[answer.question] = answer
    values: dict[str, Any] = {}
    for q in questions:  # in order: a condition refers to an earlier question
        asked = q.condition is None or _holds(values.get(q.condition.question), q.condition.option)
        found = given.get(q.id)
        if found is not None:
            _one_field(q, found)
        if found is None or _empty(found, q):
            if asked and q.required:
                raise bad("answer_missing", "this question must be answered", q.id)
            continue
        if not asked:
            raise bad(
                "answer_not_expected",
                "this question is asked only after another answer, which was not given",
                q.id,
            )
        values[q.id] = _value(q, found)
    return values


def _holds(value: Any, option: str) -> bool:
    if isinstance(value, str):
        return value == option
    return isinstance(value, list) and option in value


def _empty(answer: AnswerIn, q: QuestionSpec) -> bool:
    field = FIELD_OF_KIND[q.kind]
    given = getattr(answer, field)
    return given is None or (q.kind == "free_text" and not str(given).strip())


def _one_field(q: QuestionSpec, answer: AnswerIn) -> None:
    field = FIELD_OF_KIND[q.kind]
    others = [f for f in FIELD_OF_KIND.values() if f != field and getattr(answer, f) is not None]
    if others:
        raise bad("answer_wrong_kind", f"a {q.kind} question is answered with `{field}`", q.id)


def _value(q: QuestionSpec, answer: AnswerIn) -> Any:
    options = [o.id for o in q.options]
    if q.kind == "single_choice":
        if answer.choice not in options:
            raise bad("choice_invalid", "no option of this question has this id", q.id)
        return answer.choice
    if q.kind == "multiple_choice":
        chosen = answer.choices or []
        if any(c not in options for c in chosen):
            raise bad("choice_invalid", "no option of this question has this id", q.id)
        if len(set(chosen)) != len(chosen):
            raise bad("choice_invalid", "an option is chosen twice", q.id)
        if q.max_choices is not None and len(chosen) > q.max_choices:
            raise bad("too_many_choices", f"choose {q.max_choices} at most", q.id)
        return [o for o in options if o in chosen]
    if q.kind == "likert":
        assert q.scale is not None and answer.value is not None
        if not q.scale.min <= answer.value <= q.scale.max:
            raise bad("value_out_of_range", f"give {q.scale.min} to {q.scale.max}", q.id)
        return answer.value
    if q.kind == "likert_matrix":
        assert q.scale is not None and answer.values is not None
        statements = [s.id for s in q.statements]
        if any(s not in statements for s in answer.values):
            raise bad("statement_unknown", "the matrix has no such statement", q.id)
        if q.required and set(answer.values) != set(statements):
            raise bad("answer_missing", "every statement must be rated", q.id)
        if any(not q.scale.min <= v <= q.scale.max for v in answer.values.values()):
            raise bad("value_out_of_range", f"give {q.scale.min} to {q.scale.max}", q.id)
        return {s: answer.values[s] for s in statements if s in answer.values}
    if q.kind == "ranking":
        ranking = answer.ranking or []
        if sorted(ranking) != sorted(options):
            raise bad("ranking_invalid", "put every item in order, each once", q.id)
        return ranking
    text = (answer.text or "").strip()
    limit = q.max_length or DEFAULT_MAX_LENGTH
    if len(text) > limit:
        raise bad("text_too_long", f"write {limit} characters at most", q.id)
    return text
