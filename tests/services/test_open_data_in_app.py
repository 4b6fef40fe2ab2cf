"""Open data as the app uses it: the catalogue synced into the cache, previews shared by
everybody, favourites kept per person with their rows (and found again offline)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from app.wiring import build_services
from backend_stub.clock import FixedClock
from services.errors import Offline
from services.hub import AppServices, SourceUrls
from services.open_data.csv_preview import Column, Table
from services.open_data.favourites import table_from_json, table_to_json
from services.open_data.previews import tabular_resource
from services.shared_fetch import SharedFetches

pytestmark = pytest.mark.anyio

ANNA = "anna-" + "a" * 20
BERT = "bert-" + "b" * 20


async def synced(services: AppServices) -> None:
    state = await services.coordinators.catalogue.refresh()
    assert state.last_error is None


async def test_the_whole_catalogue_is_synced_and_searchable_offline(
    tmp_path: Path,
    clock: FixedClock,
    stub_urls: SourceUrls,
    stub_transport: httpx.ASGITransport,
    offline_transport: httpx.MockTransport,
) -> None:
    data_dir = tmp_path / "app-data"
    online = build_services(stub_urls, data_dir, clock=clock, transport=stub_transport)
    await synced(online)
    summary = online.coordinators.catalogue.data
    assert summary is not None and summary.count == online.open_data.catalogue.count() >= 60
    assert summary.label("groups", "verkehr") != ""
    assert summary.label("organization", "umweltamt") != "umweltamt"  # the Amt's own name
    await online.aclose()

    clock.advance(timedelta(days=3))
    offline = build_services(stub_urls, data_dir, clock=clock, transport=offline_transport)
    try:
        state = await offline.coordinators.catalogue.refresh()
        assert isinstance(state.last_error, Offline)
        assert state.data is not None and state.data.count == summary.count  # the last good one
        page = offline.open_data.catalogue.search("parkhaus", facets=True)
        assert page.count >= 1
        assert any("Parkh" in e.title for e in page.entries)
        assert page.synced_at is not None and page.synced_at < clock.now() - timedelta(days=2)
        by_group = offline.open_data.catalogue.search(group="umwelt")
        assert by_group.count >= 5
        assert all("umwelt" in e.groups for e in by_group.entries)
    finally:
        await offline.aclose()


async def test_previews_read_the_datastore_and_german_csv_files(services: AppServices) -> None:
    await synced(services)
    open_data = services.open_data
    kfz = open_data.cached_package("kfz-zulassungen")
    assert kfz is not None
    resource = tabular_resource(kfz)
    assert resource is not None and resource.datastore_active
    table = (await open_data.preview(resource)).value
    assert not table.is_empty and any(c.kind == "number" for c in table.columns)

    huge = open_data.cached_package("verkehrszaehlung-rohdaten")
    assert huge is not None
    csv_only = next(r for r in huge.resources if not r.datastore_active and r.format == "CSV")
    big = (await open_data.preview(csv_only)).value
    assert big.truncated and len(big.rows) == 200  # only the first rows were read
    assert big.delimiter == ";"


async def test_many_people_opening_one_preview_cause_one_request(services: AppServices) -> None:
    await synced(services)
    package = services.open_data.cached_package("museen-besucher")
    assert package is not None
    resource = tabular_resource(package)
    assert resource is not None
    answers = await asyncio.gather(*(services.open_data.preview(resource) for _ in range(20)))
    assert services.open_data.previews.fetches == 1
    assert all(a.value is answers[0].value for a in answers)


async def test_favourites_are_per_person_keep_their_rows_and_leave_with_the_person(
    services: AppServices,
) -> None:
    await synced(services)
    open_data = services.open_data
    package = open_data.cached_package("museen-besucher")
    assert package is not None
    resource = tabular_resource(package)
    assert resource is not None
    table = (await open_data.preview(resource)).value
    assert open_data.favourites.keep(ANNA, package, table, resource.id)
    kept = open_data.favourites.get(ANNA, "museen-besucher")
    assert kept is not None and kept.preview is not None
    assert kept.preview.rows == table.rows and kept.preview.columns == table.columns
    assert open_data.favourites.of(BERT) == []
    assert open_data.favourites.of(None) == []  # a kiosk keeps nothing
    assert open_data.favourites.get(BERT, package.id) is None

    deleted = services.delete_person_data(ANNA)
    assert deleted.favourites == 1
    assert open_data.favourites.of(ANNA) == []


def test_a_kept_table_reads_back_with_its_dates_and_numbers() -> None:
    table = Table(
        columns=[Column("Tag", "date"), Column("Zeit", "date"), Column("Wert", "number")],
        rows=[[date(2026, 1, 2), datetime(2026, 1, 2, 8, 30), 1.5], [None, None, None]],
        truncated=True,
        total=900,
        encoding="cp1252",
        delimiter=";",
    )
    assert table_from_json(table_to_json(table)) == table


async def test_shared_fetches_keep_answers_for_a_while_and_never_keep_errors() -> None:
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    calls: list[str] = []
    fail = {"now": True}

    async def fetch(key: str) -> str:
        calls.append(key)
        await asyncio.sleep(0)
        if fail["now"]:
            raise Offline("down")
        return key.upper()

    shared: SharedFetches[str, str] = SharedFetches(fetch, clock, keep=timedelta(minutes=5), most=2)
    with pytest.raises(Offline):
        await shared.get("a")
    fail["now"] = False
    assert (await shared.get("a")).value == "A"  # the error was not kept
    assert (await shared.get("a")).value == "A"
    assert calls == ["a", "a"]
    clock.advance(timedelta(minutes=6))
    await shared.get("a")
    assert calls == ["a", "a", "a"]  # too old: fetched again
    await shared.get("b")
    await shared.get("c")
    assert len(shared) == 2 and shared.kept("a") is None  # only the most recent are kept


async def test_a_file_that_trickles_in_gives_up_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from services.errors import TimedOut
    from services.open_data import previews
    from services.open_data.ckan import CkanClient, Resource

    class Trickle(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def, override]
            yield b"a;b\r\n"
            await asyncio.sleep(3600)  # the rest never comes
            yield b"1;2\r\n"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Trickle())

    monkeypatch.setattr(previews, "DEADLINE", 0.2)
    client = CkanClient("http://ckan.test", transport=httpx.MockTransport(answer))
    resource = Resource(id="r1", url="/files/slow.csv", format="CSV")
    with pytest.raises(TimedOut):
        await previews.read_preview(client, resource)
    await client.aclose()
