"""The sensor overview and the shared history, against mocked SensorThings servers: latest
values per stream with one failing stream sinking none, places from Things, grouping and
comparison order, one request for many sessions opening the same sensor."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.clock import FixedClock
from services.errors import Offline, ServerError
from services.sensors.readings import (
    SensorReading,
    SensorReadings,
    assessment,
    compare_candidates,
    datastream_id,
    fetch_readings,
    grouped,
    rounded,
)
from services.sensors.sensorthings import ObservationSeries, SensorThingsClient
from services.sensors.series_cache import SensorSeries, period_view

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sta"
FROST = "http://frost.test/FROST-Server/v1.1"
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
UUID = "0b6c2f9e-8d1a-4c3e-9f70-1d2a3b4c5d6e"

Handler = Callable[[httpx.Request], httpx.Response]


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def stream(sid: int | str, name: str, prop: str, unit: str, thing: int | str, place: str) -> Any:
    return {
        "@iot.id": sid,
        "name": name,
        "unitOfMeasurement": {"name": unit, "symbol": unit},
        "Thing": {"@iot.id": thing, "name": place},
        "ObservedProperty": {"name": prop},
    }


STREAMS = [
    stream(1, "NO2 Neumarkt", "NO2", "µg/m³", 1, "Luftsensor Neumarkt"),
    stream(2, "NO2 Clevischer Ring", "NO2", "µg/m³", 2, "Luftsensor Clevischer Ring"),
    stream(3, "Wasserstand", "Wasserstand", "m", 7, "Pegel Köln"),
    stream(4, "PM10 Neumarkt", "PM10", "µg/m³", 1, "Luftsensor Neumarkt"),
    stream(5, "Temperatur Box", "Temperatur", "°C", 1, "Luftsensor Neumarkt"),
]
LATEST = {1: 45.25, 2: 12.0, 3: 3.1, 4: 20.0, 5: 4.5}


def latest(value: float, at: datetime = NOW - timedelta(minutes=12)) -> httpx.Response:
    stamp = at.isoformat().replace("+00:00", "Z")
    return httpx.Response(200, json={"value": [{"phenomenonTime": stamp, "result": value}]})


class Server:
    """A MockTransport that records the paths it was asked for."""

    def __init__(self, handler: Handler) -> None:
        self.paths: list[str] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.paths.append(request.url.path)
            return handler(request)

        self.transport = httpx.MockTransport(record)

    def client(self) -> SensorThingsClient:
        return SensorThingsClient(FROST, transport=self.transport)


def city(failing: set[int] | None = None, things: httpx.Response | None = None) -> Handler:
    """Five streams; the streams in `failing` answer 500 for their latest value."""

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/Datastreams"):
            return httpx.Response(200, json={"value": STREAMS})
        if path.endswith("/Things"):
            return things or httpx.Response(200, json=fixture("things_with_locations.json"))
        for sid, value in LATEST.items():
            if path.endswith(f"/Datastreams({sid})/Observations"):
                if failing and sid in failing:
                    return httpx.Response(500, text="boom")
                return latest(value)
        return httpx.Response(404, json={"code": 404, "type": "error", "message": "none"})

    return handle


async def test_the_overview_has_every_stream_with_place_kind_and_latest_value() -> None:
    read = await fetch_readings(Server(city()).client())

    by_id = {r.id: r for r in read.entries}
    assert set(by_id) == {1, 2, 3, 4, 5}
    neumarkt = by_id[1]
    assert (neumarkt.kind, neumarkt.unit, neumarkt.place) == ("no2", "µg/m³", "Luftsensor Neumarkt")
    assert (neumarkt.lat, neumarkt.lon) == (50.936, 6.9472)  # from the Thing's Location
    assert neumarkt.value == 45.25 and neumarkt.measured_at == NOW - timedelta(minutes=12)
    assert by_id[3].kind == "rhine_level" and by_id[3].place == "Pegel Köln"
    assert by_id[5].kind is None  # a temperature has no limits here
    assert read.problems == []
    # air first (NO2 before PM10), the Rhine after, unknown kinds last
    assert [k for k, _members in grouped(read)] == ["no2", "pm10", "rhine_level", None]
    assert [r.place for r in grouped(read)[0][1]] == [
        "Luftsensor Clevischer Ring",
        "Luftsensor Neumarkt",
    ]
    fresh = read.freshness(NOW)
    assert fresh.total == 5 and fresh.stale == 0 and fresh.all_current


async def test_one_failing_stream_keeps_its_last_value_and_sinks_no_other() -> None:
    first = await fetch_readings(Server(city()).client())
    again = await fetch_readings(Server(city(failing={2})).client(), first)

    by_id = {r.id: r for r in again.entries}
    assert by_id[1].value == 45.25 and not by_id[1].kept
    assert by_id[2].value == 12.0 and by_id[2].kept  # the last known value, marked
    assert [(p.name, p.position) for p in again.problems] == [("NO2 Clevischer Ring", 1)]
    assert again.freshness(NOW).kept == 1 and not again.freshness(NOW).all_current

    without_before = await fetch_readings(Server(city(failing={2})).client())
    assert {r.id: r.value for r in without_before.entries}[2] is None


async def test_when_no_latest_value_can_be_read_the_error_is_raised() -> None:
    with pytest.raises(ServerError):
        await fetch_readings(Server(city(failing=set(LATEST))).client())


async def test_places_are_optional_when_things_fail() -> None:
    broken = httpx.Response(500, text="no things today")
    read = await fetch_readings(Server(city(things=broken)).client())
    assert all(r.lat is None for r in read.entries)
    assert {r.place for r in read.entries} >= {"Luftsensor Neumarkt", "Pegel Köln"}


async def test_an_offline_source_raises_offline() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(Offline):
        await fetch_readings(Server(refuse).client())


async def test_uuid_ids_stay_strings_and_round_trip_through_the_cache() -> None:
    def uuid_server(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/Datastreams"):
            return httpx.Response(
                200, json={"value": [stream(UUID, "PM2.5 Ehrenfeld", "PM2.5", "µg/m³", "t-1", "X")]}
            )
        if path.endswith("/Things"):
            return httpx.Response(200, json={"value": []})
        if path.endswith(f"/Datastreams('{UUID}')/Observations"):
            return latest(7.5)
        return httpx.Response(404)

    read = await fetch_readings(Server(uuid_server).client())
    [only] = read.entries
    assert only.id == UUID and only.kind == "pm2_5" and only.value == 7.5
    back = SensorReadings.model_validate_json(read.model_dump_json())
    assert back == read and datastream_id(back, UUID) == UUID
    assert datastream_id(None, "17") == 17 and datastream_id(None, "a-b") == "a-b"


async def test_compare_offers_the_same_kind_first_and_never_the_stream_itself() -> None:
    read = await fetch_readings(Server(city()).client())
    offered = compare_candidates(read, "1")
    assert "1" not in [str(r.id) for r in offered]
    assert offered[0].id == 2  # the other NO2 stream
    assert len(offered) == 4


def test_values_are_rounded_as_a_sensor_deserves() -> None:
    assert (rounded(1234.56), rounded(23.456), rounded(6.2149)) == (1235.0, 23.5, 6.21)


def observations(times: list[datetime], values: list[float]) -> httpx.Response:
    body = [
        {"phenomenonTime": t.isoformat().replace("+00:00", "Z"), "result": v}
        for t, v in zip(times, values, strict=True)
    ]
    return httpx.Response(200, json={"value": body})


async def test_many_sessions_opening_one_sensor_cause_one_request() -> None:
    release = asyncio.Event()
    asked: list[str] = []
    times = [NOW - timedelta(hours=h) for h in range(24 * 30, -1, -1)]
    values = [float(i % 50) for i in range(len(times))]

    async def slow(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        await release.wait()
        return observations(times, values)

    clock = FixedClock(NOW)
    client = SensorThingsClient(FROST, transport=httpx.MockTransport(slow))
    series = SensorSeries(client, clock, keep=timedelta(minutes=5), most=2)
    waiting = [asyncio.create_task(series.get(1)) for _ in range(20)]
    await asyncio.sleep(0.05)
    release.set()
    got = await asyncio.gather(*waiting)
    assert asked == ["/FROST-Server/v1.1/Datastreams(1)/Observations"]
    assert all(g.value is got[0].value for g in got)
    assert len(got[0].value.values) == len(values)

    # within the few minutes it is kept, nothing is asked again; after, once more
    clock.set(NOW + timedelta(minutes=4))
    await series.get(1)
    assert len(asked) == 1
    clock.set(NOW + timedelta(minutes=6))
    await series.get(1)
    assert len(asked) == 2
    # only the most recently used streams are kept
    await series.get(2)
    await series.get(3)
    assert len(series) == 2 and series.kept(1) is None and series.kept(3) is not None


async def test_a_failed_history_is_not_kept_and_is_asked_again() -> None:
    down = [True]

    def flaky(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="busy") if down[0] else observations([NOW], [1.0])

    series = SensorSeries(
        SensorThingsClient(FROST, transport=httpx.MockTransport(flaky)), FixedClock(NOW)
    )
    with pytest.raises(ServerError):
        await series.get(1)
    assert series.kept(1) is None
    down[0] = False
    assert (await series.get(1)).value.values == [1.0]


def test_a_period_is_downsampled_but_its_summary_counts_every_value() -> None:
    start = NOW - timedelta(days=30)
    times = [(start + timedelta(minutes=5 * i)).timestamp() for i in range(30 * 24 * 12 + 1)]
    values = [10.0 + (i % 288) / 10 for i in range(len(times))]
    values[len(values) - 100] = 999.0  # a peak within the last day
    series = ObservationSeries(times=times, values=values)

    day = period_view(series, NOW, "24h")
    month = period_view(series, NOW, "30d")
    assert len(day.points.values) <= 500 and len(month.points.values) <= 500
    assert 999.0 in day.points.values and 999.0 in month.points.values  # the peak is kept
    assert day.summary is not None and month.summary is not None
    assert day.summary.count == 24 * 12 + 1 and month.summary.count == len(values)
    assert day.summary.maximum == month.summary.maximum == 999.0
    assert day.summary.mean != month.summary.mean
    assert period_view(ObservationSeries(), NOW, "7d").summary is None


def test_a_level_in_centimetres_is_assessed_in_metres_and_a_strange_unit_not_at_all() -> None:
    gauge = SensorReading(id=3, name="Pegel", kind="rhine_level", unit="cm", value=700.0)
    level = assessment(gauge)
    assert level is not None and level.level == "elevated" and level.value == 7.0
    air = SensorReading(id=1, name="NO2", kind="no2", unit="ug/m3", value=45.0)
    assert (assessment(air) or pytest.fail()).level == "elevated"
    assert assessment(SensorReading(id=1, name="NO2", kind="no2", unit="ppb", value=45.0)) is None
    assert assessment(SensorReading(id=1, name="NO2", kind="no2", unit=None, value=45.0))
    assert assessment(SensorReading(id=5, name="Temperatur", unit="°C", value=4.0)) is None
