"""The CKAN client against recorded-shape answers: CKAN and the city's DKAN, and broken answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.errors import BadData, NotFound, Rejected, ServerError
from services.open_data.ckan import FACET_FIELDS, CkanClient

pytestmark = pytest.mark.anyio

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ckan"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def json_answer(name: str, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, content=fixture(name), headers={"content-type": "application/json"}
    )


def serving(
    routes: dict[str, Callable[[httpx.Request], httpx.Response]],
) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering by path (404 otherwise), and the requests it saw."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = routes.get(request.url.path)
        return answer(request) if answer else httpx.Response(404, text="Not Found")

    return httpx.MockTransport(handler), seen


async def test_package_search_sends_fq_and_facets_and_reads_search_facets() -> None:
    transport, seen = serving(
        {"/api/3/action/package_search": lambda r: json_answer("package_search.json")}
    )
    client = CkanClient("http://ckan.test", transport=transport)
    found = await client.package_search(
        "rad", fq='organization:"stadt-koeln"', rows=5000, facet_fields=FACET_FIELDS
    )
    params = seen[0].url.params
    assert params["q"] == "rad" and params["fq"] == 'organization:"stadt-koeln"'
    assert params["rows"] == "1000"  # CKAN's ceiling
    assert json.loads(params["facet.field"]) == list(FACET_FIELDS)
    assert found.count == 2 and found.results[0].name == "radverkehr-zaehlstellen"
    assert [(i.name, i.count) for i in found.facets["res_format"]] == [("CSV", 2), ("JSON", 1)]
    assert found.facets["organization"][0].display_name == "Stadt Köln"
    assert found.facets["license_id"] == []
    assert found.results[0].groups[0].name == "verkehr"


async def test_package_search_without_facets_sends_none() -> None:
    transport, seen = serving(
        {"/api/3/action/package_search": lambda r: json_answer("package_search.json")}
    )
    await CkanClient("http://ckan.test", transport=transport).package_search()
    assert "facet.field" not in seen[0].url.params and "fq" not in seen[0].url.params


async def test_package_show_ckan_and_dkan() -> None:
    transport, _ = serving(
        {"/api/3/action/package_show": lambda r: json_answer("package_show.json")}
    )
    package = await CkanClient("http://ckan.test", transport=transport).package_show("rad")
    assert package.title == "Radverkehr: Zählstellen" and package.resources[0].datastore_active
    assert package.modified_at is not None and package.modified_at.year == 2026

    transport, _ = serving(
        {"/api/3/action/package_show": lambda r: json_answer("dkan_package_show.json")}
    )
    dkan = CkanClient("http://dkan.test", transport=transport, flavour="dkan")
    package = await dkan.package_show("kundenzentren-wartezeiten")
    assert package.name == "kundenzentren-wartezeiten"
    assert package.modified_at is None  # DKAN's "Mon, 23/11/2026 - 08:00" is not ISO


async def test_organization_and_group_lists() -> None:
    transport, _ = serving(
        {
            "/api/3/action/organization_list": lambda r: json_answer("organization_list.json"),
            "/api/3/action/group_list": lambda r: json_answer("group_list.json"),
        }
    )
    client = CkanClient("http://ckan.test", transport=transport)
    assert await client.organization_list() == ["amt-fuer-statistik", "stadt-koeln", "umweltamt"]
    assert await client.group_list() == ["bildung", "umwelt", "verkehr"]


async def test_ckan_datastore_search_sends_filters_as_json() -> None:
    transport, seen = serving(
        {"/api/3/action/datastore_search": lambda r: json_answer("datastore_search.json")}
    )
    client = CkanClient("http://ckan.test", transport=transport)
    page = await client.datastore_search(
        "r-rad-csv",
        filters={"zaehlstelle": "Deutzer Brücke"},
        sort="datum desc",
        limit=2,
        fields=["datum", "anzahl"],
    )
    params = seen[0].url.params
    assert json.loads(params["filters"]) == {"zaehlstelle": "Deutzer Brücke"}
    assert params["fields"] == "datum,anzahl" and params["limit"] == "2"
    assert "q" not in params
    assert page.total == 730 and page.records[0]["anzahl"] == 4210
    assert [f.id for f in page.fields] == ["_id", "datum", "zaehlstelle", "anzahl"]


async def test_dkan_datastore_search_uses_its_path_bracket_filters_and_string_numbers() -> None:
    transport, seen = serving(
        {"/api/action/datastore/search.json": lambda r: json_answer("dkan_datastore_search.json")}
    )
    client = CkanClient("http://dkan.test", transport=transport, flavour="dkan")
    page = await client.datastore_search("d-wartezeit", filters={"kundenzentrum": "Kalk"}, limit=2)
    params = seen[0].url.params
    assert params["filters[kundenzentrum]"] == "Kalk" and params["resource_id"] == "d-wartezeit"
    assert page.total == 9
    assert page.records[0] == {"kundenzentrum": "Kalk", "wartezeit_minuten": 19, "quote": 0.25}
    assert page.records[1]["quote"] is None  # an empty numeric cell


def html_page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, content=fixture("error_page.html"), headers={"content-type": "text/html"}
    )


def malformed(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, content=b'{"success": true, "result": [', headers={"content-type": "application/json"}
    )


def not_authorized(request: httpx.Request) -> httpx.Response:
    return json_answer("not_authorized.json")


def wrong_shape(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"success": True, "result": {"fields": "nope"}})


def not_an_envelope(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=[1, 2, 3])


def broken_server(request: httpx.Request) -> httpx.Response:
    return httpx.Response(500, content=fixture("error_page.html"))


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (html_page, BadData),
        (malformed, BadData),
        (not_authorized, Rejected),
        (wrong_shape, BadData),
        (not_an_envelope, BadData),
        (broken_server, ServerError),
    ],
)
@pytest.mark.parametrize("flavour", ["ckan", "dkan"])
async def test_every_broken_answer_is_a_clear_error(
    answer: Callable[[httpx.Request], httpx.Response], error: type[Exception], flavour: Any
) -> None:
    transport = httpx.MockTransport(answer)
    client = CkanClient("http://ckan.test", transport=transport, flavour=flavour)
    with pytest.raises(error):
        await client.datastore_search("r")
    with pytest.raises(error):
        await client.package_search("x", facet_fields=FACET_FIELDS)
    with pytest.raises(error):
        await client.package_show("x")
    with pytest.raises(error):
        await client.organization_list()


async def test_wrong_shapes_of_lists_and_facets_are_bad_data() -> None:
    search = json.loads(fixture("package_search.json"))
    search["result"]["search_facets"] = {"groups": {"items": "many"}}

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("package_search"):
            return httpx.Response(200, json=search)
        return httpx.Response(200, json={"success": True, "result": ["ok", 7]})

    client = CkanClient("http://ckan.test", transport=httpx.MockTransport(answer))
    with pytest.raises(BadData):
        await client.package_search()
    with pytest.raises(BadData):
        await client.group_list()


async def test_ckan_datastore_total_must_be_a_number_but_dkan_may_send_a_string() -> None:
    body = json.loads(fixture("datastore_search.json"))
    body["result"]["total"] = "730"
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=body))
    with pytest.raises(BadData):
        await CkanClient("http://ckan.test", transport=transport).datastore_search("r")


async def test_missing_dataset_is_not_found() -> None:
    transport, _ = serving({})
    with pytest.raises(NotFound):
        await CkanClient("http://ckan.test", transport=transport).package_show("nope")


async def test_groups_and_tags_as_bare_names_are_read() -> None:
    body = json.loads(fixture("package_show.json"))
    body["result"]["groups"] = ["verkehr"]
    body["result"]["tags"] = ["Fahrrad", {"name": "Rad"}]
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=body))
    package = await CkanClient("http://ckan.test", transport=transport).package_show("rad")
    assert [g.name for g in package.groups] == ["verkehr"]
    assert [t.name for t in package.tags] == ["Fahrrad", "Rad"]
