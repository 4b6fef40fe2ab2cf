"""The SensorThings client against the shapes real servers answer with (tests/fixtures/sta/):
FROST's integer ids and another server's UUIDs, absolute and relative `@iot.nextLink`s, sparse
entities, servers that refuse options, error pages, junk and a looping server."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.errors import BadData, NotFound, ServerError
from services.sensors.sensorthings import (
    MAX_PAGES,
    SensorThingsClient,
    entity_path,
    number,
    parse_time,
)

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sta"
FROST = "http://frost.test/FROST-Server/v1.1"
OTHER = "http://other.test/sta/v1.1"
UUID = "0b6c2f9e-8d1a-4c3e-9f70-1d2a3b4c5d6e"
NESTED = "Thing($select=id,name),ObservedProperty($select=name)"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


Handler = Callable[[httpx.Request], httpx.Response]


class Server:
    """A MockTransport that records what it was asked."""

    def __init__(self, handler: Handler) -> None:
        self.requests: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return handler(request)

        self.transport = httpx.MockTransport(record)

    def client(self, base: str) -> SensorThingsClient:
        return SensorThingsClient(base, transport=self.transport)

    def asked(self, option: str) -> list[str | None]:
        return [r.url.params.get(option) for r in self.requests]


def refuse(message: str = "not supported") -> httpx.Response:
    return httpx.Response(400, json={"code": 400, "type": "error", "message": message})


# --- FROST: integer ids, absolute nextLink, everything supported ------------------------------


def frost(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/Datastreams"):
        skip = request.url.params.get("$skip")
        return httpx.Response(200, json=fixture(f"frost_datastreams_{2 if skip else 1}.json"))
    if path.endswith("/Datastreams(1)/Observations"):
        return httpx.Response(200, json=fixture("frost_observations_latest.json"))
    if path.endswith("/Things"):
        return httpx.Response(200, json=fixture("things_with_locations.json"))
    return httpx.Response(404, json={"code": 404, "type": "error", "message": "Nothing found."})


async def test_frost_datastreams_follow_an_absolute_next_link() -> None:
    server = Server(frost)
    read = await server.client(FROST).datastreams(top=2)
    assert read.problems == []
    assert [s.id for s in read.entries] == [1, 2, 5]
    rhine = read.entries[2]
    assert (rhine.thing_name, rhine.thing_id, rhine.observed_property) == (
        "Pegel Köln",
        7,
        "Wasserstand",
    )
    assert rhine.unit.symbol == "m"
    assert server.asked("$expand") == [NESTED, NESTED]
    assert str(server.requests[1].url).startswith(FROST + "/Datastreams?")


async def test_frost_latest_observation_reads_one_page_only() -> None:
    server = Server(frost)
    latest = await server.client(FROST).latest_observation(1)
    assert latest is not None and latest.value == 23.4
    assert latest.time == datetime(2026, 11, 30, 9, 50, tzinfo=UTC)
    assert len(server.requests) == 1  # the nextLink of a `$top=1` answer is not followed
    assert server.requests[0].url.path == "/FROST-Server/v1.1/Datastreams(1)/Observations"
    with pytest.raises(NotFound, match="Nothing found"):
        await server.client(FROST).latest_observation(999)


async def test_things_with_their_locations_in_lon_lat_order() -> None:
    read = await Server(frost).client(FROST).things_with_locations()
    placed = {t.name: (t.lon, t.lat) for t in read.entries}
    assert placed["Luftsensor Neumarkt"] == (6.9472, 50.9360)
    assert placed["Pegel Köln"] == (6.9633, 50.9368)  # a GeoJSON Feature; altitude ignored
    lon, lat = placed["Parkhaus Dom"]  # a polygon: a pin near its middle
    assert lon is not None and lat is not None
    assert 6.95 < lon < 6.96 and 50.94 < lat < 50.95
    assert placed["Ohne Ort"] == (None, None)
    assert placed["Kaputter Ort"] == (None, None)
    neumarkt = read.entries[0]
    assert neumarkt.properties == {"operator": "Stadt Köln"} and neumarkt.id == 1
    assert read.entries[2].properties == {}


# --- another server: UUIDs, relative links, sparse entities -----------------------------------


def other(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/Datastreams"):
        if request.url.params.get("$skip") == "2":
            return httpx.Response(200, json=fixture("uuid_datastreams_2.json"))
        return httpx.Response(200, json=fixture("uuid_datastreams_1.json"))
    if path == f"/sta/v1.1/Datastreams('{UUID}')/Observations":
        page = 2 if request.url.params.get("$skip") else 1
        return httpx.Response(200, json=fixture(f"uuid_observations_{page}.json"))
    if path == "/sta/v1.1/Datastreams('o''brien-3')/Observations":
        return httpx.Response(200, json={"value": []})
    return httpx.Response(404, json={"message": "no such path"})


async def test_uuid_ids_relative_links_and_missing_optional_fields() -> None:
    server = Server(other)
    read = await server.client(OTHER).datastreams(top=2)
    assert read.problems == []
    soil, parking, noise = read.entries
    assert soil.id == UUID and soil.thing_name == "Baumsensor Stadtgarten"
    assert soil.unit.symbol == "%" and soil.unit.definition is None
    assert parking.description is None and parking.unit.symbol is None
    assert parking.thing_name is None and parking.observed_property is None
    assert noise.id == "o'brien-3" and noise.unit.symbol == "dB(A)" and noise.unit.name is None
    # the relative link is resolved against the page it came with
    assert str(server.requests[1].url).startswith(OTHER + "/Datastreams?")


async def test_quoted_ids_in_entity_paths() -> None:
    assert entity_path("Datastreams", 5) == "Datastreams(5)"
    assert entity_path("Datastreams", UUID) == f"Datastreams('{UUID}')"
    assert entity_path("Datastreams", "o'brien-3") == "Datastreams('o''brien-3')"
    assert await Server(other).client(OTHER).latest_observation("o'brien-3") is None


async def test_observations_since_a_time_in_utc_with_unreadable_results_counted() -> None:
    server = Server(other)
    since = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    until = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    series = await server.client(OTHER).observations(UUID, since, until)
    points = series.points()
    assert [(t.hour, t.minute) for t, _ in points] == [(10, 0), (11, 0), (11, 30), (14, 0)]
    assert all(t.tzinfo == UTC for t, _ in points)
    assert series.values == [31.0, 32.5, 40.25, 28.0]  # a numeric string is a number
    assert series.unreadable == 4 and series.complete  # null, an object, "n/a", a bad time
    first = server.requests[0].url.params
    assert first["$filter"] == (
        "phenomenonTime ge 2026-11-29T09:00:00Z and phenomenonTime le 2026-11-30T00:00:00Z"
    )
    assert first["$orderby"] == "phenomenonTime asc"
    assert first["$select"] == "phenomenonTime,result"
    assert server.requests[1].url.path == f"/sta/v1.1/Datastreams('{UUID}')/Observations"


async def test_a_series_keeps_to_its_time_even_when_the_server_ignores_the_filter() -> None:
    since = datetime(2026, 11, 29, 11, 15, tzinfo=UTC)
    series = await Server(other).client(OTHER).observations(UUID, since)
    assert series.values == [40.25, 28.0]  # 10:30/11:30 counts as the end of its interval


async def test_observations_want_timezone_aware_times() -> None:
    with pytest.raises(ValueError):
        await Server(other).client(OTHER).observations(UUID, datetime(2026, 11, 29))


# --- servers that refuse options ---------------------------------------------------------------


def observations_unsorted() -> dict[str, Any]:
    start = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    values = [
        {"phenomenonTime": (start + timedelta(minutes=m)).isoformat(), "result": float(m)}
        for m in (30, 0, 50, 10)
    ]
    return {"value": values}


def picky(request: httpx.Request) -> httpx.Response:
    """Refuses nested `$expand`, `$select` and `$orderby` (400 with FROST's error body)."""
    params = request.url.params
    if "(" in params.get("$expand", "") or "$select" in params or "$orderby" in params:
        return refuse(f"unsupported: {request.url.query.decode()}")
    path = request.url.path
    if path.endswith("/Datastreams"):
        body = fixture("frost_datastreams_2.json")
        if "$expand" not in params:
            del body["value"][0]["Thing"]
        return httpx.Response(200, json=body)
    if path.endswith("/Observations"):
        return httpx.Response(200, json=observations_unsorted())
    return httpx.Response(404)


async def test_nested_expand_refused_falls_back_to_a_plain_one_and_remembers() -> None:
    server = Server(picky)
    client = server.client(FROST)
    [stream] = (await client.datastreams()).entries
    assert stream.thing_name == "Pegel Köln" and stream.observed_property == "Wasserstand"
    assert server.asked("$expand") == [NESTED, "Thing,ObservedProperty"]
    server.requests.clear()
    await client.datastreams()
    assert server.asked("$expand") == ["Thing,ObservedProperty"]  # not refused a second time


async def test_orderby_refused_newest_is_picked_here() -> None:
    server = Server(picky)
    client = server.client(FROST)
    latest = await client.latest_observation(5)
    assert latest is not None and latest.value == 50.0
    assert server.asked("$orderby") == ["phenomenonTime desc", None]
    since = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    series = await client.observations(5, since)
    assert series.values == [0.0, 10.0, 30.0, 50.0]  # sorted here
    assert series.times == sorted(series.times)


async def test_no_expand_at_all_fetches_each_thing_on_its_own() -> None:
    def no_expand(request: httpx.Request) -> httpx.Response:
        if "$expand" in request.url.params:
            return httpx.Response(501, text="Not Implemented")
        if request.url.path.endswith(f"/Datastreams('{UUID}')/Thing"):
            return httpx.Response(200, json=fixture("uuid_thing.json"))
        if request.url.path.endswith("/Datastreams"):
            return httpx.Response(
                200,
                json={
                    "value": [{"@iot.id": UUID, "name": "Belegung"}, {"@iot.id": 3, "name": "X"}]
                },
            )
        return httpx.Response(500, text="<html>Internal Server Error</html>")

    server = Server(no_expand)
    read = await server.client(OTHER).datastreams()
    parking, other_stream = read.entries
    assert (parking.thing_name, parking.thing_id) == ("Parkhaus am Dom", "thing-b")
    assert other_stream.thing_name is None  # its Thing could not be fetched: still listed


async def test_things_without_expand_fetch_their_locations() -> None:
    def plain(request: httpx.Request) -> httpx.Response:
        if "$expand" in request.url.params:
            return refuse()
        if request.url.path.endswith("/Things('t-1')/Locations"):
            return httpx.Response(200, json=fixture("locations_t1.json"))
        if request.url.path.endswith("/Things"):
            return httpx.Response(200, json=fixture("things_plain.json"))
        return httpx.Response(404)

    read = await Server(plain).client(OTHER).things_with_locations()
    assert [(t.id, t.lon, t.lat) for t in read.entries] == [
        ("t-1", 6.9345, 50.9405),
        ("t-2", None, None),
    ]


async def test_an_error_body_with_status_200_counts_as_refused() -> None:
    def quiet(request: httpx.Request) -> httpx.Response:
        if "$orderby" in request.url.params:
            return httpx.Response(200, json=fixture("frost_error_400.json"))
        return httpx.Response(200, json=observations_unsorted())

    latest = await Server(quiet).client(FROST).latest_observation(1)
    assert latest is not None and latest.value == 50.0


# --- junk and loops ---------------------------------------------------------------------------


async def test_an_html_error_page_is_bad_data() -> None:
    def html(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            text="<html><body>Wartungsarbeiten</body></html>",
            headers={"content-type": "text/html"},
        )

    with pytest.raises(BadData, match="text/html"):
        await Server(html).client(FROST).datastreams()


async def test_malformed_json_is_bad_data() -> None:
    def broken(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=b'{"value": [{"@iot.id": 1, "name": "NO2"',
            headers={"content-type": "application/json"},
        )

    client = Server(broken).client(FROST)
    with pytest.raises(BadData):
        await client.datastreams()
    with pytest.raises(BadData):
        await client.observations(1, datetime(2026, 11, 30, tzinfo=UTC))


async def test_a_server_error_on_every_variant_is_a_server_error() -> None:
    def down(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="<html>Service Unavailable</html>")

    with pytest.raises(ServerError):
        await Server(down).client(FROST).datastreams()


async def test_a_next_link_loop_is_followed_once() -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        link = f"{FROST}/Datastreams?$skip=2"
        return httpx.Response(
            200, json={"value": [{"@iot.id": 1, "name": "A"}], "@iot.nextLink": link}
        )

    server = Server(loop)
    values = await server.client(FROST).collection("/Datastreams")
    assert len(server.requests) == 2 and len(values) == 2


async def test_endless_new_links_stop_at_the_page_cap() -> None:
    def endless(request: httpx.Request) -> httpx.Response:
        skip = int(request.url.params.get("$skip", "0"))
        link = f"Datastreams?$skip={skip + 1}"
        return httpx.Response(
            200, json={"value": [{"@iot.id": skip, "name": "A"}], "@iot.nextLink": link}
        )

    server = Server(endless)
    client = server.client(FROST)
    values = await client.collection("/Datastreams")
    assert len(server.requests) == MAX_PAGES and len(values) == MAX_PAGES
    server.requests.clear()
    assert len(await client.collection("/Datastreams", max_items=3)) == 3
    assert len(server.requests) == 3
    series = await client.observations(1, datetime(2026, 11, 30, tzinfo=UTC), max_items=5)
    assert not series.complete  # the cap stopped the reading, and the series says so


async def test_a_next_link_to_another_host_is_not_followed() -> None:
    def elsewhere(_request: httpx.Request) -> httpx.Response:
        link = "http://evil.test/v1.1/Datastreams?$skip=1"
        return httpx.Response(
            200, json={"value": [{"@iot.id": 1, "name": "A"}], "@iot.nextLink": link}
        )

    server = Server(elsewhere)
    assert len(await server.client(FROST).collection("/Datastreams")) == 1
    assert [r.url.host for r in server.requests] == ["frost.test"]


async def test_a_misnamed_server_root_in_next_link_is_read_from_our_host() -> None:
    def proxied(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("$skip"):
            return httpx.Response(200, json={"value": [{"@iot.id": 2, "name": "B"}]})
        link = "http://localhost:8080/FROST-Server/v1.1/Datastreams?$skip=1"
        return httpx.Response(
            200, json={"value": [{"@iot.id": 1, "name": "A"}], "@iot.nextLink": link}
        )

    server = Server(proxied)
    assert len(await server.client(FROST).collection("/Datastreams")) == 2
    assert [r.url.host for r in server.requests] == ["frost.test", "frost.test"]


def test_times_and_numbers_as_servers_write_them() -> None:
    assert parse_time("2026-11-30T10:00:00+01:00") == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert parse_time("2026-11-30T09:00:00.123Z") == datetime(
        2026, 11, 30, 9, 0, 0, 123000, tzinfo=UTC
    )
    assert parse_time("2026-11-30T08:00:00Z/2026-11-30T09:00:00Z") == datetime(
        2026, 11, 30, 9, 0, tzinfo=UTC
    )
    assert parse_time("2026-11-30T09:00:00") == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert parse_time(None) is None and parse_time("gestern") is None
    assert number(3) == 3.0 and number(" 4.5 ") == 4.5 and number("1e3") == 1000.0
    assert number(True) is None and number("NaN") is None and number({"v": 1}) is None
    assert number(None) is None and number(float("inf")) is None


async def test_a_server_error_falls_back_once_without_being_remembered() -> None:
    calls = {"nested": 0}

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("$expand") == NESTED:
            calls["nested"] += 1
            if calls["nested"] == 1:
                return httpx.Response(500, text="<html>Internal Server Error</html>")
        return httpx.Response(200, json=fixture("frost_datastreams_2.json"))

    server = Server(flaky)
    client = server.client(FROST)
    assert [s.name for s in (await client.datastreams()).entries] == ["Wasserstand Rhein"]
    await client.datastreams()
    assert server.asked("$expand") == [NESTED, "Thing,ObservedProperty", NESTED]
