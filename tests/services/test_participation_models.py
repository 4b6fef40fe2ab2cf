"""The app's participation models mirror the API's (the stub's `wire.py`) field for field, read
what the stub serves, ignore what they do not know, and turn malformed answers into BadData."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from backend_stub.participation import wire
from services.errors import BadData, Conflict
from services.hub import SourceUrls
from services.participation import models
from services.participation.client import ParticipationClient

pytestmark = pytest.mark.anyio

# app model -> the API's model it reads
MIRRORS: list[tuple[type[BaseModel], type[BaseModel]]] = [
    (models.Option, wire.Option),
    (models.Scale, wire.Scale),
    (models.Condition, wire.Condition),
    (models.Question, wire.QuestionPublic),
    (models.SurveySummary, wire.SurveySummary),
    (models.Survey, wire.SurveyPublic),
    (models.Measure, wire.MeasurePublic),
    (models.Pillar, wire.Pillar),
    (models.Receipt, wire.Receipt),
    (models.OptionResult, wire.OptionResult),
    (models.ScaleCount, wire.ScaleCount),
    (models.StatementResult, wire.StatementResult),
    (models.RankResult, wire.RankResult),
    (models.QuestionResult, wire.QuestionResult),
    (models.Results, wire.Results),
    (models.Event, wire.EventPublic),
]


@pytest.mark.parametrize(("mine", "theirs"), MIRRORS, ids=lambda m: m.__name__)
def test_every_field_of_the_api_has_its_namesake(
    mine: type[BaseModel], theirs: type[BaseModel]
) -> None:
    assert set(mine.model_fields) == set(theirs.model_fields)
    assert mine.model_config.get("extra") == "ignore"


def test_the_kinds_are_the_apis() -> None:
    assert models.Kind.__args__ == wire.Kind.__args__  # type: ignore[attr-defined]


def test_unknown_fields_are_ignored() -> None:
    question: dict[str, Any] = {
        "id": "q",
        "kind": "likert",
        "text": "Wie?",
        "scale": {"min": 1, "max": 3, "labels": ["a", "b", "c"], "colour": "red"},
        "position": 0,
        "hint": "new in a later API",
    }
    read = models.Question.model_validate(question)
    assert read.scale is not None and read.scale.values() == [1, 2, 3]
    assert read.scale.label(2) == "b" and read.scale.label(9) is None


async def test_the_client_reads_the_stub_into_models(
    stub_urls: SourceUrls, stub_transport: httpx.ASGITransport
) -> None:
    client = ParticipationClient(stub_urls.participation, transport=stub_transport)
    try:
        pillars = await client.measures()
        assert [p.id for p in pillars] == ["governance", "smart_city", "data_economy"]
        assert all(isinstance(m, models.Measure) for p in pillars for m in p.measures)
        survey = await client.survey("masterplan-prioritaeten")
        assert isinstance(survey, models.Survey) and survey.questions[0].options
        conditioned = survey.question("termine_fehlt")
        assert conditioned is not None and conditioned.condition == models.Condition(
            question="nutzen", option="termine"
        )
        event = await client.event("KDW7PX")
        assert [s.id for s in event.surveys] == ["smart-city-sensoren", "offene-daten"]
        results = await client.results("offene-daten")
        assert results.responses == 0 and results.threshold == 5
        assert results.questions[0].kind == "likert_matrix"
    finally:
        await client.aclose()


def malformed(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/measures"):
        return httpx.Response(200, json=[{"id": "governance"}])
    if request.url.path.endswith("/results"):
        return httpx.Response(200, json={"survey_id": "x"})
    if "/events/" in request.url.path:
        return httpx.Response(200, json=["not", "an", "event"])
    if request.url.path.endswith("/responses"):
        return httpx.Response(201, json={"receipt": 5})
    return httpx.Response(200, json={"id": "x", "title": "t", "pillar": "governance",
                                     "questions": [{"id": "q", "kind": "dance"}]})  # fmt: skip


async def test_malformed_answers_are_bad_data() -> None:
    client = ParticipationClient("http://p.test", transport=httpx.MockTransport(malformed))
    try:
        with pytest.raises(BadData):
            await client.measures()
        with pytest.raises(BadData):
            await client.survey("x")
        with pytest.raises(BadData):
            await client.event("ABC")
        with pytest.raises(BadData):
            await client.results("x")
        with pytest.raises(BadData):
            await client.send_response("x", {"answers": []}, "key-12345678")
    finally:
        await client.aclose()


async def test_a_refusal_carries_the_servers_code() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        detail = {"code": "survey_closed", "message": "the survey is closed", "question": None}
        return httpx.Response(409, json={"detail": detail})

    client = ParticipationClient("http://p.test", transport=httpx.MockTransport(refuse))
    try:
        with pytest.raises(Conflict) as refused:
            await client.send_response("x", {"answers": []}, "key-12345678")
        assert refused.value.code == "survey_closed"
        assert "survey_closed" in str(refused.value)
    finally:
        await client.aclose()
