"""Counting answers: pure functions, tested with hypothesis (tests/backend_stub/
test_participation_aggregation.py).

Nothing below the threshold (`K_ANONYMITY`, 5 answers) is broken down: a results wall in a
room of six must not show how the two people at table three answered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from backend_stub.participation.wire import (
    OptionResult,
    QuestionResult,
    QuestionSpec,
    RankResult,
    ScaleCount,
    StatementResult,
)

K_ANONYMITY = 5


def choice_counts(options: Sequence[str], answers: Sequence[Sequence[str]]) -> dict[str, int]:
    """How many answers name each option (an answer names each option at most once)."""
    counted = Counter(option for answer in answers for option in set(answer))
    return {option: counted.get(option, 0) for option in options}


def shares(counts: Mapping[Any, int], total: int) -> dict[Any, float]:
    """Each count as a share of `total` (0 when nothing was answered)."""
    return {key: (count / total if total else 0.0) for key, count in counts.items()}


def scale_counts(values: Sequence[int], low: int, high: int) -> dict[int, int]:
    """How often each value from `low` to `high` was given."""
    counted = Counter(values)
    return {value: counted.get(value, 0) for value in range(low, high + 1)}


def mean(values: Sequence[int]) -> float | None:
    """The arithmetic mean, None without values."""
    return sum(values) / len(values) if values else None


def borda(options: Sequence[str], rankings: Sequence[Sequence[str]]) -> dict[str, int]:
    """Borda scores: of n items, the first of a ranking gets n−1 points, the last 0."""
    n = len(options)
    scores = dict.fromkeys(options, 0)
    for ranking in rankings:
        for place, option in enumerate(ranking):
            scores[option] += n - 1 - place
    return scores


def mean_ranks(options: Sequence[str], rankings: Sequence[Sequence[str]]) -> dict[str, float]:
    """The mean place of each item (1 = first); 0 without rankings."""
    total = dict.fromkeys(options, 0)
    for ranking in rankings:
        for place, option in enumerate(ranking, start=1):
            total[option] += place
    return {o: (total[o] / len(rankings) if rankings else 0.0) for o in options}


def shown(answered: int, threshold: int = K_ANONYMITY) -> bool:
    """Whether a breakdown of `answered` answers may be shown."""
    return answered >= threshold


def question_result(
    question: QuestionSpec,
    values: Sequence[Any],
    *,
    approved_texts: Sequence[str] = (),
    threshold: int = K_ANONYMITY,
) -> QuestionResult:
    """The result of one question from its answers' values (as stored, decoded)."""
    answered = len(values)
    result = QuestionResult(
        id=question.id,
        kind=question.kind,
        text=question.text,
        answered=answered,
        shown=shown(answered, threshold),
    )
    if not result.shown:
        return result
    labels = {o.id: o.label for o in question.options}
    if question.kind in ("single_choice", "multiple_choice"):
        picked = [[v] if isinstance(v, str) else list(v) for v in values]
        counts = choice_counts(list(labels), picked)
        share = shares(counts, answered)
        result.options = [
            OptionResult(id=o, label=labels[o], count=counts[o], share=share[o]) for o in labels
        ]
    elif question.kind == "likert":
        assert question.scale is not None
        result.mean = mean(values)
        result.distribution = _distribution(question, values)
    elif question.kind == "likert_matrix":
        assert question.scale is not None
        rows = []
        for statement in question.statements:
            given = [v[statement.id] for v in values if statement.id in v]
            visible = shown(len(given), threshold)
            rows.append(
                StatementResult(
                    id=statement.id,
                    label=statement.label,
                    answered=len(given),
                    mean=mean(given) if visible else None,
                    distribution=_distribution(question, given) if visible else [],
                )
            )
        result.statements = rows
    elif question.kind == "ranking":
        order = list(labels)
        scores = borda(order, values)
        places = mean_ranks(order, values)
        firsts = Counter(v[0] for v in values if v)
        ranked = sorted(order, key=lambda o: (-scores[o], order.index(o)))
        result.ranking = [
            RankResult(
                id=o, label=labels[o], borda=scores[o], mean_rank=places[o], first=firsts.get(o, 0)
            )
            for o in ranked
        ]
    else:  # free text: only what moderation approved
        result.texts = list(approved_texts)
    return result


def _distribution(question: QuestionSpec, values: Sequence[int]) -> list[ScaleCount]:
    assert question.scale is not None
    low, high, labels = question.scale.min, question.scale.max, question.scale.labels
    counts = scale_counts(values, low, high)
    share = shares(counts, len(values))
    return [
        ScaleCount(
            value=value,
            label=labels[value - low] if len(labels) == high - low + 1 else None,
            count=count,
            share=share[value],
        )
        for value, count in counts.items()
    ]
