"""The stub's time on demand: a fixed start, a paused or faster simulation, stepping by minutes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from backend_stub import cli
from backend_stub.clock import CITY_TZ, StartedClock, parse_clock
from backend_stub.main import create_app
from services.clock import FixedClock
from tests.conftest import ADMIN_TOKEN, STUB

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
FEED = "/externe-dienste/open-data/waiting-od.php"
# Monday 5 October 2026, 06:00 in Cologne: before the Kundenzentren open at 07:30.
MONDAY_6 = datetime(2026, 10, 5, 6, 0, tzinfo=CITY_TZ)


def make_app(tmp_path: Path, clock: FixedClock, **options: Any) -> FastAPI:
    """A stub on its own SQLite file and the given clock."""
    return create_app(
        f"sqlite:///{tmp_path / 'stub.sqlite3'}", admin_token=ADMIN_TOKEN, clock=clock, **options
    )


@pytest.fixture
def early_clock() -> FixedClock:
    return FixedClock(MONDAY_6.astimezone(UTC))


@pytest.fixture
def paused_app(tmp_path: Path, early_clock: FixedClock) -> FastAPI:
    return make_app(tmp_path, early_clock, queue_speed=0)


@pytest.fixture
async def http(paused_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=paused_app), base_url=STUB
    ) as client:
        yield client


async def locations(http: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    body = (await http.get("/queue/v1/locations")).json()
    return {location["id"]: location for location in body["locations"]}


async def numbers_given(http: httpx.AsyncClient) -> int:
    return sum(location["numbersGiven"] for location in (await locations(http)).values())


async def feed_times(http: httpx.AsyncClient) -> set[str]:
    items = (await http.get(FEED)).json()["items"]
    return {i["timestamp"] for i in items if i["title_anz"] != "Kfz-Zulassungsstelle"}


# --- parse_clock and StartedClock ---------------------------------------------------------


def test_a_time_without_offset_is_cologne_time() -> None:
    winter = parse_clock("2026-11-23T10:00")
    assert winter == datetime(2026, 11, 23, 9, 0, tzinfo=UTC) and winter.tzinfo is UTC
    assert parse_clock("2026-07-01T10:00:30") == datetime(2026, 7, 1, 8, 0, 30, tzinfo=UTC)
    assert parse_clock(" 2026-11-23 10:00 ") == winter


def test_a_time_with_offset_keeps_it() -> None:
    assert parse_clock("2026-11-23T10:00:00+01:00") == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert parse_clock("2026-11-23T10:00+05:30") == datetime(2026, 11, 23, 4, 30, tzinfo=UTC)
    assert parse_clock("2026-11-23T10:00Z") == datetime(2026, 11, 23, 10, tzinfo=UTC)
    assert parse_clock("2026-11-23T10:00Z").tzinfo is UTC


@pytest.mark.parametrize(
    "junk", ["", "tomorrow", "10:00", "23.11.2026 10:00", "2026-13-01T10:00", "2026-11-23T25:00"]
)
def test_junk_is_refused_naming_the_format(junk: str) -> None:
    with pytest.raises(ValueError, match=r"expected YYYY-MM-DDTHH:MM.*2026-11-23T10:00"):
        parse_clock(junk)


def test_a_time_the_clocks_skip_is_refused() -> None:
    with pytest.raises(ValueError, match="does not exist in Cologne"):
        parse_clock("2026-03-29T02:30")  # clocks go from 02:00 to 03:00


def test_a_started_clock_runs_on_from_its_start() -> None:
    ticks = [1000.0]
    start = datetime(2026, 11, 23, 10, 0, tzinfo=CITY_TZ)
    clock = StartedClock(start, monotonic=lambda: ticks[0])
    ticks[0] += 5  # made a moment before it is first read
    assert clock.now() == start and clock.now().tzinfo is UTC
    ticks[0] += 90.5
    assert clock.now() == start + timedelta(seconds=90.5)
    real = StartedClock(start)
    assert timedelta(0) <= real.now() - start < timedelta(seconds=5)
    with pytest.raises(ValueError):
        StartedClock(datetime(2026, 11, 23, 10, 0))


# --- the command line ---------------------------------------------------------------------


def test_the_command_line_takes_clock_and_speed() -> None:
    args = cli.parse_args(["--clock", "2026-11-23T10:00", "--speed", "0"], environ={})
    assert args.clock == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert args.speed == 0.0
    assert cli.parse_args(["--speed", "60"], environ={}).speed == 60.0
    plain = cli.parse_args([], environ={})
    assert plain.clock is None and plain.speed is None  # the saved speed, 1 at the first start


def test_the_environment_gives_defaults_that_flags_override() -> None:
    env = {"KOELN_CLOCK": "2026-11-23T10:00:00+01:00", "KOELN_QUEUE_SPEED": "2.5"}
    from_env = cli.parse_args([], environ=env)
    assert from_env.clock == datetime(2026, 11, 23, 9, 0, tzinfo=UTC) and from_env.speed == 2.5
    flags = cli.parse_args(["--clock", "2026-12-01T08:00", "--speed", "0"], environ=env)
    assert flags.clock == datetime(2026, 12, 1, 7, 0, tzinfo=UTC) and flags.speed == 0.0
    empty = cli.parse_args([], environ={"KOELN_CLOCK": "", "KOELN_QUEUE_SPEED": " "})
    assert empty.clock is None and empty.speed is None


@pytest.mark.parametrize(
    ("argv", "env", "named"),
    [
        (["--clock", "soon"], {}, "--clock"),
        (["--clock", ""], {}, "--clock"),
        (["--speed", "fast"], {}, "--speed"),
        (["--speed", "-1"], {}, "--speed"),
        (["--speed", "nan"], {}, "--speed"),
        (["--speed", "inf"], {}, "--speed"),
        (["--speed", "10001"], {}, "--speed"),
        ([], {"KOELN_CLOCK": "2026-11-31T10:00"}, "KOELN_CLOCK"),
        ([], {"KOELN_QUEUE_SPEED": "true"}, "KOELN_QUEUE_SPEED"),
    ],
)
def test_junk_on_the_command_line_is_a_clean_usage_error(
    argv: list[str], env: dict[str, str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.parse_args(argv, environ=env)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: koeln-backend") and f"error: {named}:" in err
    assert "Traceback" not in err


def test_main_hands_clock_and_speed_to_the_stub(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DATABASE_URL", "KOELN_CLOCK", "KOELN_QUEUE_SPEED"):
        monkeypatch.delenv(name, raising=False)
    served: list[FastAPI] = []
    monkeypatch.setattr(cli, "serve", lambda app, **_kwargs: served.append(app))
    argv = ["--db", str(tmp_path / "stub.sqlite3"), "--clock", "2026-11-23T10:00", "--speed", "0"]
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    assert stopped.value.code == 0
    (app,) = served
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert timedelta(0) <= app.state.clock.now() - start < timedelta(seconds=30)
    assert app.state.queues.clock.speed == 0
    world, now = app.state.queues, app.state.clock.now()
    assert world.sim_now(now) == world.sim_now(now + timedelta(hours=1))  # paused
    assert world.sim_now(now) == start  # the simulation starts at the first reading


# --- create_app and the admin routes ------------------------------------------------------


def test_create_app_does_not_read_the_speed_from_the_environment(
    tmp_path: Path, early_clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOELN_QUEUE_SPEED", "0")
    assert make_app(tmp_path, early_clock).state.queues.clock.speed == 1.0


@pytest.mark.anyio
async def test_a_paused_simulation_stays_frozen_while_the_clock_runs(tmp_path: Path) -> None:
    nine = MONDAY_6.astimezone(UTC) + timedelta(hours=3)
    for speed, frozen in ((0, True), (None, False)):
        clock = FixedClock(nine)
        folder = tmp_path / f"speed-{speed}"
        folder.mkdir()
        app = make_app(folder, clock, queue_speed=speed)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=STUB) as http:
            given, times = await numbers_given(http), await feed_times(http)
            assert times == {"2026-10-05 09:00:00"}
            clock.advance(timedelta(hours=2))
            if frozen:
                assert await numbers_given(http) == given
                assert await feed_times(http) == times
            else:  # the control: at the default speed two hours bring people in
                assert await numbers_given(http) > given
                assert await feed_times(http) == {"2026-10-05 11:00:00"}


@pytest.mark.anyio
async def test_advancing_steps_a_paused_simulation(
    http: httpx.AsyncClient, early_clock: FixedClock
) -> None:
    before = await locations(http)
    assert not any(location["isOpen"] for location in before.values())
    assert await numbers_given(http) == 0
    stepped = await http.post("/admin/queues/advance", json={"minutes": 120}, headers=ADMIN)
    assert stepped.status_code == 200
    body = stepped.json()
    assert body["speed"] == 0
    assert datetime.fromisoformat(body["simulatedTime"]) == MONDAY_6 + timedelta(hours=2)
    after = await locations(http)
    assert all(location["isOpen"] for location in after.values())
    given = await numbers_given(http)
    assert given > 0
    assert await feed_times(http) == {"2026-10-05 08:00:00"}
    # still paused: the stub's clock moving on changes nothing
    early_clock.advance(timedelta(hours=1))
    assert await numbers_given(http) == given
    await http.post("/admin/queues/advance", json={"minutes": 30.5}, headers=ADMIN)
    assert await numbers_given(http) > given
    assert await feed_times(http) == {"2026-10-05 08:30:00"}


@pytest.mark.anyio
async def test_advancing_adds_to_a_running_simulation(
    http: httpx.AsyncClient, early_clock: FixedClock
) -> None:
    speed = await http.put("/admin/queues/speed", json={"speed": 60}, headers=ADMIN)
    assert speed.status_code == 200
    early_clock.advance(timedelta(minutes=1))  # an hour of simulated time
    stepped = await http.post("/admin/queues/advance", json={"minutes": 30}, headers=ADMIN)
    body = stepped.json()
    assert body["speed"] == 60
    assert datetime.fromisoformat(body["simulatedTime"]) == MONDAY_6 + timedelta(minutes=90)


@pytest.mark.anyio
async def test_a_whole_day_is_the_largest_step_and_starts_the_next_day(
    http: httpx.AsyncClient,
) -> None:
    await http.post("/admin/queues/advance", json={"minutes": 120}, headers=ADMIN)
    assert await numbers_given(http) > 0
    stepped = await http.post("/admin/queues/advance", json={"minutes": 1440}, headers=ADMIN)
    assert stepped.status_code == 200
    tuesday_8 = MONDAY_6 + timedelta(days=1, hours=2)
    assert datetime.fromisoformat(stepped.json()["simulatedTime"]) == tuesday_8
    assert await feed_times(http) == {"2026-10-06 08:00:00"}
    # a fresh Tuesday half an hour after opening, not Monday's whole day carried on
    assert 0 < await numbers_given(http) < 9 * 60


@pytest.mark.anyio
@pytest.mark.parametrize(
    "body",
    [
        {"minutes": True},
        {"minutes": False},
        {"minutes": "60"},
        {"minutes": 0},
        {"minutes": -5},
        {"minutes": 1440.5},
        {"minutes": None},
        {"minutes": 60, "hours": 1},
        {},
    ],
)
async def test_bad_steps_are_refused(
    http: httpx.AsyncClient, paused_app: FastAPI, early_clock: FixedClock, body: dict[str, Any]
) -> None:
    refused = await http.post("/admin/queues/advance", json=body, headers=ADMIN)
    assert refused.status_code == 422
    assert paused_app.state.queues.sim_now(early_clock.now()) == MONDAY_6


@pytest.mark.anyio
@pytest.mark.parametrize("body", [{"speed": False}, {"speed": True}, {"speed": "0"}, {}])
async def test_a_bool_or_string_speed_is_refused(
    http: httpx.AsyncClient, paused_app: FastAPI, body: dict[str, Any]
) -> None:
    await http.put("/admin/queues/speed", json={"speed": 5}, headers=ADMIN)
    refused = await http.put("/admin/queues/speed", json=body, headers=ADMIN)
    assert refused.status_code == 422
    assert paused_app.state.queues.clock.speed == 5  # `false` did not pause it


def test_the_world_refuses_bad_steps_itself(paused_app: FastAPI, early_clock: FixedClock) -> None:
    world = paused_app.state.queues
    for minutes in (0, -1, float("nan"), 1441):
        with pytest.raises(ValueError):
            world.advance(minutes, early_clock.now())
    assert world.sim_now(early_clock.now()) == MONDAY_6


@pytest.mark.anyio
async def test_advancing_needs_the_admin_token(
    http: httpx.AsyncClient, tmp_path: Path, early_clock: FixedClock
) -> None:
    step = {"minutes": 60}
    assert (await http.post("/admin/queues/advance", json=step)).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert (await http.post("/admin/queues/advance", json=step, headers=wrong)).status_code == 401
    assert await numbers_given(http) == 0
    tokenless = create_app(f"sqlite:///{tmp_path / 'tokenless.sqlite3'}", clock=early_clock)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=tokenless), base_url=STUB
    ) as other:
        shut = await other.post("/admin/queues/advance", json=step, headers=ADMIN)
        assert shut.status_code == 403
