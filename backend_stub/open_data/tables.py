"""The datastore tables behind the catalogue's tabular resources, generated on demand.

Each table is a pure function of fixed seeds: the same rows every time, on every database.
The CSV downloads write them the German way (`;`, decimal comma), some in UTF-8 and some in
Windows-1252; the one very large table is only ever streamed, never held in memory.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

Row = dict[str, Any]

BEZIRKE = (
    "Innenstadt",
    "Rodenkirchen",
    "Lindenthal",
    "Ehrenfeld",
    "Nippes",
    "Chorweiler",
    "Porz",
    "Kalk",
    "Mülheim",
)
# (Stadtteil, Stadtbezirk, Einwohner in 2023)
STADTTEILE: tuple[tuple[str, str, int], ...] = (
    ("Altstadt-Nord", "Innenstadt", 18900),
    ("Altstadt-Süd", "Innenstadt", 28300),
    ("Neustadt-Nord", "Innenstadt", 28100),
    ("Neustadt-Süd", "Innenstadt", 38900),
    ("Deutz", "Innenstadt", 16100),
    ("Bayenthal", "Rodenkirchen", 9100),
    ("Marienburg", "Rodenkirchen", 6000),
    ("Rodenkirchen", "Rodenkirchen", 17800),
    ("Sürth", "Rodenkirchen", 9400),
    ("Zollstock", "Rodenkirchen", 23200),
    ("Braunsfeld", "Lindenthal", 9800),
    ("Junkersdorf", "Lindenthal", 11900),
    ("Lindenthal", "Lindenthal", 28800),
    ("Sülz", "Lindenthal", 36700),
    ("Klettenberg", "Lindenthal", 21100),
    ("Ehrenfeld", "Ehrenfeld", 36500),
    ("Neuehrenfeld", "Ehrenfeld", 23400),
    ("Bickendorf", "Ehrenfeld", 16700),
    ("Vogelsang", "Ehrenfeld", 8100),
    ("Nippes", "Nippes", 35800),
    ("Riehl", "Nippes", 13100),
    ("Longerich", "Nippes", 16400),
    ("Bilderstöckchen", "Nippes", 15500),
    ("Chorweiler", "Chorweiler", 13200),
    ("Heimersdorf", "Chorweiler", 6400),
    ("Worringen", "Chorweiler", 9700),
    ("Porz", "Porz", 15100),
    ("Wahn", "Porz", 6600),
    ("Zündorf", "Porz", 14800),
    ("Kalk", "Kalk", 24000),
    ("Höhenberg", "Kalk", 12400),
    ("Brück", "Kalk", 9400),
    ("Mülheim", "Mülheim", 43100),
    ("Buchheim", "Mülheim", 13600),
    ("Dellbrück", "Mülheim", 22100),
)


@dataclass(frozen=True)
class Table:
    """A datastore table: its columns with CKAN types, its rows, how its CSV is encoded."""

    key: str
    fields: tuple[tuple[str, str], ...]
    generate: Callable[[], Iterator[Row]]
    encoding: str = "utf-8"
    datastore: bool = True  # False: too large, only downloadable as CSV

    @property
    def columns(self) -> list[str]:
        return [name for name, _ in self.fields]

    def rows(self) -> list[Row]:
        """All rows (only for tables in the datastore, which are small)."""
        return _rows(self.key)


def _einwohner() -> Iterator[Row]:
    rng = random.Random(1001)
    for year in (2021, 2022, 2023):
        for name, bezirk, base in STADTTEILE:
            people = round(base * (1 + (year - 2023) * 0.004 + rng.uniform(-0.01, 0.01)))
            yield {
                "Stadtteil": name,
                "Stadtbezirk": bezirk,
                "Jahr": year,
                "Einwohner": people,
                "Anteil_ueber_65": round(rng.uniform(11.0, 27.0), 1),
            }


def _kfz() -> Iterator[Row]:
    kinds = (
        ("Personenkraftwagen", 420000, 1500),
        ("Krafträder", 31000, 400),
        ("Lastkraftwagen", 22000, 350),
        ("Zugmaschinen", 2100, 20),
        ("Elektro-Pkw", 300, 0),
    )
    rng = random.Random(1002)
    for year in range(2005, 2026):
        for kind, base, step in kinds:
            if kind == "Elektro-Pkw":
                count = round(base * math.exp((year - 2005) * 0.28))
            else:
                count = base + step * (year - 2005) + rng.randint(-800, 800) // (1 + step // 100)
            yield {"Jahr": year, "Fahrzeugart": kind, "Anzahl": max(count, 0)}


def _luft() -> Iterator[Row]:
    stations = (("Clevischer Ring", 42.0), ("Turiner Straße", 35.0), ("Chorweiler", 18.0))
    rng = random.Random(1003)
    for month in range(36):
        first = date(2023 + month // 12, month % 12 + 1, 1)
        season = math.cos((month % 12) / 12 * 2 * math.pi)
        for station, no2 in stations:
            yield {
                "Monat": first.isoformat(),
                "Station": station,
                "NO2": round(no2 * (1 - 0.05 * month / 12) + 6 * season + rng.uniform(-3, 3), 1),
                "PM10": round(17 + 4 * season + rng.uniform(-2.5, 2.5), 1),
                "PM2_5": round(10 + 3 * season + rng.uniform(-1.5, 1.5), 1),
            }


def _museen() -> Iterator[Row]:
    museums = (
        ("Museum Ludwig", 280000),
        ("Wallraf-Richartz-Museum & Fondation Corboud", 160000),
        ("Römisch-Germanisches Museum", 420000),
        ("Museum für Angewandte Kunst", 70000),
        ("Rautenstrauch-Joest-Museum", 110000),
        ("Museum Schnütgen", 45000),
        ("Kölnisches Stadtmuseum", 60000),
        ("NS-Dokumentationszentrum", 95000),
        ("Museum für Ostasiatische Kunst", 38000),
    )
    rng = random.Random(1004)
    for year in range(2015, 2025):
        factor = 0.35 if year in (2020, 2021) else 1.0
        for museum, base in museums:
            yield {
                "Jahr": year,
                "Museum": museum,
                "Besuche": round(base * factor * rng.uniform(0.85, 1.15)),
                "Ausstellungen": rng.randint(2, 9),
            }


def _pegel() -> Iterator[Row]:
    rng = random.Random(1005)
    for year in range(1950, 2026):
        mean = round(300 + rng.uniform(-60, 60) - (year - 1950) * 0.3, 1)
        yield {
            "Jahr": year,
            "Mittelwasser_cm": mean,
            "Hoechststand_cm": round(mean + rng.uniform(250, 620)),
            "Niedrigststand_cm": round(max(mean - rng.uniform(150, 230), 60)),
        }


def _gewerbe() -> Iterator[Row]:
    rng = random.Random(1006)
    for month in range(24):
        first = date(2024 + month // 12, month % 12 + 1, 1)
        for bezirk in BEZIRKE:
            base = 260 if bezirk == "Innenstadt" else 120
            yield {
                "Monat": first.isoformat(),
                "Stadtbezirk": bezirk,
                "Anmeldungen": base + rng.randint(-30, 40),
                "Abmeldungen": base - 20 + rng.randint(-30, 30),
            }


def _parkhaeuser() -> Iterator[Row]:
    garages = (
        ("Parkhaus Dom", 580),
        ("Parkhaus Cäcilienstraße", 820),
        ("Parkhaus Brückenstraße", 460),
        ("Parkhaus Hohe Straße", 350),
        ("Tiefgarage Neumarkt", 600),
        ("Parkhaus Lanxess Arena", 1500),
    )
    rng = random.Random(1007)
    start = datetime(2026, 9, 30, 0, 0)
    for step in range(48):
        moment = start + timedelta(minutes=30 * step)
        busy = max(0.0, math.sin((step - 14) / 48 * 2 * math.pi))
        for garage, capacity in garages:
            used = round(capacity * (0.15 + 0.75 * busy) * rng.uniform(0.9, 1.05))
            yield {
                "Zeitpunkt": moment.isoformat(),
                "Parkhaus": garage,
                "Kapazitaet": capacity,
                "Frei": max(capacity - used, 0),
            }


def _lorawan() -> Iterator[Row]:
    rng = random.Random(1008)
    start = datetime(2026, 9, 29, 0, 0)
    for step in range(96):
        moment = start + timedelta(minutes=30 * step)
        day = math.sin((step % 48 - 12) / 48 * 2 * math.pi)
        for sensor in ("Neumarkt", "Ehrenfeld"):
            yield {
                "Zeitpunkt": moment.isoformat(),
                "Sensor": sensor,
                "PM10": round(22 + 6 * day + rng.uniform(-3, 3), 1),
                "Temperatur": round(12 + 5 * day + rng.uniform(-1, 1), 1),
            }


def _haushalt() -> Iterator[Row]:
    areas = (
        "Innere Verwaltung",
        "Sicherheit und Ordnung",
        "Schulträgeraufgaben",
        "Kultur und Wissenschaft",
        "Soziale Leistungen",
        "Kinder-, Jugend- und Familienhilfe",
        "Gesundheitsdienste",
        "Sportförderung",
        "Räumliche Planung und Entwicklung",
        "Verkehrsflächen und ÖPNV",
        "Natur- und Landschaftspflege",
        "Allgemeine Finanzwirtschaft",
    )
    rng = random.Random(1009)
    for year in (2023, 2024, 2025, 2026):
        for area in areas:
            spend = rng.uniform(40, 1400) * 1_000_000
            yield {
                "Produktbereich": area,
                "Jahr": year,
                "Ertraege": round(spend * rng.uniform(0.2, 1.1), 2),
                "Aufwendungen": round(spend, 2),
            }


LARGE_ROWS = 200_000
COUNTERS = ("Zülpicher Straße", "Aachener Straße", "Deutzer Brücke", "Innere Kanalstraße")


def _zaehlung() -> Iterator[Row]:
    start = datetime(2025, 1, 1, 0, 0)
    for index in range(LARGE_ROWS):
        counter = COUNTERS[index % len(COUNTERS)]
        moment = start + timedelta(minutes=15 * (index // len(COUNTERS)))
        wave = 1 + math.sin(((index // len(COUNTERS)) % 96) / 96 * 2 * math.pi - 1.6)
        yield {
            "Zeitpunkt": moment.isoformat(),
            "Zaehlstelle": counter,
            "Kfz": int(40 + 180 * wave) + (index * 7919) % 23,
            "Anteil_Lkw": round(3 + (index * 31) % 70 / 10, 1),
        }


TABLES: dict[str, Table] = {
    table.key: table
    for table in (
        Table(
            "einwohner-stadtteile",
            (
                ("Stadtteil", "text"),
                ("Stadtbezirk", "text"),
                ("Jahr", "int4"),
                ("Einwohner", "int4"),
                ("Anteil_ueber_65", "numeric"),
            ),
            _einwohner,
        ),
        Table(
            "kfz-zulassungen",
            (("Jahr", "int4"), ("Fahrzeugart", "text"), ("Anzahl", "int4")),
            _kfz,
            encoding="cp1252",
        ),
        Table(
            "luftmesswerte-monatlich",
            (
                ("Monat", "date"),
                ("Station", "text"),
                ("NO2", "numeric"),
                ("PM10", "numeric"),
                ("PM2_5", "numeric"),
            ),
            _luft,
        ),
        Table(
            "museen-besucher",
            (("Jahr", "int4"), ("Museum", "text"), ("Besuche", "int4"), ("Ausstellungen", "int4")),
            _museen,
            encoding="cp1252",
        ),
        Table(
            "pegel-jahresmittel",
            (
                ("Jahr", "int4"),
                ("Mittelwasser_cm", "numeric"),
                ("Hoechststand_cm", "int4"),
                ("Niedrigststand_cm", "int4"),
            ),
            _pegel,
        ),
        Table(
            "gewerbeanmeldungen",
            (
                ("Monat", "date"),
                ("Stadtbezirk", "text"),
                ("Anmeldungen", "int4"),
                ("Abmeldungen", "int4"),
            ),
            _gewerbe,
        ),
        Table(
            "parkhaus-belegung",
            (
                ("Zeitpunkt", "timestamp"),
                ("Parkhaus", "text"),
                ("Kapazitaet", "int4"),
                ("Frei", "int4"),
            ),
            _parkhaeuser,
        ),
        Table(
            "lorawan-messwerte",
            (
                ("Zeitpunkt", "timestamp"),
                ("Sensor", "text"),
                ("PM10", "numeric"),
                ("Temperatur", "numeric"),
            ),
            _lorawan,
        ),
        Table(
            "haushalt",
            (
                ("Produktbereich", "text"),
                ("Jahr", "int4"),
                ("Ertraege", "numeric"),
                ("Aufwendungen", "numeric"),
            ),
            _haushalt,
        ),
        Table(
            "verkehrszaehlung-gross",
            (
                ("Zeitpunkt", "timestamp"),
                ("Zaehlstelle", "text"),
                ("Kfz", "int4"),
                ("Anteil_Lkw", "numeric"),
            ),
            _zaehlung,
            datastore=False,
        ),
    )
}


def _per_district(key: str) -> Callable[[], Iterator[Row]]:
    """Counts per Stadtbezirk over three years, seeded by the table's name (for the datasets
    of the catalogue that have no table of their own)."""

    def generate() -> Iterator[Row]:
        rng = random.Random(key)
        base = rng.randint(8, 400)
        for year in (2023, 2024, 2025):
            for bezirk in BEZIRKE:
                share = rng.uniform(0.5, 1.6)
                yield {"Stadtbezirk": bezirk, "Jahr": year, "Anzahl": round(base * share)}

    return generate


def add_counts_per_district(key: str) -> str:
    """Register a small table of counts per Stadtbezirk under `key`; returns the key."""
    TABLES[key] = Table(
        key,
        (("Stadtbezirk", "text"), ("Jahr", "int4"), ("Anzahl", "int4")),
        _per_district(key),
    )
    return key


@cache
def _rows(key: str) -> list[Row]:
    return list(TABLES[key].generate())


def csv_cell(value: Any, kind: str) -> str:
    """One value as a German CSV writes it: decimal comma, `;` quoted away."""
    if value is None:
        return ""
    if kind == "numeric":
        text = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
        return text.replace(".", ",")
    text = str(value)
    if any(c in text for c in ';"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV lines (`;`-separated, CRLF), header first, row by row."""
    yield ";".join(table.columns) + "\r\n"
    for row in table.generate():
        yield ";".join(csv_cell(row[name], kind) for name, kind in table.fields) + "\r\n"


def csv_chunks(table: Table, lines_per_chunk: int = 2000) -> Iterator[bytes]:
    """The CSV encoded in the table's encoding, in chunks of lines: never the whole file."""
    batch: list[str] = []
    for line in csv_lines(table):
        batch.append(line)
        if len(batch) >= lines_per_chunk:
            yield "".join(batch).encode(table.encoding)
            batch = []
    if batch:
        yield "".join(batch).encode(table.encoding)
