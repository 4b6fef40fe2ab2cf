"""The stub's CKAN Action API: search with fq and facets, datastore_search, CSV downloads."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend_stub.clock import FixedClock
from backend_stub.main import create_app
from backend_stub.open_data import catalogue
from backend_stub.open_data.tables import LARGE_ROWS
from tests.conftest import ADMIN_TOKEN, serving

pytestmark = pytest.mark.anyio

CKAN = "/api/3/action"
MONDAY_10 = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
FACETS = ["groups", "organization", "res_format", "license_id", "tags"]


@pytest.fixture
async def http(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        f"sqlite:///{tmp_path / 'stub.sqlite3'}",
        admin_token=ADMIN_TOKEN,
        clock=FixedClock(MONDAY_10),
        queue_speed=0,
    )
    async with serving(app) as client:
        yield client


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and body["help"].endswith(response.url.path)
    return body["result"]


def failure(response: httpx.Response, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error"]["__type"] == kind
    return str(body["error"]["message"])


async def search(http: httpx.AsyncClient, **params: Any) -> Any:
    return ok(await http.get(f"{CKAN}/package_search", params=params))


async def resource(http: httpx.AsyncClient, dataset: str, fmt: str = "CSV") -> dict[str, Any]:
    package = ok(await http.get(f"{CKAN}/package_show", params={"id": dataset}))
    return next(r for r in package["resources"] if r["format"] == fmt)


async def datastore(http: httpx.AsyncClient, **params: Any) -> httpx.Response:
    return await http.get(f"{CKAN}/datastore_search", params=params)


def test_the_catalogue_is_large_varied_and_fixed() -> None:
    specs = catalogue.DATASETS
    assert len(specs) >= 60 and len({s.name for s in specs}) == len(specs)
    groups = {g for s in specs for g in s.groups}
    assert {"verkehr", "umwelt", "bevoelkerung", "wirtschaft", "kultur", "verwaltung"} <= groups
    assert {s.license_id for s in specs} == {"dl-de-by-2.0", "dl-de-zero-2.0", "cc-by-4.0"}
    formats = {r.format for s in specs for r in s.resources}
    assert {"CSV", "JSON", "GeoJSON", "XLSX", "PDF", "WMS"} <= formats
    assert len({s.organization for s in specs}) >= 5
    dates = [catalogue.modified(i) for i in range(len(specs))]
    assert all(catalogue.REFERENCE_DATE - d <= timedelta(days=730) for d in dates)
    assert len(set(dates)) == len(dates)
    assert sum(r.datastore for s in specs for r in s.resources) >= 8


async def test_search_everything_with_all_facets_by_default(http: httpx.AsyncClient) -> None:
    result = await search(http, rows=1000)
    assert result["count"] == len(catalogue.DATASETS) == len(result["results"])
    assert set(result["search_facets"]) == set(FACETS) == set(result["facets"])
    groups = result["search_facets"]["groups"]
    assert groups["title"] == "groups"
    verkehr = next(i for i in groups["items"] if i["name"] == "verkehr")
    assert verkehr["display_name"] == "Verkehr"
    assert verkehr["count"] == result["facets"]["groups"]["verkehr"]
    counts = [i["count"] for i in groups["items"]]
    assert counts == sorted(counts, reverse=True)
    names = {p["name"] for p in result["results"]}
    assert {"wartezeiten-kundenzentren", "luftqualitaet-lorawan"} <= names


async def test_search_with_words_fq_and_chosen_facets(http: httpx.AsyncClient) -> None:
    found = await search(http, q="Luftqualität")
    assert [p["name"] for p in found["results"]] == ["luftqualitaet-lorawan"]
    result = await search(
        http,
        fq='groups:verkehr res_format:"CSV"',
        rows=100,
        **{"facet.field": json.dumps(["organization", "license_id"])},
    )
    assert result["count"] >= 3
    for package in result["results"]:
        assert "verkehr" in {g["name"] for g in package["groups"]}
        assert "CSV" in {r["format"] for r in package["resources"]}
    assert set(result["search_facets"]) == {"organization", "license_id"}
    assert sum(result["facets"]["license_id"].values()) == result["count"]
    quoted = await search(http, fq='organization:umweltamt tags:"Hochwasser"')
    assert {p["name"] for p in quoted["results"]} == {
        "pegel-koeln-jahresmittel",
        "hochwasserschutz",
    }
    licence = await search(http, fq="license_id:cc-by-4.0", rows=100)
    assert {p["license_id"] for p in licence["results"]} == {"cc-by-4.0"}
    assert (await search(http, q="gibtesnichtxyz"))["count"] == 0


async def test_search_pages_and_sorts(http: httpx.AsyncClient) -> None:
    by_title = await search(http, sort="title_string asc", rows=1000)
    titles = [p["title"].lower() for p in by_title["results"]]
    assert titles == sorted(titles) and by_title["sort"] == "title_string asc"
    newest = await search(http, sort="metadata_modified desc", rows=1000)
    dates = [p["metadata_modified"] for p in newest["results"]]
    assert dates == sorted(dates, reverse=True)
    assert (await search(http, rows=1000))["results"] == newest["results"]
    first = await search(http, sort="name asc", rows=5, start=0)
    second = await search(http, sort="name asc", rows=5, start=5)
    everything = await search(http, sort="name asc", rows=10)
    assert first["results"] + second["results"] == everything["results"]
    assert len(first["results"]) == 5 and first["count"] == everything["count"]


@pytest.mark.parametrize(
    "params",
    [
        {"rows": "1001"},
        {"rows": "zehn"},
        {"start": "-1"},
        {"sort": "popularity desc"},
        {"sort": "title_string sideways"},
        {"fq": "author:niemand"},
        {"fq": 'groups:"offen'},
        {"facet.field": "groups"},
        {"facet.field": '["maintainer"]'},
    ],
)
async def test_search_refuses_what_it_cannot_use(
    http: httpx.AsyncClient, params: dict[str, str]
) -> None:
    failure(await http.get(f"{CKAN}/package_search", params=params), 409, "Validation Error")


async def test_package_show_and_lists(http: httpx.AsyncClient) -> None:
    package = ok(await http.get(f"{CKAN}/package_show", params={"id": "museen-besucher"}))
    assert package["organization"] == {"name": "kulturamt", "title": "Kulturamt"}
    assert package["license_title"].startswith("Creative Commons")
    assert package["num_resources"] == len(package["resources"]) == 2
    assert package["metadata_modified"] < catalogue.REFERENCE_DATE.isoformat()
    by_id = ok(await http.get(f"{CKAN}/package_show", params={"id": package["id"]}))
    assert by_id == package
    failure(await http.get(f"{CKAN}/package_show", params={"id": "nix"}), 404, "Not Found Error")
    names = ok(await http.get(f"{CKAN}/organization_list"))
    assert "umweltamt" in names and names == sorted(names)
    whole = ok(await http.get(f"{CKAN}/organization_list", params={"all_fields": "true"}))
    assert [o["name"] for o in whole] == names
    assert sum(o["package_count"] for o in whole) == len(catalogue.DATASETS)
    groups = ok(await http.get(f"{CKAN}/group_list", params={"all_fields": "true"}))
    assert {"name": "kultur", "title": "Kultur"}.items() <= next(
        g for g in groups if g["name"] == "kultur"
    ).items()
    assert "kultur" in ok(await http.get(f"{CKAN}/group_list"))
    assert "Hochwasser" in ok(await http.get(f"{CKAN}/tag_list"))
    failure(
        await http.get(f"{CKAN}/group_list", params={"all_fields": "vielleicht"}),
        409,
        "Validation Error",
    )


async def test_datastore_pages_filters_sorts_and_picks_fields(http: httpx.AsyncClient) -> None:
    einwohner = await resource(http, "bevoelkerung-stadtteile")
    assert einwohner["datastore_active"] is True
    rid = einwohner["id"]
    first = ok(await datastore(http, resource_id=rid))
    assert first["resource_id"] == rid and first["limit"] == 100 and first["offset"] == 0
    assert 20 <= first["total"] <= 500 and len(first["records"]) == min(100, first["total"])
    types = {f["id"]: f["type"] for f in first["fields"]}
    assert types == {
        "_id": "int",
        "Stadtteil": "text",
        "Stadtbezirk": "text",
        "Jahr": "int4",
        "Einwohner": "int4",
        "Anteil_ueber_65": "numeric",
    }
    assert first["_links"]["next"].endswith("offset=100")
    filtered = ok(
        await datastore(
            http,
            resource_id=rid,
            filters=json.dumps({"Jahr": 2023, "Stadtbezirk": "Porz"}),
            sort="Einwohner desc",
            fields="Stadtteil,Einwohner",
        )
    )
    assert [f["id"] for f in filtered["fields"]] == ["Stadtteil", "Einwohner"]
    assert {r["Stadtteil"] for r in filtered["records"]} == {"Porz", "Wahn", "Zündorf"}
    people = [r["Einwohner"] for r in filtered["records"]]
    assert people == sorted(people, reverse=True) and filtered["total"] == 3
    page = ok(await datastore(http, resource_id=rid, sort="Jahr asc, Stadtteil desc", limit=7))
    also = ok(await datastore(http, resource_id=rid, sort="Jahr, Stadtteil desc", offset=7))
    assert len(page["records"]) == 7 and page["records"][-1]["Jahr"] == 2021
    whole = page["records"] + also["records"][: 100 - 7]
    keys = [(r["Jahr"], r["Stadtteil"]) for r in whole]
    assert keys == sorted(keys, key=lambda k: (k[0], [-ord(c) for c in k[1]]))
    several = ok(await datastore(http, resource_id=rid, filters='{"Jahr": [2021, "2022"]}'))
    assert several["total"] == 2 * first["total"] // 3
    words = ok(await datastore(http, resource_id=rid, q="Ehrenfeld"))
    assert words["total"] == 3 * 4  # four Stadtteile of Ehrenfeld in three years
    most = ok(await datastore(http, resource_id=rid, limit=100000))
    assert most["limit"] == 32000 and len(most["records"]) == most["total"]


async def test_every_datastore_table_has_the_right_shape(http: httpx.AsyncClient) -> None:
    result = await search(http, fq="res_format:CSV", rows=1000)
    active = [
        r for p in result["results"] for r in p["resources"] if r.get("datastore_active") is True
    ]
    assert len(active) >= 8
    for item in active:
        table = ok(await datastore(http, resource_id=item["id"], limit=1000))
        assert 20 <= table["total"] <= 500 and len(table["records"]) == table["total"]
        kinds = {f["type"] for f in table["fields"]}
        columns = {f["id"] for f in table["fields"]}
        assert kinds & {"date", "timestamp", "text"} or "Jahr" in columns
        assert kinds & {"numeric", "int4"}


@pytest.mark.parametrize(
    "params",
    [
        {"filters": '{"Bezirk": "Porz"}'},
        {"filters": "Jahr=2023"},
        {"filters": "[1, 2]"},
        {"sort": "Groesse desc"},
        {"sort": "Jahr upwards"},
        {"fields": "Stadtteil,Flaeche"},
        {"limit": "viele"},
        {"offset": "-5"},
    ],
)
async def test_datastore_refuses_unknown_columns_and_bad_numbers(
    http: httpx.AsyncClient, params: dict[str, str]
) -> None:
    rid = (await resource(http, "bevoelkerung-stadtteile"))["id"]
    failure(await datastore(http, resource_id=rid, **params), 409, "Validation Error")


async def test_datastore_knows_no_other_resource(http: httpx.AsyncClient) -> None:
    failure(await datastore(http, resource_id="gibt-es-nicht"), 404, "Not Found Error")
    failure(await datastore(http), 409, "Validation Error")
    large = await resource(http, "verkehrszaehlung-rohdaten")
    assert large["datastore_active"] is False
    failure(await datastore(http, resource_id=large["id"]), 404, "Not Found Error")


def german_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def decimal(value: str) -> float:
    assert "." not in value
    return float(value.replace(",", "."))


async def test_csv_downloads_in_utf8_with_decimal_comma(http: httpx.AsyncClient) -> None:
    item = await resource(http, "luftschadstoffe-monatsmittel")
    response = await http.get(item["url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = german_rows(response.content.decode("utf-8"))
    records = ok(await datastore(http, resource_id=item["id"], limit=1000))["records"]
    assert len(rows) == len(records)
    assert rows[0]["Station"] == records[0]["Station"] == "Clevischer Ring"
    assert [decimal(r["NO2"]) for r in rows] == [r["NO2"] for r in records]
    assert any("," in r["PM10"] for r in rows)
    einwohner = await resource(http, "bevoelkerung-stadtteile")
    text = (await http.get(einwohner["url"])).content.decode("utf-8")
    assert "Sülz" in text and "Mülheim" in text


async def test_csv_downloads_in_windows_1252(http: httpx.AsyncClient) -> None:
    item = await resource(http, "museen-besucher")
    response = await http.get(item["url"])
    assert response.headers["content-type"] == "text/csv; charset=windows-1252"
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    rows = german_rows(response.content.decode("cp1252"))
    assert "Römisch-Germanisches Museum" in {r["Museum"] for r in rows}
    records = ok(await datastore(http, resource_id=item["id"], limit=1000))["records"]
    assert [int(r["Besuche"]) for r in rows] == [r["Besuche"] for r in records]
    kfz = await resource(http, "kfz-zulassungen")
    assert "Krafträder" in (await http.get(kfz["url"])).content.decode("cp1252")


async def test_every_csv_of_the_catalogue_downloads(http: httpx.AsyncClient) -> None:
    """A citizen who opens any dataset with a CSV sees a table, never "not found"."""
    result = await search(http, fq="res_format:CSV", rows=1000)
    csvs = [
        r
        for p in result["results"]
        for r in p["resources"]
        if r["format"] == "CSV" and "verkehrszaehlung" not in r["url"]  # the huge one streams
    ]
    assert len(csvs) >= 30
    for item in csvs:
        response = await http.get(item["url"])
        assert response.status_code == 200, item["url"]
        rows = german_rows(response.content.decode(response.encoding or "utf-8"))
        assert len(rows) >= 20 and len(rows[0]) >= 3, item["url"]


async def test_a_download_url_names_dataset_resource_and_file(http: httpx.AsyncClient) -> None:
    item = await resource(http, "pegel-koeln-jahresmittel")
    assert (await http.get(item["url"])).status_code == 200
    assert (await http.get(item["url"].replace("pegel-koeln", "pegel-bonn"))).status_code == 404
    assert (await http.get(item["url"].replace(".csv", ".xlsx"))).status_code == 404
    pdf = await resource(http, "museen-besucher", "PDF")
    assert (await http.get(pdf["url"])).status_code == 404


async def test_the_large_csv_streams(http: httpx.AsyncClient) -> None:
    item = await resource(http, "verkehrszaehlung-rohdaten")
    lines: list[str] = []
    async with http.stream("GET", item["url"]) as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers
        async for line in response.aiter_lines():
            lines.append(line)
            if len(lines) == 50:
                break
    rows = german_rows("\n".join(lines))
    assert list(rows[0]) == ["Zeitpunkt", "Zaehlstelle", "Kfz", "Anteil_Lkw"]
    assert rows[0]["Zeitpunkt"] == "2025-01-01T00:00:00" and len(rows) == 49
    assert all(int(r["Kfz"]) > 0 and decimal(r["Anteil_Lkw"]) >= 3 for r in rows)
    assert LARGE_ROWS == 200_000
