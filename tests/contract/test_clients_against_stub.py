"""Each client against the stub in-process (httpx ASGITransport): the real wire formats."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from services.appointments.zms import ZmsClient
from services.errors import BadData, NotFound, Offline, Rejected
from services.hub import SourceUrls
from services.open_data.ckan import CkanClient, Package
from services.participation.client import ParticipationClient
from services.sensors.sensorthings import SensorThingsClient, entity_path
from services.waiting_times.feed import WaitingFeedClient
from tests.conftest import AT_MONDAY_10, KUNDENZENTREN, MONDAY_10

pytestmark = pytest.mark.anyio


@pytest.mark.clock(AT_MONDAY_10)
async def test_waiting_feed_has_all_kundenzentren_and_the_frozen_entry(
    stub_urls: SourceUrls, stub_transport: httpx.ASGITransport
) -> None:
    client = WaitingFeedClient(stub_urls.waiting, transport=stub_transport)
    read = await client.fetch()
    assert read.problems == []  # the stub speaks the protocol exactly
    entries = read.offices
    names = {e.office.removeprefix("Kundenzentrum ") for e in entries}
    assert names >= set(KUNDENZENTREN)
    assert "Kfz-Zulassungsstelle" in names
    live = [e for e in entries if e.office != "Kfz-Zulassungsstelle"]
    assert all(e.measured_at == MONDAY_10 for e in live)
    assert all(e.wait_minutes is not None and e.is_open for e in live)
    frozen = next(e for e in entries if e.office == "Kfz-Zulassungsstelle")
    assert frozen.measured_at is not None and (MONDAY_10 - frozen.measured_at).days > 365


async def test_waiting_feed_is_all_strings(stub_transport: httpx.ASGITransport) -> None:
    async with httpx.AsyncClient(transport=stub_transport, base_url="http://stub.test") as http:
        body = (await http.get("/externe-dienste/open-data/waiting-od.php")).json()
    assert body["success"] is True
    for item in body["items"]:
        assert set(item) == {
            "title_anz",
            "timestamp",
            "link",
            "status",
            "sondertext",
            "wartezeit_minuten",
        }
        assert all(isinstance(v, str) for v in item.values())
        assert item["status"] in ("1", "2")


async def test_zms_offices_and_services(
    stub_urls: SourceUrls, stub_transport: httpx.ASGITransport
) -> None:
    data = await ZmsClient(stub_urls.zms, transport=stub_transport).offices_and_services()
    assert len(data.offices) == 10
    assert {s.name for s in data.services} >= {"Personalausweis beantragen", "Fahrzeug zulassen"}
    innenstadt = next(o for o in data.offices if o.name == "Kundenzentrum Innenstadt")
    assert innenstadt.geo is not None and 50 < innenstadt.geo.lat < 51.1
    offered = {r.service_id for r in data.relations if r.office_id == innenstadt.id}
    assert 1001 in offered and 2001 not in offered  # vehicles only at the Zulassungsstelle


async def test_ckan_search_show_and_errors(
    stub_urls: SourceUrls, stub_transport: httpx.ASGITransport
) -> None:
    client = CkanClient(stub_urls.ckan, transport=stub_transport)
    everything = await client.package_search(rows=100)
    assert everything.count == len(everything.results) >= 5
    found = await client.package_search("Luftqualität")
    assert [p.name for p in found.results] == ["luftqualitaet-lorawan"]
    package = await client.package_show("luftqualitaet-lorawan")
    assert package.organization is not None and package.organization.title == "Stadt Köln"
    assert {r.format for r in package.resources} == {"CSV", "API"}
    with pytest.raises(NotFound):
        await client.package_show("gibt-es-nicht")


async def test_ckan_client_copes_with_dkan_lists_and_failures() -> None:
    def dkan(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("package_show"):
            return httpx.Response(
                200,
                json={
                    "success": True,
                    "result": [{"id": "1", "name": "n", "title": "T", "resources": []}],
                },
            )
        return httpx.Response(200, json={"success": False, "error": {"message": "nope"}})

    client = CkanClient("http://dkan.test", transport=httpx.MockTransport(dkan))
    assert (await client.package_show("n")).title == "T"
    with pytest.raises(Rejected):
        await client.package_search()


async def test_sensorthings_datastreams_latest_value_and_paging(
    stub_urls: SourceUrls, stub_transport: httpx.ASGITransport
) -> None:
    client = SensorThingsClient(stub_urls.sta, transport=stub_transport)
    read = await client.datastreams(top=10)  # forces @iot.nextLink paging
    streams = read.entries
    assert len(streams) == 46 and read.problems == []  # all of the stub's Datastreams
    assert streams[0].thing_name == "Luftsensor Neumarkt"
    assert streams[0].unit.symbol == "µg/m³"
    latest = await client.latest_observation(streams[0].id)
    assert latest is not None and isinstance(latest.result, float)
    with pytest.raises(NotFound):
        await client.latest_observation(999)


def test_entity_ids_are_opaque() -> None:
    assert entity_path("Datastreams", 5) == "Datastreams(5)"
    assert entity_path("Things", "a'b") == "Things('a''b')"


async def test_sensorthings_falls_back_without_expand() -> None:
    def frost(request: httpx.Request) -> httpx.Response:
        if "$expand" in request.url.params:
            return httpx.Response(400, json={"message": "not supported"})
        return httpx.Response(
            200,
            json={
                "value": [{"@iot.id": "uuid-1", "name": "S", "unitOfMeasurement": {"name": "m"}}]
            },
        )

    client = SensorThingsClient("http://frost.test/v1.1", transport=httpx.MockTransport(frost))
    [stream] = (await client.datastreams()).entries
    assert stream.id == "uuid-1" and stream.thing_name is None


async def test_participation_surveys(
    stub_urls: SourceUrls, stub_transport: httpx.ASGITransport
) -> None:
    read = await ParticipationClient(stub_urls.participation, transport=stub_transport).surveys()
    surveys = read.entries
    assert read.problems == []
    assert {s.pillar for s in surveys} == {"governance", "smart_city", "data_economy"}
    assert all(s.question_count >= 1 for s in surveys)


async def test_failures_map_into_the_error_tree(offline_transport: httpx.MockTransport) -> None:
    with pytest.raises(Offline):
        await WaitingFeedClient("http://x.test/feed", transport=offline_transport).fetch()

    def html(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, text="<html>Wartung</html>", headers={"content-type": "text/html"}
        )

    with pytest.raises(BadData):
        await WaitingFeedClient("http://x.test/feed", transport=httpx.MockTransport(html)).fetch()

    def zms_error(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            404, json={"errors": [{"errorCode": "officesNotFound", "errorMessage": "no offices"}]}
        )

    with pytest.raises(NotFound, match="officesNotFound"):
        await ZmsClient(
            "http://z.test", transport=httpx.MockTransport(zms_error)
        ).offices_and_services()


async def test_a_slow_server_times_out_instead_of_hanging() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    from services.errors import TimedOut

    with pytest.raises(TimedOut):
        await WaitingFeedClient("http://x.test/feed", transport=httpx.MockTransport(slow)).fetch()


async def test_every_client_rejects_a_broken_entry_on_its_own() -> None:
    """One place (services/checked.py) reads lists for all sources: the good entries stay."""

    def server(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/Datastreams"):
            return httpx.Response(200, json={"value": [{"@iot.id": 1, "name": "NO2"}, {"name": 5}]})
        if path.endswith("/surveys"):
            good = {"id": "s1", "title": "Wi-Fi", "pillar": "smart_city"}
            return httpx.Response(200, json=[good, {"id": "s2", "title": "No pillar"}])
        if path.endswith("/package_search"):
            result = {"count": 2, "results": [{"id": "a", "name": "a"}, {"title": "nameless"}]}
            return httpx.Response(200, json={"help": "", "success": True, "result": result})
        if path.endswith("/offices-and-services/"):
            body = {
                "offices": [{"id": 1, "name": "KZ Kalk"}, {"id": "x", "name": "KZ Porz"}],
                "services": [{"id": 1, "name": "Personalausweis"}],
                "relations": [{"officeId": 1, "serviceId": 1}, 7],
            }
            return httpx.Response(200, json=body)
        return httpx.Response(404)

    transport = httpx.MockTransport(server)
    streams = await SensorThingsClient("http://s.test/v1.1", transport=transport).datastreams()
    assert [s.name for s in streams.entries] == ["NO2"] and len(streams.problems) == 1
    surveys = await ParticipationClient("http://p.test/v1", transport=transport).surveys()
    assert [s.id for s in surveys.entries] == ["s1"]
    assert [p.name for p in surveys.problems] == ["No pillar"]
    found = await CkanClient("http://c.test", transport=transport).package_search()
    assert [p.name for p in found.results] == ["a"] and found.problems[0].name == "nameless"
    assert found.freshness(MONDAY_10).unreadable == 1
    zms = await ZmsClient("http://z.test", transport=transport).offices_and_services()
    assert [o.name for o in zms.offices] == ["KZ Kalk"] and len(zms.relations) == 1
    assert [p.name for p in zms.problems] == ["KZ Porz", None]


def test_a_dataset_knows_when_it_last_changed() -> None:
    naive = Package(id="a", name="a", metadata_modified="2026-10-01T08:30:00.123456")
    assert naive.modified_at == datetime(2026, 10, 1, 8, 30, 0, 123456, tzinfo=UTC)
    assert Package(id="a", name="a", metadata_modified="gestern").modified_at is None
    assert Package(id="a", name="a").modified_at is None
