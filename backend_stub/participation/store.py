"""Reading and writing the participation tables: surveys as the API shows them, a submission
counted exactly once, results."""

from __future__ import annotations

import json
import secrets
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, func, select

from backend_stub.models import IdempotencyRecord
from backend_stub.participation import codes
from backend_stub.participation.aggregate import K_ANONYMITY, question_result
from backend_stub.participation.models import (
    Answer,
    Ballot,
    EventSurvey,
    ParticipationCode,
    Question,
    Survey,
)
from backend_stub.participation.rules import Refused, check_answers
from backend_stub.participation.wire import (
    QuestionPublic,
    QuestionSpec,
    Receipt,
    ResponseIn,
    Results,
    SurveyPublic,
    SurveySummary,
)

ATTEMPTS = 8  # a write that lost a race (SQLite busy, a PostgreSQL deadlock) is tried again
IDEMPOTENCY_SCOPE = "participation-response:"


def utc(moment: datetime) -> datetime:
    """A time from the database (naive UTC) or a request, as aware UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def stored(moment: datetime) -> datetime:
    """A time as the tables take it: aware UTC (a naive time in a request is taken as UTC)."""
    try:
        return utc(moment)
    except (OverflowError, ValueError):
        raise Refused(400, "time_invalid", "the time is out of range") from None


def spec(row: Question) -> QuestionPublic:
    """A question row as the API shows it."""
    condition = (
        {"question": row.condition_key, "option": row.condition_option}
        if row.condition_key and row.condition_option
        else None
    )
    return QuestionPublic.model_validate(
        {
            "id": row.key,
            "position": row.position,
            "kind": row.kind,
            "text": row.text,
            "required": row.required,
            "options": [{"id": i, "label": label} for i, label in json.loads(row.options)],
            "statements": [{"id": i, "label": label} for i, label in json.loads(row.statements)],
            "scale": json.loads(row.scale) if row.scale else None,
            "max_choices": row.max_choices,
            "max_length": row.max_length,
            "condition": condition,
        }
    )


def question_rows(session: Session, survey_id: str) -> list[Question]:
    """A survey's questions in order."""
    return list(
        session.exec(
            select(Question).where(Question.survey_id == survey_id).order_by(col(Question.position))
        ).all()
    )


def state(survey: Survey, now: datetime) -> Literal["upcoming", "open", "closed"]:
    """Whether the survey takes answers at `now`."""
    if now < utc(survey.opens_at):
        return "upcoming"
    if survey.closes_at is not None and now >= utc(survey.closes_at):
        return "closed"
    return "open"


def summary(survey: Survey, question_count: int, now: datetime) -> SurveySummary:
    """A survey as listed."""
    return SurveySummary(
        id=survey.id,
        title=survey.title,
        description=survey.description,
        pillar=survey.pillar,
        measure_id=survey.measure_id,
        opens_at=utc(survey.opens_at),
        closes_at=utc(survey.closes_at) if survey.closes_at else None,
        state=state(survey, now),
        access="code" if survey.access == "code" else "open",
        question_count=question_count,
    )


def summaries(session: Session, surveys: Sequence[Survey], now: datetime) -> list[SurveySummary]:
    """Several surveys as listed, with one count query."""
    counts: dict[str, int] = dict(
        session.exec(
            select(Question.survey_id, func.count()).group_by(col(Question.survey_id))
        ).all()
    )
    return [summary(s, counts.get(s.id, 0), now) for s in surveys]


def public(session: Session, survey: Survey, now: datetime) -> SurveyPublic:
    """A survey with its questions."""
    questions = [spec(q) for q in question_rows(session, survey.id)]
    listed = summary(survey, len(questions), now)
    return SurveyPublic(**listed.model_dump(), questions=questions)


def submit(
    engine: Engine, secret: bytes, survey_id: str, body: ResponseIn, key: str, now: datetime
) -> tuple[Receipt, bool]:
    """Count `body` once: per idempotency key (a replay gets the first receipt, and True) and
    per participant. Ballot, answers and the key's record are written in one transaction; the
    database's keys decide races, and a race lost is tried again, to find the winner's record.
    """
    for attempt in range(ATTEMPTS):
        try:
            with Session(engine) as session:
                return _submit_once(session, secret, survey_id, body, key, now)
        except Refused as refused:
            if refused.code not in ("already_answered", "code_used"):
                raise
            # The ballot may be this very submission's, committed by a request with the same
            # key after this one looked for the key: its record came in the same commit.
            with Session(engine) as session:
                seen = session.get(IdempotencyRecord, key)
                if seen is not None and seen.scope == IDEMPOTENCY_SCOPE + survey_id:
                    return Receipt.model_validate_json(seen.body), True
            raise
        except IntegrityError:
            continue  # the same key or participant was written meanwhile: look again
        except OperationalError:
            time.sleep(0.01 * 2**attempt + secrets.randbelow(10) / 1000)
    raise Refused(503, "busy", "the server is busy; send the answers again")


def _submit_once(
    session: Session, secret: bytes, survey_id: str, body: ResponseIn, key: str, now: datetime
) -> tuple[Receipt, bool]:
    scope = IDEMPOTENCY_SCOPE + survey_id
    seen = session.get(IdempotencyRecord, key)
    if seen is not None:
        if seen.scope != scope:
            raise Refused(
                409, "idempotency_key_reused", "this Idempotency-Key was used for another request"
            )
        return Receipt.model_validate_json(seen.body), True
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise Refused(404, "survey_unknown", "no survey has this id")
    match state(survey, now):
        case "upcoming":
            raise Refused(409, "survey_not_open", "the survey is not open yet")
        case "closed":
            raise Refused(409, "survey_closed", "the survey is closed")
    participant = _participant(session, secret, survey, body)
    rows = question_rows(session, survey_id)
    values = check_answers([spec(q) for q in rows], body.answers)
    ballot_hash = codes.participant_hash(secret, survey_id, participant)
    if session.get(Ballot, (survey_id, ballot_hash)) is not None:
        if participant.startswith("code:"):
            raise Refused(409, "code_used", "this participation code has answered this survey")
        raise Refused(409, "already_answered", "this device has answered this survey already")
    by_key = {q.key: q for q in rows}
    receipt = Receipt(survey_id=survey_id, receipt=secrets.token_urlsafe(12), received_at=now)
    session.add(Ballot(survey_id=survey_id, participant_hash=ballot_hash))
    for question_key, value in values.items():
        question = by_key[question_key]
        assert question.id is not None
        session.add(
            Answer(
                id=secrets.token_hex(16),  # random: the order of arrival is not kept
                survey_id=survey_id,
                question_id=question.id,
                value=json.dumps(value, ensure_ascii=False),
                moderation="pending" if question.kind == "free_text" else None,
            )
        )
    session.add(
        IdempotencyRecord(
            key=key,
            scope=scope,
            status_code=201,
            body=receipt.model_dump_json(),
            created_at=now,
        )
    )
    session.commit()
    return receipt, False


def _participant(session: Session, secret: bytes, survey: Survey, body: ResponseIn) -> str:
    """Who answers: the device token, or the participation code (checked against its event)."""
    if (body.device_token is None) == (body.participation_code is None):
        raise Refused(
            400, "participant_missing", "send either a device token or a participation code"
        )
    if body.device_token is not None:
        if survey.access == "code":
            raise Refused(403, "code_required", "this survey takes participation codes only")
        return "device:" + body.device_token
    typed = codes.normalise_code(body.participation_code or "")
    found = session.get(ParticipationCode, codes.code_hash(secret, typed))
    runs = found is not None and session.get(EventSurvey, (found.event_id, survey.id)) is not None
    if not runs:
        raise Refused(400, "code_unknown", "this participation code is not valid for this survey")
    return "code:" + typed


def results(session: Session, survey: Survey, threshold: int = K_ANONYMITY) -> Results:
    """The survey's results; no breakdown of fewer than `threshold` answers."""
    rows = question_rows(session, survey.id)
    values: dict[int, list[Any]] = defaultdict(list)
    approved: dict[int, list[str]] = defaultdict(list)
    for question_id, value, moderation in session.exec(
        select(Answer.question_id, Answer.value, Answer.moderation)
        .where(Answer.survey_id == survey.id)
        .order_by(col(Answer.id))
    ).all():
        decoded = json.loads(value)
        values[question_id].append(decoded)
        if moderation == "approved":
            approved[question_id].append(decoded)
    responses = session.exec(
        select(func.count()).select_from(Ballot).where(Ballot.survey_id == survey.id)
    ).one()
    questions = []
    for row in rows:
        assert row.id is not None
        question: QuestionSpec = spec(row)
        questions.append(
            question_result(
                question,
                values[row.id],
                approved_texts=sorted(approved[row.id]),
                threshold=threshold,
            )
        )
    return Results(
        survey_id=survey.id,
        title=survey.title,
        responses=responses,
        threshold=threshold,
        questions=questions,
    )


def results_csv(results: Results) -> str:
    """Results as CSV: one row per option, scale value, statement value, ranked item or text."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["question", "kind", "answered", "item", "label", "value", "count", "share", "mean",
         "borda", "mean_rank"]
    )  # fmt: skip
    for q in results.questions:
        base = [q.id, q.kind, q.answered]
        for o in q.options or []:
            writer.writerow([*base, o.id, o.label, "", o.count, f"{o.share:.4f}", "", "", ""])
        for d in q.distribution or []:
            mean = f"{q.mean:.4f}" if q.mean is not None else ""
            row = ["", d.label or "", d.value, d.count, f"{d.share:.4f}", mean, "", ""]
            writer.writerow([*base, *row])
        for s in q.statements or []:
            mean = f"{s.mean:.4f}" if s.mean is not None else ""
            for d in s.distribution:
                row = [s.id, s.label, d.value, d.count, f"{d.share:.4f}", mean, "", ""]
                writer.writerow([*base, *row])
        for r in q.ranking or []:
            row = [r.id, r.label, "", r.first, "", "", r.borda, f"{r.mean_rank:.4f}"]
            writer.writerow([*base, *row])
        for text in q.texts or []:
            writer.writerow([*base, "", text, "", "", "", "", "", ""])
    return out.getvalue()
