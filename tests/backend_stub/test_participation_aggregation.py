"""Property tests of the aggregation (backend_stub/participation/aggregate.py) and of the
answer checks, with hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backend_stub.participation.aggregate import (
    K_ANONYMITY,
    borda,
    choice_counts,
    mean,
    mean_ranks,
    question_result,
    scale_counts,
    shares,
)
from backend_stub.participation.rules import Refused, check_answers
from backend_stub.participation.wire import AnswerIn, QuestionSpec

OPTIONS = st.lists(
    st.text(alphabet="abcdefghij", min_size=1, max_size=4), min_size=2, max_size=8, unique=True
)


def choice_question(options: list[str], kind: str = "single_choice") -> QuestionSpec:
    return QuestionSpec.model_validate(
        {
            "id": "q",
            "kind": kind,
            "text": "?",
            "options": [{"id": o, "label": o.upper()} for o in options],
        }
    )


@st.composite
def single_answers(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    options = draw(OPTIONS)
    return options, draw(st.lists(st.sampled_from(options), max_size=60))


@st.composite
def multiple_answers(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    options = draw(OPTIONS)
    subsets = st.lists(st.sampled_from(options), min_size=1, unique=True)
    return options, draw(st.lists(subsets, max_size=40))


@st.composite
def rankings(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    options = draw(OPTIONS)
    return options, draw(st.lists(st.permutations(options), max_size=40))


@given(single_answers())
def test_single_choice_counts_match_and_shares_sum_to_one(
    case: tuple[list[str], list[str]],
) -> None:
    options, answers = case
    counts = choice_counts(options, [[a] for a in answers])
    assert sum(counts.values()) == len(answers)
    assert all(counts[o] == answers.count(o) for o in options)
    share = shares(counts, len(answers))
    if answers:
        assert abs(sum(share.values()) - 1) < 1e-9
    else:
        assert set(share.values()) == {0.0}


@given(multiple_answers())
def test_multiple_choice_shares_are_of_people(case: tuple[list[str], list[list[str]]]) -> None:
    options, answers = case
    counts = choice_counts(options, answers)
    assert sum(counts.values()) == sum(len(a) for a in answers)
    share = shares(counts, len(answers))
    assert all(0 <= s <= 1 for s in share.values())
    if answers:
        assert abs(sum(share.values()) - sum(len(a) for a in answers) / len(answers)) < 1e-9


@given(rankings())
def test_borda_scores_are_bounded_and_add_up(case: tuple[list[str], list[list[str]]]) -> None:
    options, ranked = case
    n, people = len(options), len(ranked)
    scores = borda(options, ranked)
    assert all(0 <= s <= (n - 1) * people for s in scores.values())
    assert sum(scores.values()) == people * n * (n - 1) // 2
    places = mean_ranks(options, ranked)
    if people:
        assert all(1 <= p <= n for p in places.values())
        # Borda score and mean place say the same: score = people·(n − mean place)
        assert all(abs(scores[o] - people * (n - places[o])) < 1e-6 for o in options)
    first = {r[0] for r in ranked}
    for option in options:
        if all(r[0] == option for r in ranked) and ranked:
            assert scores[option] == (n - 1) * people and first == {option}


@given(st.integers(1, 5).flatmap(lambda low: st.tuples(st.just(low), st.integers(low + 1, 11))),
       st.data())  # fmt: skip
def test_likert_distribution_and_mean(bounds: tuple[int, int], data: st.DataObject) -> None:
    low, high = bounds
    values = data.draw(st.lists(st.integers(low, high), max_size=60))
    counts = scale_counts(values, low, high)
    assert list(counts) == list(range(low, high + 1))
    assert sum(counts.values()) == len(values)
    average = mean(values)
    assert (average is None) == (not values)
    if average is not None:
        assert low <= average <= high


@settings(max_examples=60)
@given(single_answers(), st.integers(1, 10))
def test_no_breakdown_below_the_threshold(
    case: tuple[list[str], list[str]], threshold: int
) -> None:
    options, answers = case
    result = question_result(choice_question(options), answers, threshold=threshold)
    assert result.answered == len(answers)
    if len(answers) < threshold:
        assert not result.shown and result.options is None
    else:
        assert result.shown and result.options is not None
        assert sum(o.count for o in result.options) == len(answers)


@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(1, 5)), max_size=20))
def test_matrix_statements_below_the_threshold_show_no_mean(
    answers: list[dict[str, int]],
) -> None:
    question = QuestionSpec.model_validate(
        {
            "id": "m",
            "kind": "likert_matrix",
            "text": "?",
            "scale": {"min": 1, "max": 5},
            "statements": [{"id": s, "label": s} for s in "abc"],
        }
    )
    result = question_result(question, answers)
    if len(answers) < K_ANONYMITY:
        assert result.statements is None
        return
    assert result.statements is not None
    for statement in result.statements:
        given_ = [a[statement.id] for a in answers if statement.id in a]
        assert statement.answered == len(given_)
        if len(given_) < K_ANONYMITY:
            assert statement.mean is None and statement.distribution == []
        else:
            assert statement.mean == sum(given_) / len(given_)


# no longer than the wire allows (AnswerIn.ranking has at most 30 ids): that is refused earlier
RANKED = 30


@given(
    OPTIONS.flatmap(lambda o: st.tuples(st.just(o), st.lists(st.sampled_from(o), max_size=RANKED)))
)
def test_a_ranking_is_accepted_only_as_a_permutation(case: tuple[list[str], list[str]]) -> None:
    options, ranking = case
    question = choice_question(options, "ranking")
    answer = AnswerIn(question="q", ranking=ranking)
    try:
        values = check_answers([question], [answer])
    except Refused as refused:
        assert refused.code == "ranking_invalid" or (
            not ranking and refused.code == "answer_missing"
        )
        assert sorted(ranking) != sorted(options)
    else:
        assert sorted(ranking) == sorted(options) and values["q"] == ranking
