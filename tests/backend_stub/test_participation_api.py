"""The participation API on SQLite and on PostgreSQL: measures, surveys with every question type,
responses counted once, every refusal with its code, results that hide small breakdowns,
workshops with codes, moderation and export; and that nothing stored leads to a participant."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import inspect, text

from backend_stub.clock import FixedClock
from backend_stub.main import create_app
from tests.conftest import MONDAY_10, serving

ADMIN_TOKEN = "participation-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
BASE = "/participation/v1"

pytestmark = pytest.mark.anyio


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_10)


@pytest.fixture
def app(stub_database_url: str, clock: FixedClock) -> FastAPI:
    return create_app(stub_database_url, admin_token=ADMIN_TOKEN, clock=clock, queue_speed=0)


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    detail: dict[str, Any] = response.json()["detail"]
    assert detail["code"] == code, detail
    return detail


def token() -> str:
    return "device-" + uuid.uuid4().hex


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def full_answers(choice: str = "termine", satisfaction: int = 4) -> list[dict[str, Any]]:
    """A complete response to `masterplan-prioritaeten`."""
    answers: list[dict[str, Any]] = [
        {"question": "nutzen", "choice": choice},
        {"question": "genutzt", "choices": ["ozg", "termine"]},
        {"question": "zufriedenheit", "value": satisfaction},
        {"question": "hinweise", "text": "Bitte mehr Termine am Samstag."},
    ]
    if choice == "termine":
        answers.insert(1, {"question": "termine_fehlt", "text": "Erinnerung per SMS"})
    return answers


async def send(
    http: httpx.AsyncClient,
    answers: list[dict[str, Any]],
    survey: str = "masterplan-prioritaeten",
    *,
    participant: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body = {**(participant or {"device_token": token()}), "answers": answers}
    return await http.post(
        f"{BASE}/surveys/{survey}/responses", json=body, headers=headers or key()
    )


async def test_measures_by_pillar(http: httpx.AsyncClient) -> None:
    pillars = ok(await http.get(f"{BASE}/measures"))
    assert [p["title"] for p in pillars] == ["Digitale Verwaltung", "Smart City", "Datenökonomie"]
    measures = [m for p in pillars for m in p["measures"]]
    assert len(measures) >= 15
    assert {m["status"] for m in measures} == {"planned", "in_progress", "done"}
    assert all(m["description"] and m["pillar"] == p["id"] for p in pillars for m in p["measures"])
    lorawan = next(m for m in measures if m["id"] == "lorawan-sensornetz")
    assert lorawan["surveys"] == ["smart-city-sensoren"]


async def test_the_seed_surveys_use_every_question_type(http: httpx.AsyncClient) -> None:
    listed = ok(await http.get(f"{BASE}/surveys"))
    assert len(listed) == 3 and {s["state"] for s in listed} == {"open"}
    kinds = set()
    for summary in listed:
        survey = ok(await http.get(f"{BASE}/surveys/{summary['id']}"))
        assert len(survey["questions"]) == summary["question_count"]
        kinds |= {q["kind"] for q in survey["questions"]}
        assert any(q["condition"] for q in survey["questions"]) or summary["pillar"] == "smart_city"
    assert kinds == {
        "single_choice",
        "multiple_choice",
        "likert",
        "likert_matrix",
        "ranking",
        "free_text",
    }
    refused(await http.get(f"{BASE}/surveys/nope"), 404, "survey_unknown")


async def test_a_response_counts_once_per_key_and_per_device(http: httpx.AsyncClient) -> None:
    device = {"device_token": token()}
    headers = key()
    first = ok(await send(http, full_answers(), participant=device, headers=headers), 201)
    assert first["counted"] is True and first["survey_id"] == "masterplan-prioritaeten"
    replay = await send(http, full_answers(), participant=device, headers=headers)
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first
    # the same device again under a new key: refused, not counted
    refused(await send(http, full_answers(), participant=device), 409, "already_answered")
    # the same key for another survey
    other = [{"question": "reihenfolge", "ranking": ["wlan", "sensoren", "zwilling", "schulen"]}]
    refused(
        await send(http, other, "smart-city-sensoren", headers=headers),
        409,
        "idempotency_key_reused",
    )
    results = ok(await http.get(f"{BASE}/surveys/masterplan-prioritaeten/results"))
    assert results["responses"] == 1


def without(question: str) -> Any:
    return lambda answers: [a for a in answers if a["question"] != question]


def replaced(question: str, **answer: Any) -> Any:
    new = {"question": question, **answer}
    return lambda answers: [new if a["question"] == question else a for a in answers]


def added(**answer: Any) -> Any:
    return lambda answers: [*answers, answer]


ALL_FOUR = ["ozg", "termine", "transparenz", "urkunden"]


@pytest.mark.parametrize(
    ("change", "code", "question"),
    [
        (without("zufriedenheit"), "answer_missing", "zufriedenheit"),
        (without("termine_fehlt"), "answer_missing", "termine_fehlt"),
        (replaced("nutzen", choice="fax"), "choice_invalid", "nutzen"),
        (replaced("genutzt", choices=ALL_FOUR), "too_many_choices", "genutzt"),
        (replaced("genutzt", choices=["ozg", "ozg"]), "choice_invalid", "genutzt"),
        (replaced("zufriedenheit", value=6), "value_out_of_range", "zufriedenheit"),
        (replaced("hinweise", text="x" * 1001), "text_too_long", "hinweise"),
        (added(question="gibt-es-nicht", text="?"), "question_unknown", "gibt-es-nicht"),
        (added(question="nutzen", choice="kfz"), "answer_duplicate", "nutzen"),
        (replaced("nutzen", value=3), "answer_wrong_kind", "nutzen"),
    ],
)
async def test_invalid_answers_are_refused_with_their_reason(
    http: httpx.AsyncClient, change: Any, code: str, question: str
) -> None:
    detail = refused(await send(http, change(full_answers())), 400, code)
    assert detail["question"] == question and detail["message"]
    assert ok(await http.get(f"{BASE}/surveys/masterplan-prioritaeten/results"))["responses"] == 0


async def test_conditions_and_the_other_kinds(http: httpx.AsyncClient) -> None:
    # an answer to a question whose condition is not met
    answers = [*full_answers(choice="kfz"), {"question": "termine_fehlt", "text": "?"}]
    refused(await send(http, answers), 400, "answer_not_expected")
    ok(await send(http, full_answers(choice="kfz")), 201)  # not asked, so not missing
    matrix = {"verkehr": 5, "umwelt": 4, "haushalt": 2, "bauen": 3}
    data = [
        {"question": "wichtigkeit", "values": matrix},
        {"question": "nutzung", "choice": "privat"},
        {"question": "ki_plattform", "choice": "weiss_nicht"},
    ]
    ok(await send(http, data, "offene-daten"), 201)
    partial = [{"question": "wichtigkeit", "values": {"verkehr": 5}}, *data[1:]]
    refused(await send(http, partial, "offene-daten"), 400, "answer_missing")
    off_scale = [{"question": "wichtigkeit", "values": {**matrix, "bauen": 0}}, *data[1:]]
    refused(await send(http, off_scale, "offene-daten"), 400, "value_out_of_range")
    ranking = ["wlan", "sensoren", "zwilling", "schulen"]
    sensors = [
        {"question": "reihenfolge", "ranking": ranking},
        {"question": "sensordaten_helfen", "value": 4},
        {"question": "orte", "choices": ["rhein"]},
    ]
    ok(await send(http, sensors, "smart-city-sensoren"), 201)
    for wrong in (ranking[:3], [*ranking[:3], ranking[0]], [*ranking, "extra"]):
        bad = [{"question": "reihenfolge", "ranking": wrong}, *sensors[1:]]
        refused(await send(http, bad, "smart-city-sensoren"), 400, "ranking_invalid")
    neither = await http.post(
        f"{BASE}/surveys/offene-daten/responses", json={"answers": data}, headers=key()
    )
    refused(neither, 400, "participant_missing")
    missing_key = await http.post(
        f"{BASE}/surveys/offene-daten/responses",
        json={"device_token": token(), "answers": data},
    )
    assert missing_key.status_code == 422


async def test_closed_and_upcoming_surveys_refuse(
    http: httpx.AsyncClient, clock: FixedClock
) -> None:
    survey = {
        "id": "spaeter",
        "title": "Später",
        "pillar": "smart_city",
        "opens_at": (MONDAY_10 + timedelta(days=1)).isoformat(),
        "closes_at": (MONDAY_10 + timedelta(days=2)).isoformat(),
        "questions": [{"id": "a", "kind": "likert", "text": "Gut?", "scale": {"min": 1, "max": 5}}],
    }
    ok(await http.post(f"{BASE}/admin/surveys", json=survey, headers=ADMIN), 201)
    answer = [{"question": "a", "value": 3}]
    refused(await send(http, answer, "spaeter"), 409, "survey_not_open")
    clock.advance(timedelta(days=1, hours=1))
    ok(await send(http, answer, "spaeter"), 201)
    clock.advance(timedelta(days=1))
    refused(await send(http, answer, "spaeter"), 409, "survey_closed")
    listed = {s["id"]: s["state"] for s in ok(await http.get(f"{BASE}/surveys"))}
    assert listed["spaeter"] == "closed"


async def test_results_hide_breakdowns_below_five(http: httpx.AsyncClient) -> None:
    path = f"{BASE}/surveys/masterplan-prioritaeten/results"
    for n in range(4):
        ok(await send(http, full_answers(choice="termine", satisfaction=1 + n)), 201)
    four = ok(await http.get(path))
    assert four["responses"] == 4 and four["threshold"] == 5
    for q in four["questions"]:
        assert q["shown"] is False
        assert q["options"] is None and q["mean"] is None and q["distribution"] is None
    assert next(q for q in four["questions"] if q["id"] == "nutzen")["answered"] == 4
    ok(await send(http, full_answers(choice="kfz", satisfaction=5)), 201)
    five = {q["id"]: q for q in ok(await http.get(path))["questions"]}
    nutzen = {o["id"]: o for o in five["nutzen"]["options"]}
    assert nutzen["termine"]["count"] == 4 and nutzen["termine"]["share"] == 0.8
    assert five["zufriedenheit"]["mean"] == (1 + 2 + 3 + 4 + 5) / 5
    # four answered the conditional question: its total only
    assert five["termine_fehlt"]["answered"] == 4 and five["termine_fehlt"]["shown"] is False
    # free text is shown only once approved
    assert five["hinweise"]["shown"] is True and five["hinweise"]["texts"] == []
    texts = ok(
        await http.get(
            f"{BASE}/admin/surveys/masterplan-prioritaeten/free-text",
            params={"moderation": "pending"},
            headers=ADMIN,
        )
    )
    assert len(texts) == 9 and {t["moderation"] for t in texts} == {"pending"}
    hint = next(t for t in texts if t["question"] == "hinweise")
    moderated = await http.put(
        f"{BASE}/admin/free-text/{hint['id']}", json={"moderation": "approved"}, headers=ADMIN
    )
    assert ok(moderated)["moderation"] == "approved"
    after = {q["id"]: q for q in ok(await http.get(path))["questions"]}
    assert after["hinweise"]["texts"] == ["Bitte mehr Termine am Samstag."]
    assert (
        await http.put(
            f"{BASE}/admin/free-text/nope", json={"moderation": "approved"}, headers=ADMIN
        )
    ).status_code == 404


async def test_ranking_and_matrix_results(http: httpx.AsyncClient) -> None:
    orders = [
        ["wlan", "sensoren", "zwilling", "schulen"],
        ["wlan", "schulen", "sensoren", "zwilling"],
        ["sensoren", "wlan", "zwilling", "schulen"],
        ["wlan", "sensoren", "schulen", "zwilling"],
        ["zwilling", "wlan", "sensoren", "schulen"],
    ]
    for order in orders:
        answers = [
            {"question": "reihenfolge", "ranking": order},
            {"question": "sensordaten_helfen", "value": 3},
            {"question": "orte", "choices": ["rhein", "parks"]},
        ]
        ok(await send(http, answers, "smart-city-sensoren"), 201)
    results = {
        q["id"]: q
        for q in ok(await http.get(f"{BASE}/surveys/smart-city-sensoren/results"))["questions"]
    }
    ranking = results["reihenfolge"]["ranking"]
    wlan = ranking[0]
    assert wlan["id"] == "wlan"
    assert wlan["borda"] == 3 + 3 + 2 + 3 + 2 and wlan["first"] == 3 and wlan["mean_rank"] == 1.4
    assert sum(r["borda"] for r in ranking) == 5 * 6
    orte = {o["id"]: o["share"] for o in results["orte"]["options"]}
    assert orte == {"rhein": 1.0, "schulen": 0.0, "parks": 1.0, "verkehr": 0.0}


async def test_workshop_codes_join_and_single_use(http: httpx.AsyncClient) -> None:
    event = ok(await http.get(f"{BASE}/events/kdw-7px"))  # as typed from the projector
    assert [s["id"] for s in event["surveys"]] == ["smart-city-sensoren", "offene-daten"]
    refused(await http.get(f"{BASE}/events/ZZZZZZ"), 404, "event_unknown")
    created = ok(
        await http.post(
            f"{BASE}/admin/events",
            json={"title": "KölnDigital: Datenwerkstatt", "surveys": ["offene-daten"]},
            headers=ADMIN,
        ),
        201,
    )
    assert len(created["join_code"]) == 6
    assert ok(await http.get(f"{BASE}/events/{created['join_code'].lower()}"))["title"]
    made = ok(
        await http.post(
            f"{BASE}/admin/events/{created['id']}/codes", json={"count": 3}, headers=ADMIN
        ),
        201,
    )
    assert len(set(made["codes"])) == 3
    data = [
        {
            "question": "wichtigkeit",
            "values": {"verkehr": 5, "umwelt": 4, "haushalt": 2, "bauen": 3},
        },
        {"question": "nutzung", "choice": "nein"},
        {"question": "ki_plattform", "choice": "ja"},
    ]
    code = {"participation_code": made["codes"][0]}
    ok(await send(http, data, "offene-daten", participant=code), 201)
    refused(await send(http, data, "offene-daten", participant=code), 409, "code_used")
    unknown = {"participation_code": "AAAA-BBBB"}
    refused(await send(http, data, "offene-daten", participant=unknown), 400, "code_unknown")
    # a code of this workshop is no good for a survey it does not run
    other = {"participation_code": made["codes"][1]}
    refused(await send(http, full_answers(), participant=other), 400, "code_unknown")
    both = {"device_token": token(), "participation_code": made["codes"][1]}
    refused(await send(http, data, "offene-daten", participant=both), 400, "participant_missing")
    refused(
        await http.post(f"{BASE}/admin/events/999999/codes", json={"count": 1}, headers=ADMIN),
        404,
        "event_unknown",
    )


async def test_a_code_only_survey(http: httpx.AsyncClient) -> None:
    survey = {
        "id": "nur-mit-code",
        "title": "Nur im Workshop",
        "pillar": "data_economy",
        "measure_id": "transparenzportal",
        "opens_at": MONDAY_10.isoformat(),
        "access": "code",
        "questions": [
            {
                "id": "gut",
                "kind": "single_choice",
                "text": "Gut?",
                "options": [{"id": "ja", "label": "Ja"}, {"id": "nein", "label": "Nein"}],
            }
        ],
    }
    ok(await http.post(f"{BASE}/admin/surveys", json=survey, headers=ADMIN), 201)
    refused(
        await http.post(f"{BASE}/admin/surveys", json=survey, headers=ADMIN), 409, "survey_exists"
    )
    answer = [{"question": "gut", "choice": "ja"}]
    refused(await send(http, answer, "nur-mit-code"), 403, "code_required")
    event = ok(
        await http.post(
            f"{BASE}/admin/events", json={"title": "W", "surveys": ["nur-mit-code"]}, headers=ADMIN
        ),
        201,
    )
    [code] = ok(
        await http.post(
            f"{BASE}/admin/events/{event['id']}/codes", json={"count": 1}, headers=ADMIN
        ),
        201,
    )["codes"]
    ok(await send(http, answer, "nur-mit-code", participant={"participation_code": code}), 201)


LIKERT = {"min": 1, "max": 5}


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ({"kind": "single_choice", "options": [{"id": "x", "label": "X"}]}, "options_missing"),
        ({"kind": "likert"}, "scale_missing"),
        ({"kind": "likert", "scale": {"min": 3, "max": 2}}, "scale_invalid"),
        ({"kind": "likert_matrix", "scale": LIKERT}, "statements_missing"),
        ({"kind": "free_text", "condition": {"question": "z", "option": "x"}}, "condition_invalid"),
        ({"kind": "free_text", "max_choices": 2}, "max_choices_unexpected"),
    ],
)
async def test_admin_refuses_surveys_that_make_no_sense(
    http: httpx.AsyncClient, question: dict[str, Any], code: str
) -> None:
    survey = {
        "id": "kaputt",
        "title": "Kaputt",
        "pillar": "governance",
        "opens_at": MONDAY_10.isoformat(),
        "questions": [{"id": "a", "text": "?", **question}],
    }
    refused(await http.post(f"{BASE}/admin/surveys", json=survey, headers=ADMIN), 400, code)
    assert (await http.post(f"{BASE}/admin/surveys", json=survey)).status_code == 401


async def test_export_as_json_and_csv(http: httpx.AsyncClient) -> None:
    for n in range(2):
        ok(await send(http, full_answers(satisfaction=2 + n)), 201)
    exported = ok(
        await http.get(f"{BASE}/admin/surveys/masterplan-prioritaeten/results.json", headers=ADMIN)
    )
    assert exported["threshold"] == 1 and exported["responses"] == 2
    likert = next(q for q in exported["questions"] if q["id"] == "zufriedenheit")
    assert likert["mean"] == 2.5
    response = await http.get(
        f"{BASE}/admin/surveys/masterplan-prioritaeten/results.csv", headers=ADMIN
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    termine = next(r for r in rows if r["question"] == "nutzen" and r["item"] == "termine")
    assert termine["count"] == "2" and termine["share"] == "1.0000"
    assert {r["question"] for r in rows} >= {"nutzen", "genutzt", "zufriedenheit"}
    assert (
        await http.get(f"{BASE}/admin/surveys/masterplan-prioritaeten/results.csv")
    ).status_code == 401


async def test_nothing_stored_leads_to_the_participant(
    http: httpx.AsyncClient, app: FastAPI
) -> None:
    device = token()
    ok(await send(http, full_answers(), participant={"device_token": device}), 201)
    engine = app.state.engine
    columns = {
        table: {c["name"] for c in inspect(engine).get_columns(table)}
        for table in ("participation_ballot", "participation_answer")
    }
    assert columns["participation_ballot"] == {"survey_id", "participant_hash"}
    assert columns["participation_answer"] == {
        "id",
        "survey_id",
        "question_id",
        "value",
        "moderation",
    }
    with engine.connect() as connection:
        dump = json.dumps(
            [
                [list(row) for row in connection.execute(text(f"SELECT * FROM {table}"))]
                for table in inspect(engine).get_table_names()
            ],
            default=str,
        )
    assert device not in dump and "127.0.0.1" not in dump and "testclient" not in dump
    if engine.dialect.name == "sqlite":  # no rowid: rows do not lie in order of arrival
        with engine.connect() as connection:
            for table in ("participation_ballot", "participation_answer"):
                made = connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}
                ).scalar()
                assert "WITHOUT ROWID" in str(made)
