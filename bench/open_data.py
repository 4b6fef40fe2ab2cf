"""Benchmark: the offline data catalogue (SQLite FTS5) with 10,000 datasets.

1. Sync: 10,000 packages (as the client reads them: `Package` models) written into the
   catalogue cache (upsert, full-text index, in one transaction) against the bare way of
   storing the same rows: build the same columns with plain attribute access and
   `json.dumps`, and `executemany` them into a plain table, in a fresh file each. Rounds are
   interleaved; the ratio of the medians is printed (goal: at most 2), and for information
   the ratio to the bare insert alone (rows already built).
2. Search: many varied queries (prefixes, umlauts, several words, filters, hostile input) over
   the 10,000 cached packages, each returning its first page and count; the median and 95th
   percentile in ms are printed (goal: median at most 20 ms).

The packages are generated deterministically (a fixed seed). Nothing is asserted about time.

    .venv/bin/python bench/open_data.py [--packages 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.local_store import open_store
from services.open_data.catalogue_store import CatalogueStore
from services.open_data.ckan import Package

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SYNCED = "2026-11-23 09:00:00.000000"
TOPICS = [
    "Verkehr", "Radverkehr", "Parkplätze", "Luftqualität", "Lärmkartierung", "Bevölkerung",
    "Einwohner", "Wahlergebnisse", "Haushalt", "Schulen", "Kindertagesstätten", "Spielplätze",
    "Bäume", "Grünflächen", "Müllabfuhr", "Straßenreinigung", "Baustellen", "Denkmäler",
    "Gewässer", "Hochwasser", "Bürgerämter", "Wartezeiten", "Sportstätten", "Bibliotheken",
    "Museen", "Fahrradständer", "Ladesäulen", "Carsharing", "Stadtbahn", "Ampeln",
]  # fmt: skip
PLACES = [
    "Innenstadt", "Chorweiler", "Ehrenfeld", "Kalk", "Lindenthal", "Mülheim", "Nippes",
    "Porz", "Rodenkirchen", "Köln",
]  # fmt: skip
WORDS = [
    "Daten",
    "Jahr",
    "Stadtteil",
    "Anzahl",
    "Bestand",
    "Messung",
    "Übersicht",
    "Standorte",
    "Kennzahlen",
    "Statistik",
    "Zählung",
    "Entwicklung",
    "monatlich",
    "jährlich",
    "täglich",
    "aktuell",
    "Auswertung",
    "Veröffentlichung",
]
ORGS = [
    ("stadt-koeln", "Stadt Köln"),
    ("amt-fuer-statistik", "Amt für Stadtentwicklung und Statistik"),
    ("umweltamt", "Umwelt- und Verbraucherschutzamt"),
    ("kvb", "Kölner Verkehrs-Betriebe"),
    ("awb", "Abfallwirtschaftsbetriebe Köln"),
]
GROUPS = ["verkehr", "umwelt", "bevoelkerung", "politik", "bildung", "freizeit", "wirtschaft"]
FORMATS = ["CSV", "JSON", "XLSX", "GeoJSON", "WMS", "PDF", "SHP"]
LICENSES = ["dl-by-de/2.0", "dl-zero-de/2.0", "cc-by-4.0", "cc-zero"]
QUERIES = [
    "verk", "Verkehr", "luft", "Luftqualitat", "Luftqualität", "koeln", "köln", "strasse",
    "Straßenreinigung", "bäume nippes", "Ehrenfeld Daten", "einwohner jahr", "sch", "mül",
    "Muelheim", "park", "Wahl", "haushalt 2024", "kita", "Bibliothek Porz", 'NEAR(" AND *',
    '"unbalanced', "ladesäulen stadtbahn", "x", "Statistik monatlich", "denkm", "hochw",
    "Zählung Radverkehr Innenstadt", "", "kalk",
]  # fmt: skip


def packages(count: int) -> list[dict[str, object]]:
    """`count` CKAN packages in the shape package_search returns, the same every run."""
    rng = random.Random(20261123)
    result = []
    for index in range(count):
        topic = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        org_name, org_title = rng.choice(ORGS)
        year = rng.randint(2005, 2026)
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40)))
        formats = rng.sample(FORMATS, rng.randint(1, 3))
        ident = f"{index:05d}-{rng.getrandbits(32):08x}"
        result.append(
            {
                "id": ident,
                "name": f"{topic.lower()}-{place.lower()}-{year}-{index}",
                "title": f"{topic} {place} {year}",
                "notes": f"{topic} in {place}: {words}.",
                "license_id": rng.choice(LICENSES),
                "organization": {"name": org_name, "title": org_title},
                "groups": [{"name": g} for g in rng.sample(GROUPS, rng.randint(0, 2))],
                "tags": [{"name": t} for t in {topic, place, rng.choice(TOPICS)}],
                "metadata_modified": (NOW - timedelta(days=rng.randint(0, 3000))).isoformat(),
                "resources": [
                    {"id": f"{ident}-{n}", "name": f"{topic} ({f})", "format": f, "url": "x"}
                    for n, f in enumerate(formats)
                ],
            }
        )
    return result


def plain_rows(models: list[Package]) -> list[tuple[object, ...]]:
    """The same columns built the plainest way: attributes, the package's JSON, JSON lists."""
    rows = []
    for m in models:
        org = m.organization
        rows.append(
            (
                m.id,
                m.name,
                m.title or m.name,
                m.notes or "",
                org.name if org else "",
                org.title if org else "",
                json.dumps([g.name for g in m.groups], ensure_ascii=False),
                json.dumps([t.name for t in m.tags], ensure_ascii=False),
                json.dumps([r.format for r in m.resources], ensure_ascii=False),
                m.license_id or "",
                m.metadata_modified,
                m.model_dump_json(),
                SYNCED,
            )
        )
    return rows


def bare_insert(path: Path, models: list[Package]) -> tuple[float, float]:
    """Seconds to build plain rows and executemany them into a plain table, committed; and
    the seconds of the insert alone."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE bare (id TEXT PRIMARY KEY, name, title, notes, organization,"
        " organization_title, groups, tags, formats, license, modified, raw, synced_at)"
    )
    start = time.perf_counter()
    rows = plain_rows(models)
    built = time.perf_counter()
    db.executemany(f"INSERT INTO bare VALUES ({', '.join('?' * 13)})", rows)
    db.commit()
    end = time.perf_counter()
    db.close()
    return end - start, end - built


def catalogue_sync(directory: Path, models: list[Package]) -> float:
    """Seconds to sync the packages into a fresh catalogue cache."""
    store = open_store(directory, now=NOW)
    catalogue = CatalogueStore(store)
    start = time.perf_counter()
    catalogue.upsert(models, synced_at=NOW, complete=True)
    elapsed = time.perf_counter() - start
    store.dispose()
    return elapsed


def main() -> None:
    """Run both measurements and print the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--packages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    raw = packages(args.packages)
    models = [Package.model_validate(p) for p in raw]
    syncs, bares, inserts = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            whole, insert = bare_insert(Path(tmp) / f"bare{round_}.sqlite3", models)
            bares.append(whole)
            inserts.append(insert)
            syncs.append(catalogue_sync(Path(tmp) / f"cat{round_}", models))
        bare, sync = statistics.median(bares), statistics.median(syncs)
        insert = statistics.median(inserts)
        print(f"catalogue: {args.packages} packages from Package models, {args.rounds} rounds")
        print(f"bare: plain rows + executemany  {bare * 1000:8.1f} ms")
        print(f"  of which the insert alone     {insert * 1000:8.1f} ms")
        print(
            f"catalogue sync (upsert + FTS5)  {sync * 1000:8.1f} ms"
            f"   ratio to bare {sync / bare:5.2f} (goal ≤ 2),"
            f" to the insert alone {sync / insert:5.2f}"
        )

        store = open_store(Path(tmp) / "search", now=NOW)
        catalogue = CatalogueStore(store)
        catalogue.upsert(models, synced_at=NOW, complete=True)
        times = []
        for repeat in range(10):
            for number, query in enumerate(QUERIES):
                filters: dict[str, str] = {}
                if number % 4 == 1:
                    filters["organization"] = ORGS[repeat % len(ORGS)][0]
                if number % 5 == 2:
                    filters["group"] = GROUPS[repeat % len(GROUPS)]
                if number % 6 == 3:
                    filters["format"] = FORMATS[repeat % len(FORMATS)]
                start = time.perf_counter()
                catalogue.search(query, limit=20, offset=20 * (repeat % 3), **filters)
                times.append(time.perf_counter() - start)
        faceted = []
        for query in QUERIES:
            start = time.perf_counter()
            catalogue.search(query, facets=True)
            faceted.append(time.perf_counter() - start)
        store.dispose()
    median = statistics.median(times) * 1000
    p95 = statistics.quantiles(times, n=20)[-1] * 1000
    print(
        f"search over {args.packages} cached packages:"
        f" {len(times)} queries, median {median:.2f} ms, p95 {p95:.2f} ms (goal: median ≤ 20)"
    )
    print(f"search with facet counts: median {statistics.median(faceted) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
