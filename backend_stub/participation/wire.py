"""Request and response models of the participation API (what its OpenAPI documents)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Kind = Literal[
    "single_choice", "multiple_choice", "likert", "likert_matrix", "ranking", "free_text"
]
PillarId = Literal["governance", "smart_city", "data_economy"]
Status = Literal["planned", "in_progress", "done"]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
Label = Annotated[str, StringConstraints(min_length=1, max_length=300)]

PILLAR_TITLES: dict[str, str] = {
    "governance": "Digitale Verwaltung",
    "smart_city": "Smart City",
    "data_economy": "Datenökonomie",
}


class Strict(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Option(Strict):
    """A choice, a ranked item or a statement of a matrix."""

    id: Key
    label: Label


class Scale(Strict):
    """A Likert scale: whole numbers from `min` to `max`, with a label for each (or none)."""

    min: int = Field(ge=0, le=10)
    max: int = Field(ge=1, le=11)
    labels: list[Label] = Field(default_factory=list, max_length=12)


class Condition(Strict):
    """Show the question only when the earlier question `question` was answered with `option`
    (one of its options; for multiple choice: among those chosen)."""

    question: Key
    option: Key


class QuestionSpec(Strict):
    """One question, as an admin writes it and as the app reads it."""

    id: Key
    kind: Kind
    text: Label
    required: bool = True
    options: list[Option] = Field(
        default_factory=list,
        max_length=30,
        description="choices (single/multiple choice) or the items to order (ranking)",
    )
    statements: list[Option] = Field(
        default_factory=list, max_length=30, description="rows of a Likert matrix"
    )
    scale: Scale | None = Field(default=None, description="Likert scale and Likert matrix")
    max_choices: int | None = Field(default=None, ge=1, le=30, description="multiple choice")
    max_length: int | None = Field(default=None, ge=1, le=10_000, description="free text")
    condition: Condition | None = None


class QuestionPublic(QuestionSpec):
    """A question of a survey, with its place."""

    model_config = ConfigDict(extra="ignore")

    position: int


class MeasurePublic(BaseModel):
    """A measure of the Masterplan Digitales Köln."""

    id: str
    pillar: PillarId
    title: str
    description: str
    status: Status
    surveys: list[str] = Field(description="ids of the surveys on this measure")


class Pillar(BaseModel):
    """One of the masterplan's three pillars with its measures."""

    id: PillarId
    title: str
    measures: list[MeasurePublic]


class SurveySummary(BaseModel):
    """A survey as listed."""

    id: str
    title: str
    description: str
    pillar: str = Field(description="governance | smart_city | data_economy")
    measure_id: str | None
    opens_at: datetime
    closes_at: datetime | None
    state: Literal["upcoming", "open", "closed"] = Field(description="on the server's clock")
    access: Literal["open", "code"] = Field(
        description="open: anybody with a device token; code: participation codes only"
    )
    question_count: int


class SurveyPublic(SurveySummary):
    """A survey with its questions in order."""

    questions: list[QuestionPublic]


class AnswerIn(Strict):
    """The answer to one question; fill the field of the question's kind only."""

    question: Key
    choice: Key | None = Field(default=None, description="single_choice: the option's id")
    choices: list[Key] | None = Field(
        default=None, max_length=30, description="multiple_choice: the chosen options' ids"
    )
    value: int | None = Field(default=None, ge=-1000, le=1000, description="likert")
    values: dict[str, Annotated[int, Field(ge=-1000, le=1000)]] | None = Field(
        default=None, max_length=30, description="likert_matrix: statement id → value"
    )
    ranking: list[Key] | None = Field(
        default=None, max_length=30, description="ranking: every option's id, best first"
    )
    text: str | None = Field(default=None, max_length=20_000, description="free_text")


class ResponseIn(Strict):
    """A person's answers to a survey. The participant is the app's device token (a random
    value the device keeps) or a participation code of an event; only a one-way hash of it
    is stored, apart from the answers."""

    device_token: str | None = Field(default=None, min_length=16, max_length=200)
    participation_code: str | None = Field(default=None, min_length=4, max_length=40)
    answers: list[AnswerIn] = Field(max_length=100)


class Receipt(BaseModel):
    """The answer was counted (once; a replay of its `Idempotency-Key` returns this again)."""

    survey_id: str
    receipt: str = Field(description="a random reference, linked to nothing stored")
    received_at: datetime
    counted: bool = True


class ProblemDetail(BaseModel):
    """What is wrong, for people and for programs."""

    code: str = Field(
        description="e.g. survey_closed, already_answered, code_unknown, answer_missing"
    )
    message: str
    question: str | None = Field(default=None, description="the question concerned, if one")


class Problem(BaseModel):
    """An error of the participation API (a string only when FastAPI itself could not read the
    body as JSON)."""

    detail: ProblemDetail | str


class OptionResult(BaseModel):
    """Answers naming one option: count, and share of the question's answers."""

    id: str
    label: str
    count: int
    share: float


class ScaleCount(BaseModel):
    """How often one value of a scale was given."""

    value: int
    label: str | None
    count: int
    share: float


class StatementResult(BaseModel):
    """One statement of a Likert matrix."""

    id: str
    label: str
    answered: int
    mean: float | None
    distribution: list[ScaleCount]


class RankResult(BaseModel):
    """One item of a ranking: Borda score (n−1 points for first place ... 0 for last),
    mean place (1 = first) and how often it came first."""

    id: str
    label: str
    borda: int
    mean_rank: float
    first: int


class QuestionResult(BaseModel):
    """The results of one question. Below the threshold (`shown` false) only `answered` is
    given: no breakdown of fewer answers than the threshold is ever shown."""

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
    texts: list[str] | None = Field(
        default=None, description="free text: the answers moderation approved"
    )


class Results(BaseModel):
    """A survey's results."""

    survey_id: str
    title: str
    responses: int
    threshold: int = Field(description="breakdowns of fewer answers are not shown")
    questions: list[QuestionResult]


class EventPublic(BaseModel):
    """A workshop as people who joined it see it."""

    join_code: str
    title: str
    starts_at: datetime | None
    surveys: list[SurveySummary]


# --- admin -----------------------------------------------------------------------------------


class SurveyCreate(Strict):
    """A new survey."""

    id: Slug
    title: Label
    description: str = Field(default="", max_length=4000)
    pillar: PillarId
    measure_id: str | None = Field(default=None, max_length=64)
    opens_at: datetime
    closes_at: datetime | None = None
    access: Literal["open", "code"] = "open"
    questions: list[QuestionSpec] = Field(min_length=1, max_length=60)


class EventCreate(Strict):
    """A new workshop; the join code is made by the server."""

    title: Label
    starts_at: datetime | None = None
    surveys: list[Slug] = Field(min_length=1, max_length=20)


class EventAdmin(BaseModel):
    """A workshop as its organisers see it."""

    id: int
    join_code: str
    title: str
    starts_at: datetime | None
    surveys: list[str]


class CodesRequest(Strict):
    """How many single-use participation codes to make."""

    count: int = Field(ge=1, le=1000)


class Codes(BaseModel):
    """New participation codes: shown this once, stored only as hashes."""

    event_id: int
    codes: list[str]


class FreeText(BaseModel):
    """A free-text answer for moderation."""

    id: str
    question: str
    text: str
    moderation: Literal["pending", "approved", "rejected"]


class Moderation(Strict):
    """The moderator's decision."""

    moderation: Literal["approved", "rejected"]


class CountsRow(BaseModel):
    """Counts for the operator."""

    responses: int
    answers: int
