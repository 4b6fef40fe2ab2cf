"""Answers checked on the device as the server checks them: whatever `problems` lets through,
the server's own rules accept, and whatever it stops, they refuse. The seeded surveys together
use every kind of question and conditions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from backend_stub.participation import rules
from backend_stub.participation.rules import Refused, check_answers
from backend_stub.participation.seed import SURVEYS
from backend_stub.participation.wire import AnswerIn, QuestionSpec
from services.participation.answers import (
    ANSWER_MISSING,
    DEFAULT_MAX_LENGTH,
    FIELD_OF_KIND,
    STATEMENT_MISSING,
    TEXT_TOO_LONG,
    TOO_MANY_CHOICES,
    Answers,
    Problem,
    body,
    move,
    problems,
    progress,
    visible,
)
from services.participation.models import Question, Survey

SEEDED = {
    item["id"]: Survey.model_validate(
        {
            "id": item["id"],
            "title": item["title"],
            "pillar": item["pillar"],
            "questions": [{**q, "position": i} for i, q in enumerate(item["questions"])],
        }
    )
    for item in SURVEYS
}
SPECS = {
    item["id"]: [QuestionSpec.model_validate(q) for q in item["questions"]] for item in SURVEYS
}
MASTERPLAN = SEEDED["masterplan-prioritaeten"]
OPEN_DATA = SEEDED["offene-daten"]
SMART_CITY = SEEDED["smart-city-sensoren"]


def server_accepts(survey_id: str, answers: list[dict[str, Any]]) -> bool:
    """Whether the server's rules take this `answers` list."""
    try:
        check_answers(SPECS[survey_id], [AnswerIn.model_validate(a) for a in answers])
    except (Refused, ValidationError):
        return False
    return True


def value_for(question: Question) -> st.SearchStrategy[Any]:
    """Answers of every sort to `question`: valid ones, and ones the server refuses."""
    options = [o.id for o in question.options]
    wrong = st.sampled_from(["zzz", "andere"])
    if question.kind == "single_choice":
        return st.one_of(st.sampled_from(options), wrong, st.just(""))
    if question.kind == "multiple_choice":
        return st.lists(st.one_of(st.sampled_from(options), wrong), max_size=len(options) + 1)
    if question.kind == "likert":
        return st.integers(-1, 7)
    if question.kind == "likert_matrix":
        statements = [s.id for s in question.statements]
        return st.dictionaries(
            st.one_of(st.sampled_from(statements), wrong), st.integers(0, 6), max_size=5
        )
    if question.kind == "ranking":
        return st.one_of(
            st.permutations(options), st.lists(st.sampled_from(options), max_size=len(options))
        ).map(list)
    limit = question.max_length or 2000
    return st.one_of(
        st.text(max_size=12),
        st.integers(limit - 2, limit + 2).map(lambda n: " " + "ä" * n + " \n"),
    )


def answers_for(survey: Survey) -> st.SearchStrategy[Answers]:
    """Some of the survey's questions answered, hidden ones too."""
    return st.fixed_dictionaries({}, optional={q.id: value_for(q) for q in survey.questions}).map(
        dict
    )


any_survey = st.sampled_from(sorted(SEEDED))
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_app_reads_answers_as_the_server_does() -> None:
    """The app keeps its own copy of the wire's answer fields and text limit (it must not
    import the server): they stay the server's."""
    assert FIELD_OF_KIND == rules.FIELD_OF_KIND
    assert DEFAULT_MAX_LENGTH == rules.DEFAULT_MAX_LENGTH


def test_the_seeded_surveys_use_every_kind() -> None:
    kinds = {q.kind for s in SEEDED.values() for q in s.questions}
    assert kinds == {
        "single_choice", "multiple_choice", "likert", "likert_matrix", "ranking", "free_text"
    }  # fmt: skip


@PROPERTY
@given(st.data())
def test_what_problems_lets_through_the_server_accepts_and_nothing_else(
    data: st.DataObject,
) -> None:
    survey_id = data.draw(any_survey)
    survey = SEEDED[survey_id]
    answers = data.draw(answers_for(survey))
    found = problems(survey, answers)
    assert server_accepts(survey_id, body(survey, answers)) == (not found)
    asked = {q.id for q in visible(survey, answers)}
    assert set(found) <= asked
    assert all(isinstance(p, Problem) and p.message for p in found.values())


@PROPERTY
@given(st.data())
def test_the_body_holds_asked_and_answered_questions_only_in_order(data: st.DataObject) -> None:
    survey = SEEDED[data.draw(any_survey)]
    answers = data.draw(answers_for(survey))
    sent = body(survey, answers)
    asked = [q.id for q in visible(survey, answers)]
    names = [a["question"] for a in sent]
    assert names == [q for q in asked if q in names]
    assert all(len(a) == 2 for a in sent)  # the question and the one field of its kind
    done, total = progress(survey, answers)
    assert total == len(asked) and done == len(sent)
    for answer in sent:
        if "text" in answer:
            assert answer["text"] == answer["text"].strip() != ""


@PROPERTY
@given(st.data())
def test_a_question_is_asked_when_its_condition_holds(data: st.DataObject) -> None:
    survey = SEEDED[data.draw(any_survey)]
    answers = data.draw(answers_for(survey))
    asked = {q.id for q in visible(survey, answers)}
    for question in survey.questions:
        condition = question.condition
        if condition is None:
            assert question.id in asked
            continue
        given_value = answers.get(condition.question)
        holds = given_value == condition.option or (
            isinstance(given_value, list) and condition.option in given_value
        )
        assert (question.id in asked) == (condition.question in asked and holds)


@given(
    st.lists(st.text(min_size=1, max_size=3), unique=True, min_size=1, max_size=8),
    st.data(),
    st.integers(-3, 3),
)
def test_move_keeps_every_item_and_clamps(order: list[str], data: st.DataObject, by: int) -> None:
    item = data.draw(st.sampled_from(order))
    moved = move(order, item, by)
    assert sorted(moved) == sorted(order)
    assert moved.index(item) == max(0, min(len(order) - 1, order.index(item) + by))
    others = [i for i in order if i != item]
    assert [i for i in moved if i != item] == others  # the rest keep their order
    assert move(order, "not there", by) == order


NUMBERED = st.lists(st.integers(), unique=True, min_size=2, max_size=6).map(
    lambda xs: [str(x) for x in xs]
)


@given(NUMBERED, st.data())
def test_up_then_down_is_back_where_it_was(order: list[str], data: st.DataObject) -> None:
    item = data.draw(st.sampled_from(order[1:]))
    assert move(move(order, item, -1), item, +1) == order


# --- examples ------------------------------------------------------------------------------


def test_required_questions_must_be_answered_and_blank_text_is_no_answer() -> None:
    found = problems(MASTERPLAN, {"nutzen": "termine", "termine_fehlt": "   \n"})
    assert found == {
        "termine_fehlt": Problem(ANSWER_MISSING),
        "zufriedenheit": Problem(ANSWER_MISSING),
    }
    # a hidden question is neither checked nor sent
    answers = {"nutzen": "kfz", "termine_fehlt": "x" * 5000, "zufriedenheit": 4}
    assert problems(MASTERPLAN, answers) == {}
    assert body(MASTERPLAN, answers) == [
        {"question": "nutzen", "choice": "kfz"},
        {"question": "zufriedenheit", "value": 4},
    ]


def test_the_limits_say_their_number() -> None:
    answers = {
        "nutzen": "termine",
        "termine_fehlt": "ö" * 501,
        "genutzt": ["ozg", "termine", "transparenz", "urkunden"],
        "zufriedenheit": 3,
    }
    assert problems(MASTERPLAN, answers) == {
        "termine_fehlt": Problem(TEXT_TOO_LONG, 500),
        "genutzt": Problem(TOO_MANY_CHOICES, 3),
    }
    answers["termine_fehlt"] = "  " + "ö" * 500 + "  "  # the server counts the stripped text
    answers["genutzt"] = ["ozg"]
    assert problems(MASTERPLAN, answers) == {}
    assert body(MASTERPLAN, answers)[1] == {"question": "termine_fehlt", "text": "ö" * 500}


def test_a_required_matrix_needs_every_statement() -> None:
    answers = {"wichtigkeit": {"verkehr": 5}, "nutzung": "nein", "ki_plattform": "ja"}
    assert problems(OPEN_DATA, answers) == {"wichtigkeit": Problem(STATEMENT_MISSING)}
    answers["wichtigkeit"] = {"verkehr": 5, "umwelt": 4, "haushalt": 1, "bauen": 3}
    assert problems(OPEN_DATA, answers) == {}
    assert progress(OPEN_DATA, answers) == (3, 3)
    answers["nutzung"] = "beruflich"
    assert progress(OPEN_DATA, answers) == (3, 4)


def test_a_ranking_is_sent_as_stored() -> None:
    order = [o.id for o in SMART_CITY.questions[0].options]
    ranked = move(order, "schulen", -1)
    answers = {"reihenfolge": ranked, "sensordaten_helfen": 2, "orte": ["rhein"]}
    assert problems(SMART_CITY, answers) == {}
    assert body(SMART_CITY, answers)[0] == {"question": "reihenfolge", "ranking": ranked}
    assert "reihenfolge" in problems(SMART_CITY, {**answers, "reihenfolge": order[:2]})


@pytest.mark.parametrize("value", [0, 6, True, "3"])
def test_a_likert_value_off_the_scale_is_a_problem(value: object) -> None:
    answers = {"reihenfolge": ["wlan", "sensoren", "zwilling", "schulen"], "orte": ["parks"]}
    assert "sensordaten_helfen" in problems(SMART_CITY, {**answers, "sensordaten_helfen": value})
