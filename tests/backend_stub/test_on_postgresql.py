"""The stub on PostgreSQL as on SQLite: every router, the seed, a restart, the command line.

Each test runs twice through `stub_database_url`: on a SQLite file and on a fresh database of
the session's throwaway PostgreSQL server (tests/postgres.py). One test builds both stubs side by
side and asks them the same questions: the answers must be the same, byte for byte.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from backend_stub.clock import CITY_TZ, FixedClock
from backend_stub.db import make_engine
from backend_stub.main import create_app
from backend_stub.queues.setup import SECRET_ENV
from backend_stub.routers.waiting_feed import FEED_PATH
from tests.conftest import MONDAY_10, serving
from tests.postgres import PostgresServer, free_port

ADMIN_TOKEN = "postgresql-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SECRET = b"postgresql-test-secret"
ZMS = "/terminvereinbarung/api/citizen"
QUEUE = "/queue/v1/locations"
CKAN = "/api/3/action"
STA = "/FROST-Server/v1.1"
PARTICIPATION = "/participation/v1"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def _no_configured_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)


def build(url: str, clock: FixedClock | None = None, **options: Any) -> FastAPI:
    return create_app(url, admin_token=ADMIN_TOKEN, clock=clock or FixedClock(MONDAY_10), **options)


@pytest.fixture
async def http(stub_database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The stub on the test's database, its queues paused at Monday 10:00."""
    async with serving(build(stub_database_url, queue_speed=0)) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_the_database_is_the_one_asked_for(stub_database_url: str) -> None:
    app = build(stub_database_url)
    try:
        expected = "postgresql" if "postgresql" in stub_database_url else "sqlite"
        assert app.state.engine.dialect.name == expected
        if expected == "postgresql":
            assert app.state.engine.dialect.driver == "psycopg"
    finally:
        app.state.engine.dispose()


async def test_the_seed_loads_once(stub_database_url: str) -> None:
    async with serving(build(stub_database_url)) as http:
        assert ok(await http.get("/admin/status", headers=ADMIN)) == {
            "offices": 10,
            "barrier_reports": 0,
        }
        assert ok(await http.get("/health"))["status"] == "ok"
    # a second start on the same database seeds nothing more
    async with serving(build(stub_database_url)) as http:
        assert ok(await http.get("/admin/status", headers=ADMIN))["offices"] == 10


async def test_offices_and_services(http: httpx.AsyncClient) -> None:
    body = ok(await http.get(f"{ZMS}/offices-and-services/"))
    assert len(body["offices"]) == 10
    assert [o["id"] for o in body["offices"]] == sorted(o["id"] for o in body["offices"])
    kfz = next(o for o in body["offices"] if o["scope"]["shortName"] == "kfz")
    offered = {r["serviceId"] for r in body["relations"] if r["officeId"] == kfz["id"]}
    assert offered and offered.isdisjoint(
        r["serviceId"] for r in body["relations"] if r["officeId"] != kfz["id"]
    )


async def test_the_waiting_feed_and_its_frozen_entry(http: httpx.AsyncClient) -> None:
    response = await http.get(FEED_PATH)
    body = ok(response)
    assert body["success"] is True and len(body["items"]) == 10
    # the vehicle office's entry was stored as a time three years back: it comes back exact
    frozen = (MONDAY_10 - timedelta(days=3 * 365)).astimezone(CITY_TZ)
    assert body["items"][-1]["timestamp"] == frozen.strftime("%Y-%m-%d %H:%M:%S")
    assert {item["status"] for item in body["items"][:-1]} == {"1"}
    again = await http.get(FEED_PATH, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


async def test_a_ticket_is_drawn_read_back_and_called(http: httpx.AsyncClient) -> None:
    locations = ok(await http.get(QUEUE))["locations"]
    assert len(locations) == 9
    drawn = ok(await http.post(f"{QUEUE}/nippes/tickets", json={"serviceId": 1002}), 201)
    status = ok(await http.get(f"{QUEUE}/nippes/tickets/{drawn['token']}"))
    assert status["displayNumber"] == drawn["displayNumber"]
    assert status["status"] in ("queued", "called")  # a free counter calls at once
    if status["status"] == "queued":
        for _ in range(status["numbersAhead"] + 1):
            call = {"counter": 2}
            ok(await http.post("/admin/queues/nippes/call-next", json=call, headers=ADMIN))
    called = ok(await http.get(f"{QUEUE}/nippes/tickets/{drawn['token']}"))
    assert called["status"] == "called" and called["counter"] >= 1
    calls = ok(await http.get(f"{QUEUE}/nippes/calls"))["calls"]
    assert calls[0]["displayNumber"] == drawn["displayNumber"]


async def test_a_restarted_stub_goes_on_with_its_tickets(stub_database_url: str) -> None:
    clock = FixedClock(MONDAY_10)
    async with serving(build(stub_database_url, clock, queue_speed=0)) as http:
        drawn = ok(await http.post(f"{QUEUE}/kalk/tickets", json={"serviceId": 1001}), 201)
        ok(await http.post(f"{QUEUE}/kalk/tickets", json={"serviceId": 1001}), 201)  # an update
        before = ok(await http.get(f"{QUEUE}/kalk/tickets/{drawn['token']}"))
    async with serving(build(stub_database_url, clock)) as http:  # the secret is the kept one
        after = ok(await http.get(f"{QUEUE}/kalk/tickets/{drawn['token']}"))
    assert after == before


async def test_ckan_search_show_and_lists(http: httpx.AsyncClient) -> None:
    found = ok(await http.get(f"{CKAN}/package_search", params={"q": "Wartezeit", "rows": 5}))
    assert found["success"] is True and found["result"]["count"] >= 1
    first = found["result"]["results"][0]
    shown = ok(await http.get(f"{CKAN}/package_show", params={"id": first["name"]}))
    assert shown["result"]["id"] == first["id"]
    assert (
        ok(await http.get(f"{CKAN}/package_show", params={"id": first["id"]}))["result"]
        == (shown["result"])
    )
    missing = await http.get(f"{CKAN}/package_show", params={"id": "no-such-dataset"})
    assert missing.status_code == 404
    assert ok(await http.get(f"{CKAN}/tag_list"))["result"]
    assert ok(await http.get(f"{CKAN}/group_list"))["result"]


async def test_sensorthings_datastreams_and_observations(http: httpx.AsyncClient) -> None:
    paged = {"$expand": "Thing", "$top": 2, "$count": "true"}
    streams = ok(await http.get(f"{STA}/Datastreams", params=paged))
    assert len(streams["value"]) == 2 and streams["@iot.count"] > 2 and streams["@iot.nextLink"]
    assert streams["value"][0]["Thing"]["@iot.id"] == 1
    stream_id = streams["value"][0]["@iot.id"]
    latest = ok(
        await http.get(
            f"{STA}/Datastreams({stream_id})/Observations",
            params={"$orderby": "phenomenonTime desc", "$top": 1},
        )
    )
    # the seed's last observation is at the stub's start, and comes back as UTC
    assert latest["value"][0]["phenomenonTime"] == MONDAY_10.isoformat().replace("+00:00", "Z")
    assert ok(await http.get(f"{STA}/Things", params={"$count": "true"}))["@iot.count"] >= 1
    # an id far beyond a 32-bit integer is simply not there
    assert (await http.get(f"{STA}/Datastreams(123456789012345678)")).status_code == 404


async def test_participation_surveys_and_a_barrier_report(http: httpx.AsyncClient) -> None:
    surveys = ok(await http.get(f"{PARTICIPATION}/surveys"))
    assert surveys and all(s["question_count"] > 0 for s in surveys)
    survey = ok(await http.get(f"{PARTICIPATION}/surveys/{surveys[0]['id']}"))
    assert len(survey["questions"]) == surveys[0]["question_count"]
    assert datetime.fromisoformat(survey["closes_at"]).replace(tzinfo=UTC) == MONDAY_10 + (
        timedelta(days=60)
    )
    report = {"screen": "waiting", "message": "Der Kontrast ist zu schwach."}
    key = {"Idempotency-Key": "barrier-1"}
    first = ok(await http.post(f"{PARTICIPATION}/barrier-reports", json=report, headers=key), 201)
    again = await http.post(f"{PARTICIPATION}/barrier-reports", json=report, headers=key)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first
    assert ok(await http.get("/admin/status", headers=ADMIN))["barrier_reports"] == 1


# The same questions to a stub on SQLite and one on PostgreSQL: the same answers.
SAME_ANSWERS = [
    FEED_PATH,
    f"{ZMS}/offices-and-services/",
    QUEUE,
    f"{QUEUE}/innenstadt/calls",
    f"{CKAN}/package_search?rows=100",
    f"{CKAN}/package_search?q=Sensor&sort=title_string%20asc",
    f"{CKAN}/tag_list",
    f"{STA}/Datastreams?$expand=Thing&$top=100",
    f"{STA}/Datastreams(1)/Observations?$top=100&$count=true",
    f"{STA}/Datastreams(2)/Observations?$orderby=phenomenonTime%20desc&$skip=10",
    f"{STA}/Things",
    f"{PARTICIPATION}/surveys",
]


async def test_sqlite_and_postgresql_answer_alike(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    database = postgres_server.create_database()
    try:
        urls = [f"sqlite:///{tmp_path / 'stub.sqlite3'}", postgres_server.url(database)]
        answers: list[list[tuple[int, str]]] = []
        for url in urls:
            async with serving(build(url, ticket_secret=SECRET, queue_speed=0)) as http:
                drawn = await http.post(f"{QUEUE}/porz/tickets", json={"serviceId": 1001})
                asked = [drawn, *[await http.get(path) for path in SAME_ANSWERS]]
                asked.append(await http.get(f"{QUEUE}/porz/tickets/{drawn.json()['token']}"))
                answers.append([(r.status_code, r.text) for r in asked])
        sqlite, postgresql = answers
        assert [status for status, _ in sqlite] == [201] + [200] * (len(SAME_ANSWERS) + 1)
        assert postgresql == sqlite
    finally:
        postgres_server.drop_database(database)


def test_postgresql_urls_take_psycopg_and_utc(postgres_server: PostgresServer) -> None:
    """`postgresql://` means psycopg 3; sessions talk UTC even where the server says otherwise."""
    database = postgres_server.create_database()
    try:
        with postgres_server.admin() as admin:
            admin.execute(f"ALTER DATABASE {database} SET timezone TO 'Europe/Berlin'")
        plain = postgres_server.url(database).replace("postgresql+psycopg://", "postgresql://")
        for url in (plain, plain + "?options=-c%20statement_timeout%3D5000"):
            engine = make_engine(url)
            try:
                assert engine.dialect.driver == "psycopg"
                with engine.connect() as connection:
                    assert connection.execute(text("SHOW timezone")).scalar() == "UTC"
                    if "options" in url:
                        timeout = connection.execute(text("SHOW statement_timeout")).scalar()
                        assert timeout == "5s"
            finally:
                engine.dispose()
    finally:
        postgres_server.drop_database(database)


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"koeln-backend exited early:\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"koeln-backend did not answer within 60 s:\n{log.read_text()}")


def test_koeln_backend_serves_from_postgresql(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    """`DATABASE_URL=postgresql+psycopg://… koeln-backend` seeds and serves from PostgreSQL."""
    database = postgres_server.create_database()
    port = free_port()
    log = tmp_path / "koeln-backend.log"
    env = {**os.environ, "DATABASE_URL": postgres_server.url(database)}
    try:
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "backend_stub", "--port", str(port), "--speed", "0"],
                cwd=tmp_path,  # no SQLite file may appear here
                env={**env, "PYTHONPATH": str(ROOT)},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(f"{base}/health", process, log)
            feed = httpx.get(base + FEED_PATH, timeout=10).json()
            assert len(feed["items"]) == 10
        finally:
            process.send_signal(signal.SIGTERM)  # uvicorn passes the signal on once stopped
            assert process.wait(timeout=30) in (0, -signal.SIGTERM), log.read_text()
        assert list(tmp_path.iterdir()) == [log]
        engine = make_engine(postgres_server.url(database))
        try:
            with engine.connect() as connection:
                offices = connection.execute(text("SELECT count(*) FROM office")).scalar()
        finally:
            engine.dispose()
        assert offices == 10
    finally:
        postgres_server.drop_database(database)
