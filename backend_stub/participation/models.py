"""The participation tables. Lists and scales are kept as JSON text (the same on SQLite and
PostgreSQL); times are UTC.

Who answered and what was answered are kept apart on purpose: `Ballot` holds (survey,
participant hash) and nothing else, `Answer` holds the answers with random ids, no time and no
participant. Both are written in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Measure(SQLModel, table=True):
    """A measure of the Masterplan Digitales Köln."""

    __tablename__ = "participation_measure"

    id: str = Field(primary_key=True)  # slug
    pillar: str = Field(index=True)  # governance | smart_city | data_economy
    position: int
    title: str
    description: str
    status: str  # planned | in_progress | done


class Survey(SQLModel, table=True):
    """A survey on one measure (or on a pillar as a whole when `measure_id` is None)."""

    __tablename__ = "participation_survey"

    id: str = Field(primary_key=True)  # slug
    measure_id: str | None = Field(default=None, foreign_key="participation_measure.id")
    pillar: str
    title: str
    description: str
    opens_at: datetime
    closes_at: datetime | None = None
    # "open": everybody with a device token; "code": only participation codes of its events
    access: str = "open"


class Question(SQLModel, table=True):
    """One question of a survey; `key` names it within the survey (conditions refer to it)."""

    __tablename__ = "participation_question"

    id: int | None = Field(default=None, primary_key=True)
    survey_id: str = Field(foreign_key="participation_survey.id", index=True)
    key: str
    position: int
    kind: str  # single_choice | multiple_choice | likert | likert_matrix | ranking | free_text
    text: str
    required: bool = True
    options: str = "[]"  # JSON [[id, label], ...]: choices, ranked items
    statements: str = "[]"  # JSON [[id, label], ...]: the rows of a Likert matrix
    scale: str | None = None  # JSON {"min": 1, "max": 5, "labels": [...]}
    max_choices: int | None = None
    max_length: int | None = None
    condition_key: str | None = None  # shown only when that question was answered with ...
    condition_option: str | None = None  # ... this option


class Event(SQLModel, table=True):
    """A KölnDigital workshop: people join it with its code and answer its surveys."""

    __tablename__ = "participation_event"

    id: int | None = Field(default=None, primary_key=True)
    join_code: str = Field(unique=True, index=True)
    title: str
    starts_at: datetime | None = None


class EventSurvey(SQLModel, table=True):
    """A survey an event runs."""

    __tablename__ = "participation_event_survey"

    event_id: int = Field(primary_key=True, foreign_key="participation_event.id")
    survey_id: str = Field(primary_key=True, foreign_key="participation_survey.id")
    position: int = 0


class ParticipationCode(SQLModel, table=True):
    """A single-use code of an event, kept only as its hash: it counts as one participant,
    so it answers each survey of its event once."""

    __tablename__ = "participation_code"

    code_hash: str = Field(primary_key=True)
    event_id: int = Field(foreign_key="participation_event.id", index=True)


class Ballot(SQLModel, table=True):
    """Who has answered a survey: a keyed hash of the participant, nothing else (no time, no
    id in order of arrival, no link to the answers)."""

    __tablename__ = "participation_ballot"
    # SQLite would number rows in order of arrival (rowid), which would pair ballots with the
    # answers written in the same transaction: without rowid, rows lie in key order.
    __table_args__ = {"sqlite_with_rowid": False}

    survey_id: str = Field(primary_key=True, foreign_key="participation_survey.id")
    participant_hash: str = Field(primary_key=True)


class Answer(SQLModel, table=True):
    """One answer to one question, under a random id; no participant, no time.

    `value` is JSON: an option id, a list of option ids (multiple choice, ranking in order), a
    number (Likert), `{statement id: number}` (matrix) or the text. Free text waits for
    moderation (`moderation` pending → approved | rejected) before anybody else sees it.
    """

    __tablename__ = "participation_answer"
    __table_args__ = {"sqlite_with_rowid": False}  # no order of arrival (see `Ballot`)

    id: str = Field(primary_key=True)
    survey_id: str = Field(index=True, foreign_key="participation_survey.id")
    question_id: int = Field(index=True, foreign_key="participation_question.id")
    value: str
    moderation: str | None = None
