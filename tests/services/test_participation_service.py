"""Taking part, as the app does it, against the stub in-process: answers stored first and sent
through the outbox, counted exactly once (also after a lost answer or while offline), refusals
told in words, shared devices keeping nothing, "delete my data" taking the token too."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.wiring import build_services
from services.clock import FixedClock
from services.errors import NotFound, Offline, Rejected
from services.hub import AppServices, SourceUrls
from services.local_store import SCHEMA_VERSION, open_store
from services.participation.answers import Answers, problems
from services.participation.models import Survey
from services.participation.service import (
    MESSAGES,
    NO_LONGER_FITTING,
    RESPONSE,
    TOKEN_KEY,
    AnswersInvalid,
    Participation,
    message_for,
)
from tests.conftest import ADMIN_TOKEN

pytestmark = pytest.mark.anyio

ANNA = "anna-" + "a" * 20
BERT = "bert-" + "b" * 20
BASE = "/participation/v1"

# valid answers to each seeded survey; together they answer every kind of question
VALID: dict[str, Answers] = {
    "masterplan-prioritaeten": {
        "nutzen": "termine",
        "termine_fehlt": "  Erinnerungen per SMS  ",
        "genutzt": ["ozg", "termine"],
        "zufriedenheit": 4,
    },
    "offene-daten": {
        "wichtigkeit": {"verkehr": 5, "umwelt": 4, "haushalt": 2, "bauen": 3},
        "nutzung": "beruflich",
        "wofuer": "Eine App für Radwege",
        "ki_plattform": "weiss_nicht",
    },
    "smart-city-sensoren": {
        "reihenfolge": ["wlan", "sensoren", "zwilling", "schulen"],
        "sensordaten_helfen": 5,
        "orte": ["rhein", "parks"],
    },
}


class Switchable(httpx.AsyncBaseTransport):
    """The stub in-process, which can be made unreachable, or lose the answer to a POST once
    it has been handled (the request arrived, the answer did not)."""

    def __init__(self, app: FastAPI) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.down = False
        self.lose_next_answer = False
        self.garble_next_answer = False  # a portal's HTML page instead of the receipt
        self.posts = 0
        self.gets = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        response = await self.inner.handle_async_request(request)
        if request.method == "GET":
            self.gets += 1
        if request.method == "POST":
            self.posts += 1
            if self.lose_next_answer:
                self.lose_next_answer = False
                await response.aread()
                raise httpx.ReadError("connection reset", request=request)
            if self.garble_next_answer:
                self.garble_next_answer = False
                await response.aread()
                return httpx.Response(200, html="<html>Willkommen im WLAN</html>")
        return response


@pytest.fixture
def network(stub_app: FastAPI) -> Switchable:
    return Switchable(stub_app)


@pytest.fixture
async def app(
    tmp_path: Path, clock: FixedClock, network: Switchable, stub_urls: SourceUrls
) -> AsyncIterator[AppServices]:
    built = build_services(stub_urls, tmp_path / "app-data", clock=clock, transport=network)
    yield built
    await built.participation.send()  # nothing left running on a closed store
    await built.aclose()


async def responses(app: AppServices, survey_id: str) -> int:
    app.participation.result_fetches._kept.clear()  # past the 3 s it is shared for
    return (await app.participation.results(survey_id)).responses


def rows(app: AppServices, table: str) -> list[sqlite3.Row]:
    with app.store.transaction() as db:
        return list(db.execute(f"SELECT * FROM {table}").fetchall())


async def test_every_seeded_survey_is_answered_and_counted_once(app: AppServices) -> None:
    participation = app.participation
    kinds = set()
    for survey_id, answers in VALID.items():
        survey = await participation.survey(survey_id)
        kinds |= {q.kind for q in survey.questions}
        assert problems(survey, answers) == {}
        key = participation.submit(ANNA, survey, answers)
        await participation.send()
        status = participation.status(key)
        assert status.state == "counted" and status.receipt and status.message is None
        assert participation.taken_part(ANNA, survey_id) == status
        assert participation.pending(ANNA) == 0
        assert await responses(app, survey_id) == 1
        await participation.send()  # nothing is sent twice
        assert await responses(app, survey_id) == 1
    assert len(kinds) == 6
    assert rows(app, "outboxitem") == []
    free = next(
        q
        for q in (await participation.results("masterplan-prioritaeten")).questions
        if q.id == "genutzt"
    )
    assert free.answered == 1 and free.shown is False  # below the threshold of five


async def test_answers_given_offline_wait_and_are_counted_once_back_online(
    app: AppServices, network: Switchable, clock: FixedClock
) -> None:
    participation = app.participation
    survey = await participation.survey("smart-city-sensoren")
    network.down = True
    changes: list[str] = []
    participation.listeners.add(lambda: changes.append("changed"))
    key = participation.submit(ANNA, survey, VALID["smart-city-sensoren"])
    await participation.send()
    assert participation.pending(ANNA) == 1 and participation.pending(BERT) == 0
    assert participation.status(key).state == "waiting"
    assert participation.taken_part(ANNA, "smart-city-sensoren") == participation.status(key)
    assert app.connectivity.offline

    network.down = False
    clock.advance(timedelta(minutes=1))  # past the outbox's backoff
    await participation.send()
    assert participation.status(key).state == "counted"
    assert participation.pending(ANNA) == 0
    assert await responses(app, "smart-city-sensoren") == 1
    assert len(changes) >= 2  # stored, then counted


async def test_a_lost_answer_is_sent_again_and_counted_once(
    app: AppServices, network: Switchable, clock: FixedClock
) -> None:
    participation = app.participation
    survey = await participation.survey("offene-daten")
    network.lose_next_answer = True
    key = participation.submit(BERT, survey, VALID["offene-daten"])
    await participation.send()
    assert participation.status(key).state == "waiting"  # counted, but we did not hear it
    clock.advance(timedelta(minutes=1))
    await participation.send()
    assert network.posts == 2
    assert participation.status(key).state == "counted"
    assert await responses(app, "offene-daten") == 1


async def test_an_unreadable_answer_keeps_it_waiting_and_it_is_counted_once(
    app: AppServices, network: Switchable, clock: FixedClock
) -> None:
    participation = app.participation
    survey = await participation.survey("smart-city-sensoren")
    network.garble_next_answer = True  # counted by the server, but the app cannot tell
    key = participation.submit(ANNA, survey, VALID["smart-city-sensoren"])
    await participation.send()
    assert participation.status(key).state == "waiting"
    assert app.outbox.pending_count() == 1
    clock.advance(timedelta(minutes=1))
    await participation.send()
    assert participation.status(key).state == "counted"
    assert await responses(app, "smart-city-sensoren") == 1


async def test_the_answers_and_their_record_are_stored_together(app: AppServices) -> None:
    participation = app.participation
    survey = await participation.survey("offene-daten")
    with pytest.raises(RuntimeError), app.store.transaction() as db:  # as `submit` writes
        app.outbox.enqueue("survey_response", {"survey_id": survey.id}, person=ANNA)
        assert db.execute("SELECT count(*) FROM outboxitem").fetchone()[0] == 1
        raise RuntimeError("stopped between the two rows")
    assert app.outbox.pending_count() == 0, "the outbox row went with the failed transaction"


async def test_a_person_takes_part_once(app: AppServices) -> None:
    participation = app.participation
    survey = await participation.survey("smart-city-sensoren")
    first = participation.submit(ANNA, survey, VALID["smart-city-sensoren"])
    await participation.send()
    again = participation.submit(ANNA, survey, VALID["smart-city-sensoren"])
    await participation.send()
    assert participation.status(first).state == "counted"
    refused = participation.status(again)
    assert refused.state == "refused" and refused.code == "already_answered"
    assert refused.message == "You have already taken part in this survey."
    assert participation.taken_part(ANNA, "smart-city-sensoren") == refused
    assert rows(app, "outboxitem") == []  # a refused write's answers are not kept
    other = participation.submit(BERT, survey, VALID["smart-city-sensoren"])
    await participation.send()
    assert participation.status(other).state == "counted"
    assert await responses(app, "smart-city-sensoren") == 2


async def test_a_closed_survey_refuses_with_its_message(
    app: AppServices, clock: FixedClock
) -> None:
    participation = app.participation
    survey = await participation.survey("masterplan-prioritaeten")  # opened while still open
    clock.advance(timedelta(days=61))
    key = participation.submit(ANNA, survey, VALID["masterplan-prioritaeten"])
    await participation.send()
    status = participation.status(key)
    assert status.state == "refused" and status.code == "survey_closed"
    assert status.message == "This survey is closed; your answer could not be counted."
    assert await responses(app, "masterplan-prioritaeten") == 0


async def participation_codes(app: AppServices, network: Switchable, count: int) -> list[str]:
    async with httpx.AsyncClient(transport=network.inner, base_url="http://stub.test") as http:
        admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        made = await http.post(
            f"{BASE}/admin/events",
            json={"title": "Workshop", "surveys": ["smart-city-sensoren"]},
            headers=admin,
        )
        event = made.json()["id"]
        codes = await http.post(
            f"{BASE}/admin/events/{event}/codes", json={"count": count}, headers=admin
        )
        return list(codes.json()["codes"])


async def test_a_participation_code_counts_once_on_a_shared_device(
    app: AppServices, network: Switchable
) -> None:
    participation = app.participation
    (code,) = await participation_codes(app, network, 1)
    survey = await participation.survey("smart-city-sensoren")
    answers = VALID["smart-city-sensoren"]
    typed = " " + code.lower() + " "
    first = participation.submit(None, survey, answers, participation_code=typed)
    again = participation.submit(None, survey, answers, participation_code=code)
    unknown = participation.submit(None, survey, answers, participation_code="ZZZZ-ZZZZ")
    await participation.send()
    assert participation.status(first).state == "counted"
    assert participation.status(again).message == "This participation code has already been used."
    assert participation.status(unknown).message == "This participation code is unknown."
    assert await responses(app, "smart-city-sensoren") == 1
    assert rows(app, "surveysubmission") == [] and rows(app, "outboxitem") == []


async def test_a_shared_device_keeps_nothing(app: AppServices) -> None:
    participation = app.participation
    survey = await participation.survey("offene-daten")
    kiosk = participation.submit(None, survey, VALID["offene-daten"])
    tablet = participation.submit(ANNA, survey, VALID["offene-daten"], shared_device=True)
    assert participation.pending(None) == 2 and participation.pending(ANNA) == 0
    assert participation.taken_part(None, "offene-daten") is None
    await participation.send()
    assert participation.status(kiosk).state == "counted"  # kept in memory for the screen
    assert participation.status(tablet).state == "counted"  # a fresh token: not "already"
    assert rows(app, "surveysubmission") == [] and rows(app, "outboxitem") == []
    assert app.preferences.get(ANNA, TOKEN_KEY) is None
    assert participation.taken_part(ANNA, "offene-daten") is None
    assert await responses(app, "offene-daten") == 2
    with pytest.raises(KeyError):
        participation.status("never-made")


async def test_each_person_has_a_random_token_of_their_own(app: AppServices) -> None:
    participation = app.participation
    anna, bert = participation.device_token(ANNA), participation.device_token(BERT)
    assert anna != bert and len(anna) >= 40
    assert participation.device_token(ANNA) == anna
    assert ANNA not in anna and ANNA[:8] not in anna

    sent: list[dict[str, Any]] = []

    async def record(payload: dict[str, Any], key: str) -> None:
        sent.append(payload)

    app.outbox.delivers(RESPONSE, record)
    survey = await participation.survey("smart-city-sensoren")
    participation.submit(ANNA, survey, VALID["smart-city-sensoren"])
    participation.submit(BERT, survey, VALID["smart-city-sensoren"])
    participation.submit(None, survey, VALID["smart-city-sensoren"])
    await participation.send()
    tokens = [p["device_token"] for p in sent]
    assert tokens[:2] == [anna, bert] and tokens[2] not in (anna, bert)
    assert set(sent[0]) == {"survey_id", "device_token", "answers"}  # no name, no person id


async def test_delete_my_data_takes_submissions_and_token(
    app: AppServices, network: Switchable
) -> None:
    participation = app.participation
    survey = await participation.survey("smart-city-sensoren")
    participation.submit(ANNA, survey, VALID["smart-city-sensoren"])
    await participation.send()
    token = participation.device_token(ANNA)
    open_data = await participation.survey("offene-daten")
    network.down = True
    bert = participation.submit(BERT, survey, VALID["smart-city-sensoren"])
    waiting = participation.submit(ANNA, open_data, VALID["offene-daten"])
    await participation.send()
    assert participation.pending(ANNA) == 1

    deleted = app.delete_person_data(ANNA)
    assert deleted.submissions == 2 and deleted.unsent == 1 and deleted.settings >= 1
    assert participation.taken_part(ANNA, "smart-city-sensoren") is None
    assert participation.pending(ANNA) == 0
    with pytest.raises(KeyError):
        participation.status(waiting)
    assert participation.status(bert).state == "waiting"  # Bert's stays
    assert participation.device_token(ANNA) != token


async def test_invalid_answers_are_not_stored(app: AppServices) -> None:
    participation = app.participation
    survey = await participation.survey("smart-city-sensoren")
    with pytest.raises(AnswersInvalid) as invalid:
        participation.submit(ANNA, survey, {"orte": ["rhein", "parks", "schulen"]})
    assert set(invalid.value.problems) == {"reihenfolge", "sensordaten_helfen", "orte"}
    assert invalid.value.problems["orte"].n == 2
    assert rows(app, "outboxitem") == [] and rows(app, "surveysubmission") == []


async def test_surveys_are_fetched_once_for_all_and_open_offline(
    tmp_path: Path,
    clock: FixedClock,
    app: AppServices,
    stub_urls: SourceUrls,
    offline_transport: httpx.MockTransport,
) -> None:
    participation = app.participation
    together = await asyncio.gather(*(participation.survey("offene-daten") for _ in range(20)))
    assert participation.surveys.fetches == 1 and all(s == together[0] for s in together)
    await participation.measures()
    clock.advance(timedelta(minutes=2))
    await participation.survey("offene-daten")
    assert participation.surveys.fetches == 2  # kept for a minute only

    data_dir = tmp_path / "app-data"
    offline = build_services(stub_urls, data_dir, clock=clock, transport=offline_transport)
    try:
        saved = await offline.participation.survey("offene-daten")
        assert isinstance(saved, Survey) and saved == together[0]
        assert offline.participation.saved_survey("offene-daten") == saved
        assert [p.id for p in await offline.participation.measures()] == [
            "governance", "smart_city", "data_economy"
        ]  # fmt: skip
        with pytest.raises(Offline):
            await offline.participation.survey("smart-city-sensoren")  # never fetched
        with pytest.raises(Offline):
            await offline.participation.results("offene-daten")
        assert message_for(Offline("x")) == "No connection. Please try again later."
    finally:
        await offline.aclose()


async def test_results_are_shared_for_three_seconds(app: AppServices, clock: FixedClock) -> None:
    participation = app.participation
    walls = await asyncio.gather(*(participation.results("offene-daten") for _ in range(50)))
    assert participation.result_fetches.fetches == 1 and walls[0].responses == 0
    clock.advance(timedelta(seconds=2))
    await participation.results("offene-daten")
    assert participation.result_fetches.fetches == 1
    clock.advance(timedelta(seconds=2))
    await participation.results("offene-daten")
    assert participation.result_fetches.fetches == 2


async def test_a_room_joining_at_once_costs_one_request(
    app: AppServices, clock: FixedClock
) -> None:
    participation = app.participation
    joined = await asyncio.gather(*(participation.join("kdw-7px") for _ in range(100)))
    assert participation.event_fetches.fetches == 1 and joined[0].join_code == "KDW7PX"
    clock.advance(timedelta(minutes=1))
    await participation.join("KDW7PX")
    assert participation.event_fetches.fetches == 2  # surveys added meanwhile show up


async def test_joining_a_workshop_by_its_code_as_typed(app: AppServices) -> None:
    event = await app.participation.join(" kdw-7px ")
    assert event.join_code == "KDW7PX"
    assert [s.id for s in event.surveys] == ["smart-city-sensoren", "offene-daten"]
    for typed in ("XXXXXX", " - "):
        with pytest.raises(NotFound) as unknown:
            await app.participation.join(typed)
        assert message_for(unknown.value) == MESSAGES["event_unknown"]


def test_an_older_store_gets_the_submissions_table(tmp_path: Path, clock: FixedClock) -> None:
    store = open_store(tmp_path, now=clock.now())
    with store.transaction() as db:
        db.execute("DROP TABLE surveysubmission")
        db.execute("PRAGMA user_version = 5")
    store.dispose()
    store = open_store(tmp_path, now=clock.now())
    try:
        with store.transaction() as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
            db.execute("SELECT idempotency_key, person_id, survey_id, state, receipt, message, "
                       "code, created_at FROM surveysubmission").fetchall()  # fmt: skip
    finally:
        store.dispose()


async def test_submitting_starts_sending_at_once(app: AppServices) -> None:
    assert isinstance(app.participation, Participation)
    assert "flush-outbox" in app.schedule.job_names()  # the fallback when no loop runs
    survey = await app.participation.survey("offene-daten")
    key = app.participation.submit(ANNA, survey, VALID["offene-daten"])
    for _ in range(200):  # nobody calls send(): the submission's own flush delivers it
        if app.participation.status(key).state != "waiting":
            break
        await asyncio.sleep(0.01)
    assert app.participation.status(key).state == "counted"

    # a screen's plain handler on a worker thread: the flush goes to the app's loop
    smart_city = await app.participation.survey("smart-city-sensoren")
    answers = VALID["smart-city-sensoren"]
    key = await asyncio.to_thread(app.participation.submit, ANNA, smart_city, answers)
    for _ in range(200):
        if app.participation.status(key).state != "waiting":
            break
        await asyncio.sleep(0.01)
    assert app.participation.status(key).state == "counted"


async def test_a_survey_that_changed_meanwhile_is_read_anew(
    app: AppServices, network: Switchable, clock: FixedClock
) -> None:
    participation = app.participation
    survey = await participation.survey("offene-daten")
    assert participation.saved_survey("offene-daten") is not None

    async def refuse(*_args: object) -> None:
        raise Rejected("no such question", code="question_unknown")

    participation.client.send_response = refuse  # type: ignore[assignment, method-assign]
    key = participation.submit(ANNA, survey, VALID["offene-daten"])
    await participation.send()
    refused = participation.status(key)
    assert (refused.state, refused.code) == ("refused", "question_unknown")
    assert refused.message == NO_LONGER_FITTING
    assert participation.saved_survey("offene-daten") is None, "the old copy is dropped"
    gets = network.gets
    await participation.survey("offene-daten")  # within the minute it is otherwise kept
    assert network.gets == gets + 1
