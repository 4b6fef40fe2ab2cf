"""What the participation API answers, as the app reads it.

Field names and nesting mirror the stub's `backend_stub/participation/wire.py` (the API's
OpenAPI); unlike the server's request models these are tolerant: fields the app does not know
are ignored, so a newer server does not break an older app.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal[
    "single_choice", "multiple_choice", "likert", "likert_matrix", "ranking", "free_text"
]


class Tolerant(BaseModel):
    """An answer of the API: unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore")


class Option(Tolerant):
    """A choice, a ranked item or a statement of a matrix."""

    id: str
    label: str


class Scale(Tolerant):
    """A Likert scale: whole numbers from `min` to `max`, with a label for each (or none)."""

    min: int
    max: int
    labels: list[str] = Field(default_factory=list)

    def values(self) -> list[int]:
        """Every value of the scale, lowest first."""
        return list(range(self.min, self.max + 1))

    def label(self, value: int) -> str | None:
        """The label of `value`, if the scale labels its values."""
        index = value - self.min
        return self.labels[index] if self.labels and 0 <= index < len(self.labels) else None


class Condition(Tolerant):
    """Ask the question only when the earlier question `question` was answered with `option`
    (for multiple choice: among those chosen)."""

    question: str
    option: str


class Question(Tolerant):
    """One question of a survey, in its place."""

    id: str
    kind: Kind
    text: str
    required: bool = True
    options: list[Option] = Field(default_factory=list)
    statements: list[Option] = Field(default_factory=list)
    scale: Scale | None = None
    max_choices: int | None = None
    max_length: int | None = None
    condition: Condition | None = None
    position: int = 0


class SurveySummary(Tolerant):
    """A survey as listed."""

    id: str
    title: str
    description: str = ""
    pillar: str
    closes_at: datetime | None = None
    question_count: int = 0
    measure_id: str | None = None
    opens_at: datetime | None = None
    state: str = "open"  # upcoming | open | closed, on the server's clock
    access: str = "open"  # open | code (participation codes of a workshop only)


class Survey(SurveySummary):
    """A survey with its questions in order."""

    questions: list[Question] = Field(default_factory=list)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if the survey has one."""
        return next((q for q in self.questions if q.id == question_id), None)


class Measure(Tolerant):
    """A measure of the Masterplan Digitales Köln."""

    id: str
    pillar: str
    title: str
    description: str = ""
    status: str = "planned"  # planned | in_progress | done
    surveys: list[str] = Field(default_factory=list)  # ids of the surveys on this measure


class Pillar(Tolerant):
    """One of the masterplan's three pillars with its measures."""

    id: str
    title: str
    measures: list[Measure] = Field(default_factory=list)


class Receipt(Tolerant):
    """The server counted the answers (once); `receipt` is a random reference."""

    survey_id: str
    receipt: str
    received_at: datetime
    counted: bool = True


class OptionResult(Tolerant):
    """Answers naming one option: count, and share of the question's answers."""

    id: str
    label: str
    count: int
    share: float


class ScaleCount(Tolerant):
    """How often one value of a scale was given."""

    value: int
    label: str | None = None
    count: int
    share: float


class StatementResult(Tolerant):
    """One statement of a Likert matrix."""

    id: str
    label: str
    answered: int
    mean: float | None = None
    distribution: list[ScaleCount] = Field(default_factory=list)


class RankResult(Tolerant):
    """One item of a ranking: Borda score, mean place (1 = first), how often it came first."""

    id: str
    label: str
    borda: int
    mean_rank: float
    first: int


class QuestionResult(Tolerant):
    """The results of one question; below the threshold (`shown` false) only `answered`."""

    id: str
    kind: Kind
    text: str
    answered: int
    shown: bool
    options: list[OptionResult] | None = None
    mean: float | None = None
    distribution: list[ScaleCount] | None = None
    statements: list[StatementResult] | None = None
    ranking: list[RankResult] | None = None
    texts: list[str] | None = None  # free text: the answers moderation approved


class Results(Tolerant):
    """A survey's results."""

    survey_id: str
    title: str
    responses: int
    threshold: int
    questions: list[QuestionResult] = Field(default_factory=list)


class Event(Tolerant):
    """A workshop as people who joined it see it."""

    join_code: str
    title: str
    starts_at: datetime | None = None
    surveys: list[SurveySummary] = Field(default_factory=list)
