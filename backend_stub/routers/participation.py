"""Our own participation API (`/participation/v1`): measures of the Masterplan Digitales Köln,
surveys, workshops, anonymous responses counted exactly once, results, barrier reports; and
its admin part (`/participation/v1/admin/...`, behind the admin token).

Errors of the participation routes answer `{"detail": {"code", "message", "question"}}`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from backend_stub.auth import ADMIN_ERRORS, require_admin
from backend_stub.deps import NowDep, SessionDep
from backend_stub.errors import UNREADABLE_BODY, documented, http_errors
from backend_stub.models import BarrierReport, IdempotencyRecord
from backend_stub.participation import codes, store
from backend_stub.participation.aggregate import K_ANONYMITY
from backend_stub.participation.models import (
    Answer,
    Event,
    EventSurvey,
    Measure,
    ParticipationCode,
    Question,
    Survey,
)
from backend_stub.participation.rules import Refused, check_questions
from backend_stub.participation.seed import question_rows
from backend_stub.participation.wire import (
    PILLAR_TITLES,
    Codes,
    CodesRequest,
    EventAdmin,
    EventCreate,
    EventPublic,
    FreeText,
    MeasurePublic,
    Moderation,
    Pillar,
    Problem,
    Receipt,
    ResponseIn,
    Results,
    SurveyCreate,
    SurveyPublic,
    SurveySummary,
)

PARTICIPATION_BASE = "/participation/v1"

router = APIRouter(prefix=PARTICIPATION_BASE, tags=["participation"])
admin_router = APIRouter(
    prefix="/admin",
    tags=["participation admin"],
    dependencies=[Depends(require_admin)],
    responses=ADMIN_ERRORS,
)

SurveyId = Annotated[str, Path(max_length=200, examples=["masterplan-prioritaeten"])]
NO_SURVEY = {404: "No survey has this id (`survey_unknown`)."}
UNREADABLE = "The body is not readable JSON (FastAPI's own check; `detail` is a string)."


def problem(refused: Refused) -> HTTPException:
    """The HTTP error of a refusal."""
    detail = {"code": refused.code, "message": refused.message, "question": refused.question}
    return HTTPException(refused.status, detail)


def problems(statuses: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """Statuses answered with `Problem`."""
    return documented(Problem, statuses)


def secret_of(request: Request) -> bytes:
    """The key of participant hashes, read once per process from the database."""
    kept: bytes | None = getattr(request.app.state, "participation_secret", None)
    if kept is None:
        kept = codes.participation_secret(request.app.state.engine)
        request.app.state.participation_secret = kept
    return kept


def survey_or_404(session: Session, survey_id: str) -> Survey:
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise problem(Refused(404, "survey_unknown", "no survey has this id"))
    return survey


# --- measures, surveys, events ---------------------------------------------------------------


@router.get("/measures")
def list_measures(session: SessionDep) -> list[Pillar]:
    """The measures of the Masterplan Digitales Köln, grouped by its three pillars."""
    surveys: dict[str, list[str]] = {}
    for survey_id, measure_id in session.exec(
        select(Survey.id, Survey.measure_id).order_by(col(Survey.id))
    ).all():
        if measure_id:
            surveys.setdefault(measure_id, []).append(survey_id)
    measures = session.exec(select(Measure).order_by(col(Measure.position))).all()
    return [
        Pillar(
            id=pillar,
            title=title,
            measures=[
                MeasurePublic(
                    id=m.id,
                    pillar=m.pillar,
                    title=m.title,
                    description=m.description,
                    status=m.status,
                    surveys=surveys.get(m.id, []),
                )
                for m in measures
                if m.pillar == pillar
            ],
        )
        for pillar, title in PILLAR_TITLES.items()
    ]


@router.get("/surveys")
def list_surveys(session: SessionDep, now: NowDep) -> list[SurveySummary]:
    """Every survey with its state (upcoming, open, closed) on the server's clock."""
    surveys = session.exec(select(Survey).order_by(col(Survey.id))).all()
    return store.summaries(session, surveys, now)


@router.get("/surveys/{survey_id}", responses=problems(NO_SURVEY))
def get_survey(survey_id: SurveyId, session: SessionDep, now: NowDep) -> SurveyPublic:
    """One survey with its questions in order. A question with a `condition` is asked only
    when the earlier question was answered with that option."""
    return store.public(session, survey_or_404(session, survey_id), now)


@router.post(
    "/surveys/{survey_id}/responses",
    status_code=201,
    response_model=Receipt,
    responses={
        200: {
            "model": Receipt,
            "description": "A replay of the `Idempotency-Key`: the first "
            "receipt again (header `Idempotent-Replayed: true`); nothing was counted again.",
        },
        **problems(
            {
                400: "The answers are not valid for this survey: a required answer missing, an "
                "unknown option, too many choices, a ranking that is not every item once, a "
                "value off the scale, a text too long, an answer to a question whose condition "
                "was not met, neither or both of device token and participation code, an "
                "unknown participation code. `detail.code` says which, `detail.question` where. "
                "(A string `detail`: the body is not readable JSON.)",
                403: "The survey takes participation codes only (`code_required`).",
                404: NO_SURVEY[404],
                409: "Not now or not again: `survey_not_open`, `survey_closed`, "
                "`already_answered` (this device answered before), `code_used`, or "
                "`idempotency_key_reused` (the key was used for another survey).",
                503: "The database was too busy; send again with the same key (`busy`).",
            }
        ),
    },
)
def submit_response(
    survey_id: SurveyId,
    response: ResponseIn,
    request: Request,
    now: NowDep,
    idempotency_key: Annotated[
        str, Header(min_length=8, max_length=100, description="a random key per submission")
    ],
) -> Any:
    """Count a person's answers once per `Idempotency-Key` and once per participant.

    Only a keyed one-way hash of the device token or participation code is stored, in a table
    of its own without time; the answers are stored without participant or time.
    """
    try:
        receipt, replayed = store.submit(
            request.app.state.engine, secret_of(request), survey_id, response, idempotency_key, now
        )
    except Refused as refused:
        raise problem(refused) from None
    if replayed:
        return JSONResponse(
            json.loads(receipt.model_dump_json()),
            status_code=200,
            headers={"Idempotent-Replayed": "true"},
        )
    return receipt


@router.get("/surveys/{survey_id}/results", responses=problems(NO_SURVEY))
def survey_results(survey_id: SurveyId, session: SessionDep) -> Results:
    """Results per question: counts and shares per option, mean and distribution of Likert
    questions (per statement of a matrix), Borda scores of rankings, approved free texts. A
    question (or matrix statement) with fewer than five answers shows its total only."""
    return store.results(session, survey_or_404(session, survey_id), K_ANONYMITY)


@router.get(
    "/events/{join_code}",
    responses=problems({404: "No workshop has this join code (`event_unknown`)."}),
)
def get_event(
    join_code: Annotated[str, Path(max_length=40, examples=["KDW7PX"])],
    session: SessionDep,
    now: NowDep,
) -> EventPublic:
    """Join a workshop by its code (as typed: case, spaces and dashes do not matter)."""
    event = session.exec(
        select(Event).where(Event.join_code == codes.normalise_code(join_code))
    ).first()
    if event is None:
        raise problem(Refused(404, "event_unknown", "no workshop has this code"))
    surveys = session.exec(
        select(Survey)
        .join(EventSurvey, col(EventSurvey.survey_id) == col(Survey.id))
        .where(EventSurvey.event_id == event.id)
        .order_by(col(EventSurvey.position))
    ).all()
    return EventPublic(
        join_code=event.join_code,
        title=event.title,
        starts_at=store.utc(event.starts_at) if event.starts_at else None,
        surveys=store.summaries(session, surveys, now),
    )


# --- barrier reports -------------------------------------------------------------------------


class BarrierReportCreate(BaseModel):
    """An accessibility barrier someone met; anonymous by design (so no other fields)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    screen: str = Field(max_length=200)
    message: str = Field(min_length=3, max_length=4000)


class BarrierReportPublic(BaseModel):
    """The stored report's receipt."""

    id: int
    received_at: datetime


@router.post(
    "/barrier-reports",
    status_code=201,
    response_model=BarrierReportPublic,
    responses={
        **UNREADABLE_BODY,
        **http_errors({409: "The `Idempotency-Key` was used for another kind of request."}),
    },
)
def create_barrier_report(
    report: BarrierReportCreate,
    session: SessionDep,
    now: NowDep,
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> Any:
    """Store a barrier report once per `Idempotency-Key`; a retry gets the first answer again."""
    if idempotency_key:
        seen = session.get(IdempotencyRecord, idempotency_key)
        if seen is not None:
            if seen.scope != "barrier-reports":
                raise HTTPException(409, "idempotency key used for another request")
            return JSONResponse(
                json.loads(seen.body),
                status_code=seen.status_code,
                headers={"Idempotent-Replayed": "true"},
            )
    row = BarrierReport(screen=report.screen, message=report.message, created_at=now)
    session.add(row)
    session.flush()
    assert row.id is not None
    receipt = BarrierReportPublic(id=row.id, received_at=now)
    if idempotency_key:
        session.add(
            IdempotencyRecord(
                key=idempotency_key,
                scope="barrier-reports",
                status_code=201,
                body=receipt.model_dump_json(),
                created_at=now,
            )
        )
    session.commit()
    return receipt


# --- admin -----------------------------------------------------------------------------------


@admin_router.post(
    "/surveys",
    status_code=201,
    responses=problems(
        {
            400: "The questions do not fit together (`detail.code` says how), a time is out of "
            "range, or the measure is unknown (`measure_unknown`). " + UNREADABLE,
            409: "A survey with this id exists (`survey_exists`).",
        }
    ),
)
def create_survey(body: SurveyCreate, session: SessionDep, now: NowDep) -> SurveyPublic:
    """A new survey with its questions."""
    try:
        check_questions(body.questions)
        opens_at = store.stored(body.opens_at)
        closes_at = store.stored(body.closes_at) if body.closes_at else None
        if closes_at is not None and closes_at <= opens_at:
            raise Refused(400, "time_invalid", "the survey must close after it opens")
        if body.measure_id is not None and session.get(Measure, body.measure_id) is None:
            raise Refused(400, "measure_unknown", "no measure has this id")
        if session.get(Survey, body.id) is not None:
            raise Refused(409, "survey_exists", "a survey with this id exists")
    except Refused as refused:
        raise problem(refused) from None
    survey = Survey(
        id=body.id,
        measure_id=body.measure_id,
        pillar=body.pillar,
        title=body.title,
        description=body.description,
        opens_at=opens_at,
        closes_at=closes_at,
        access=body.access,
    )
    session.add(survey)
    session.flush()
    session.add_all(question_rows(body.id, list(body.questions)))
    try:
        session.commit()
    except Exception as error:  # another admin made the same id meanwhile
        session.rollback()
        if session.get(Survey, body.id) is not None:
            raise problem(Refused(409, "survey_exists", "a survey with this id exists")) from None
        raise error
    return store.public(session, survey, now)


@admin_router.post(
    "/events",
    status_code=201,
    responses=problems(
        {
            400: UNREADABLE + " Or a time out of range (`time_invalid`).",
            404: "A survey named is unknown (`survey_unknown`).",
        }
    ),
)
def create_event(body: EventCreate, session: SessionDep) -> EventAdmin:
    """A new workshop running these surveys, with a join code made by the server."""
    for survey_id in body.surveys:
        survey_or_404(session, survey_id)
    try:
        starts_at = store.stored(body.starts_at) if body.starts_at else None
    except Refused as refused:
        raise problem(refused) from None
    join_code = codes.new_code(codes.JOIN_CODE_LENGTH)
    while session.exec(select(Event).where(Event.join_code == join_code)).first() is not None:
        join_code = codes.new_code(codes.JOIN_CODE_LENGTH)
    event = Event(title=body.title, join_code=join_code, starts_at=starts_at)
    session.add(event)
    session.flush()
    assert event.id is not None
    unique = list(dict.fromkeys(body.surveys))
    for position, survey_id in enumerate(unique):
        session.add(EventSurvey(event_id=event.id, survey_id=survey_id, position=position))
    session.commit()
    return EventAdmin(
        id=event.id,
        join_code=join_code,
        title=event.title,
        starts_at=store.utc(starts_at) if starts_at else None,
        surveys=unique,
    )


@admin_router.post(
    "/events/{event_id}/codes",
    status_code=201,
    responses=problems({400: UNREADABLE, 404: "No workshop has this id (`event_unknown`)."}),
)
def create_codes(
    event_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: CodesRequest,
    request: Request,
    session: SessionDep,
) -> Codes:
    """Single-use participation codes for a workshop: each answers each of its surveys once.
    They are shown only now; the server keeps their hashes."""
    if session.get(Event, event_id) is None:
        raise problem(Refused(404, "event_unknown", "no workshop has this id"))
    secret = secret_of(request)
    made: dict[str, str] = {}
    while len(made) < body.count:
        code = codes.new_code(codes.PARTICIPATION_CODE_LENGTH)
        made[codes.code_hash(secret, code)] = code
    for digest in made:
        session.add(ParticipationCode(code_hash=digest, event_id=event_id))
    session.commit()
    return Codes(event_id=event_id, codes=[codes.grouped(c) for c in made.values()])


@admin_router.get("/surveys/{survey_id}/free-text", responses=problems(NO_SURVEY))
def free_texts(
    survey_id: SurveyId,
    session: SessionDep,
    moderation: Annotated[str | None, Query(pattern="^(pending|approved|rejected)$")] = None,
) -> list[FreeText]:
    """The survey's free-text answers for moderation (all, or those in one state)."""
    survey_or_404(session, survey_id)
    query = (
        select(Answer, Question.key)
        .join(Question, col(Question.id) == col(Answer.question_id))
        .where(Answer.survey_id == survey_id, Question.kind == "free_text")
        .order_by(col(Answer.id))
    )
    if moderation:
        query = query.where(Answer.moderation == moderation)
    return [
        FreeText(
            id=answer.id,
            question=key,
            text=json.loads(answer.value),
            moderation=answer.moderation or "pending",
        )
        for answer, key in session.exec(query).all()
    ]


@admin_router.put(
    "/free-text/{answer_id}",
    responses=problems(
        {400: UNREADABLE, 404: "No free-text answer has this id (`answer_unknown`)."}
    ),
)
def moderate(
    answer_id: Annotated[str, Path(max_length=64)], body: Moderation, session: SessionDep
) -> FreeText:
    """Approve a free-text answer (then the results show it) or reject it."""
    answer = session.get(Answer, answer_id)
    question = session.get(Question, answer.question_id) if answer else None
    if answer is None or question is None or question.kind != "free_text":
        raise problem(Refused(404, "answer_unknown", "no free-text answer has this id"))
    answer.moderation = body.moderation
    session.add(answer)
    session.commit()
    return FreeText(
        id=answer.id, question=question.key, text=json.loads(answer.value),
        moderation=body.moderation,
    )  # fmt: skip


@admin_router.get("/surveys/{survey_id}/results.json", responses=problems(NO_SURVEY))
def export_json(survey_id: SurveyId, session: SessionDep) -> Results:
    """The results for the city's own analysis: every count, also of fewer than five answers
    (no answer is ever exported with others of the same person: they are not linked)."""
    return store.results(session, survey_or_404(session, survey_id), threshold=1)


@admin_router.get(
    "/surveys/{survey_id}/results.csv",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "One row per option, scale value, statement value, ranked item or "
            "approved text.",
        },
        **problems(NO_SURVEY),
    },
)
def export_csv(survey_id: SurveyId, session: SessionDep) -> Response:
    """The results as CSV (UTF-8, comma-separated), like `results.json`."""
    results = store.results(session, survey_or_404(session, survey_id), threshold=1)
    return Response(
        store.results_csv(results),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{survey_id}-results.csv"'},
    )


router.include_router(admin_router)
