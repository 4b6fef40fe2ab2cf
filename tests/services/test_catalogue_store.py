"""The offline catalogue: bulk sync, German-friendly full-text search, facets, paging, safety."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.clock import FixedClock
from services.errors import BadData
from services.local_store import CACHE_FILE_NAME, open_store
from services.open_data.catalogue_store import CatalogueStore, fts_query
from services.open_data.ckan import Package


def package(ident: str, title: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "name": ident,
        "title": title,
        "notes": extra.pop("notes", ""),
        "organization": extra.pop("organization", {"name": "stadt-koeln", "title": "Stadt Köln"}),
        "groups": [{"name": g} for g in extra.pop("groups", [])],
        "tags": [{"name": t} for t in extra.pop("tags", [])],
        "resources": [
            {"id": f"{ident}-{n}", "format": f} for n, f in enumerate(extra.pop("formats", []))
        ],
        "license_id": extra.pop("license_id", "dl-by-de/2.0"),
        "metadata_modified": extra.pop("modified", "2026-11-01T10:00:00.000000"),
        **extra,
    }


PACKAGES = [
    package("rad", "Radverkehr Zählstellen", tags=["Verkehr"], groups=["verkehr"], formats=["CSV"]),
    package(
        "luft",
        "Luftqualität in Köln",
        notes="Stickstoffdioxid an der Clevischen Straße",
        groups=["umwelt"],
        formats=["csv", "JSON"],
        modified="2026-11-20T10:00:00.000000",
    ),
    package(
        "kita",
        "Kindertagesstätten",
        organization={"name": "jugendamt", "title": "Amt für Kinder, Jugend und Familie"},
        groups=["bildung", "umwelt"],
        formats=["XLSX"],
        license_id="cc-by-4.0",
    ),
    package(
        "cafe", "Café-Standorte", notes="Außengastronomie und Crème brûlée", formats=["GeoJSON"]
    ),
]


@pytest.fixture
def catalogue(tmp_path: Path, clock: FixedClock) -> CatalogueStore:
    store = CatalogueStore(open_store(tmp_path, now=clock.now()))
    store.upsert(PACKAGES, synced_at=clock.now())
    return store


def ids(store: CatalogueStore, text: str, **filters: Any) -> list[str]:
    return sorted(e.id for e in store.search(text, limit=50, **filters).entries)


def test_upsert_counts_and_keeps_the_sync_time(
    catalogue: CatalogueStore, clock: FixedClock
) -> None:
    assert catalogue.count() == 4
    assert catalogue.synced_at() == clock.now()
    entry = catalogue.search("rad").entries[0]
    assert entry.title == "Radverkehr Zählstellen" and entry.formats == ["CSV"]
    assert entry.organization_title == "Stadt Köln" and entry.groups == ["verkehr"]
    assert entry.modified is not None and entry.modified.day == 1
    whole = catalogue.package("luft")
    assert whole is not None and [r.format for r in whole.resources] == ["csv", "JSON"]


def test_upsert_replaces_and_a_complete_sync_drops_what_is_gone(
    catalogue: CatalogueStore, clock: FixedClock
) -> None:
    later = clock.now() + timedelta(hours=1)
    renamed = Package.model_validate(package("rad", "Fahrradzählung", tags=["Fahrrad"]))
    catalogue.upsert([renamed, PACKAGES[1]], synced_at=later, complete=True)
    assert catalogue.count() == 2 and catalogue.synced_at() == later
    assert ids(catalogue, "fahrrad") == ["rad"]
    assert ids(catalogue, "radverkehr") == []  # the old words are gone from the index
    assert ids(catalogue, "kita") == []


def test_prefix_umlauts_and_diacritics(catalogue: CatalogueStore) -> None:
    assert ids(catalogue, "verk") == ["rad"]
    assert ids(catalogue, "Zählst") == ids(catalogue, "zahlst") == ["rad"]
    assert ids(catalogue, "Koeln") == ids(catalogue, "köln") == ids(catalogue, "KOLN")
    assert "luft" in ids(catalogue, "koeln")
    assert ids(catalogue, "strasse") == ids(catalogue, "Straße") == ["luft"]
    assert ids(catalogue, "creme brulee") == ["cafe"]
    assert ids(catalogue, "aussengastro") == ["cafe"]
    assert ids(catalogue, "luft köln") == ["luft"]  # every word must match
    assert ids(catalogue, "luft koeln") == ids(catalogue, "koeln luft") == ["luft"]
    assert ids(catalogue, "strasse luft") == ["luft"]  # a word with spellings among others
    assert ids(catalogue, "familie") == ["kita"]  # the publisher is searched too


@pytest.mark.parametrize(
    "hostile",
    ['"', '""', "AND", "a AND", "OR NOT", "*", "NEAR(", 'NEAR("a" "b", 2)', "^verk", "title:rad",
     "(", ")", "rad OR", '"unbalanced', "-", "a_b", "\x00", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "{title}:x", ":"],
)  # fmt: skip
def test_hostile_input_never_raises(catalogue: CatalogueStore, hostile: str) -> None:
    page = catalogue.search(hostile, facets=True)
    assert page.count == len(page.entries) or page.count > len(page.entries)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(
        st.text(max_size=60),
        st.lists(
            st.sampled_from(["koeln", "strasse", "Straße", "luft", "AND", "OR", "(", '"', "*"]),
            max_size=6,
        ).map(" ".join),
    )
)
def test_any_text_of_any_words_never_raises(catalogue: CatalogueStore, text: str) -> None:
    page = catalogue.search(text, facets=True)
    assert page.count >= len(page.entries)


def test_words_that_look_like_operators_are_just_words(catalogue: CatalogueStore) -> None:
    assert fts_query('AND "rad*') == '"AND"* AND "rad"*'
    assert fts_query("  ") == ""
    assert ids(catalogue, "und") == ["cafe", "kita"]  # "und" is a word, not an operator
    assert ids(catalogue, "") == ["cafe", "kita", "luft", "rad"]  # no words: everything


def test_facet_filters_and_counts(catalogue: CatalogueStore) -> None:
    assert ids(catalogue, "", group="umwelt") == ["kita", "luft"]
    assert ids(catalogue, "", format="csv") == ["luft", "rad"]
    assert ids(catalogue, "", organization="jugendamt") == ["kita"]
    assert ids(catalogue, "", license="cc-by-4.0") == ["kita"]
    assert ids(catalogue, "luft", group="bildung") == []
    page = catalogue.search("", facets=True)
    groups = {f.value: f.count for f in page.facets["groups"]}
    assert groups == {"umwelt": 2, "verkehr": 1, "bildung": 1}
    assert page.facets["formats"][0].value == "CSV" and page.facets["formats"][0].count == 2
    assert {f.value for f in page.facets["organization"]} == {"stadt-koeln", "jugendamt"}
    narrowed = catalogue.search("luft", facets=True)
    assert [f.value for f in narrowed.facets["groups"]] == ["umwelt"]


def test_paging_and_order(catalogue: CatalogueStore) -> None:
    first = catalogue.search("", limit=3, order="modified")
    assert first.count == 4 and len(first.entries) == 3 and first.entries[0].id == "luft"
    rest = catalogue.search("", limit=3, offset=3, order="modified")
    assert len(rest.entries) == 1 and rest.offset == 3
    assert {e.id for e in first.entries + rest.entries} == {"rad", "luft", "kita", "cafe"}
    titles = [e.title for e in catalogue.search("", order="title").entries]
    assert titles == sorted(titles, key=str.lower)
    assert catalogue.search("", limit=10_000).entries  # capped, not refused


def test_a_broken_package_is_bad_data_and_nothing_is_written(
    catalogue: CatalogueStore, clock: FixedClock
) -> None:
    with pytest.raises(BadData):
        catalogue.upsert([PACKAGES[0], {"title": "no id"}], synced_at=clock.now())
    assert catalogue.count() == 4


def test_corrupted_file_is_recreated(tmp_path: Path, clock: FixedClock) -> None:
    (tmp_path / CACHE_FILE_NAME).write_bytes(b"not a database at all " * 200)
    store = open_store(tmp_path, now=clock.now())
    assert store.recovered_from is not None
    catalogue = CatalogueStore(store)
    assert catalogue.count() == 0 and catalogue.synced_at() is None
    catalogue.upsert(PACKAGES, synced_at=clock.now())
    assert ids(catalogue, "verk") == ["rad"]


def test_a_damaged_index_is_cleared_with_a_clear_error(
    catalogue: CatalogueStore, tmp_path: Path, clock: FixedClock
) -> None:
    db = sqlite3.connect(tmp_path / CACHE_FILE_NAME)
    db.execute("UPDATE catalogue_fts_data SET block = x'00ff00ff' WHERE id > 10")
    db.commit()
    db.close()
    with pytest.raises(BadData):
        catalogue.search("verkehr")
    assert catalogue.count() == 0  # cleared: the next sync fills it again
    catalogue.upsert(PACKAGES, synced_at=clock.now())
    assert ids(catalogue, "verk") == ["rad"]


def test_an_older_catalogue_schema_is_rebuilt(tmp_path: Path, clock: FixedClock) -> None:
    store = open_store(tmp_path, now=clock.now())
    CatalogueStore(store).upsert(PACKAGES, synced_at=clock.now())
    with store.transaction() as db:
        db.execute("UPDATE catalogue_meta SET value = '0' WHERE key = 'version'")
    assert CatalogueStore(store).count() == 0
