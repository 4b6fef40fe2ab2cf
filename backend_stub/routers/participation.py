"""Our own participation API (`/participation/v1`): surveys and barrier reports."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, func, select

from backend_stub.deps import NowDep, SessionDep
from backend_stub.errors import UNREADABLE_BODY, http_errors
from backend_stub.models import BarrierReport, IdempotencyRecord, Question, Survey

PARTICIPATION_BASE = "/participation/v1"

router = APIRouter(prefix=PARTICIPATION_BASE, tags=["participation"])


class SurveySummary(BaseModel):
    """A survey as listed."""

    id: str
    title: str
    description: str
    pillar: str = Field(description="governance | smart_city | data_economy")
    closes_at: datetime | None
    question_count: int


class QuestionPublic(BaseModel):
    """One question; kinds follow Decidim."""

    position: int
    kind: str = Field(description="single_choice | multiple_choice | ranking | matrix | free_text")
    text: str
    options: list[str]
    max_choices: int | None


class SurveyPublic(SurveySummary):
    """A survey with its questions."""

    questions: list[QuestionPublic]


class BarrierReportCreate(BaseModel):
    """An accessibility barrier someone met; anonymous by design (so no other fields)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    screen: str = Field(max_length=200)
    message: str = Field(min_length=3, max_length=4000)


class BarrierReportPublic(BaseModel):
    """The stored report's receipt."""

    id: int
    received_at: datetime


@router.get("/surveys")
def list_surveys(session: SessionDep) -> list[SurveySummary]:
    """The surveys that are open."""
    counts = dict(
        session.exec(
            select(Question.survey_id, func.count()).group_by(col(Question.survey_id))
        ).all()
    )
    return [
        SurveySummary(**s.model_dump(), question_count=counts.get(s.id, 0))
        for s in session.exec(select(Survey).order_by(col(Survey.id))).all()
    ]


@router.get("/surveys/{survey_id}", responses=http_errors({404: "No survey has this id."}))
def get_survey(
    survey_id: Annotated[str, Path(examples=["masterplan-prioritaeten"])], session: SessionDep
) -> SurveyPublic:
    """One survey with its questions."""
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise HTTPException(404, "survey not found")
    questions = session.exec(
        select(Question).where(Question.survey_id == survey_id).order_by(col(Question.position))
    ).all()
    return SurveyPublic(
        **survey.model_dump(),
        question_count=len(questions),
        questions=[
            QuestionPublic(
                position=q.position,
                kind=q.kind,
                text=q.text,
                options=json.loads(q.options),
                max_choices=q.max_choices,
            )
            for q in questions
        ],
    )


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
