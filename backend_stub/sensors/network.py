"""The simulated LoRaWAN sensors across Cologne: what stands where and what it measures.

Static definitions (sample data, positions near the real places): Things with one Location and
one FeatureOfInterest each (sharing the Thing's id), Sensors (one per device model),
ObservedProperties, and Datastreams whose observations `simulation` computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NETWORK = "LoRaWAN"
OBSERVATION_TYPE = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
GEOJSON = "application/geo+json"


@dataclass(frozen=True)
class Unit:
    """A Datastream's unit of measurement."""

    name: str
    symbol: str
    definition: str

    def as_json(self) -> dict[str, str]:
        """`unitOfMeasurement` as SensorThings writes it."""
        return {"name": self.name, "symbol": self.symbol, "definition": self.definition}


MICROGRAMS = Unit("Mikrogramm pro Kubikmeter", "µg/m³", "http://qudt.org/vocab/unit/MicroGM-PER-M3")
METRES = Unit("Meter", "m", "http://qudt.org/vocab/unit/M")
PERCENT = Unit("Prozent", "%", "http://qudt.org/vocab/unit/PERCENT")
DECIBELS_A = Unit("Dezibel (A-bewertet)", "dB(A)", "http://qudt.org/vocab/unit/DeciB_A")


@dataclass(frozen=True)
class ObservedProperty:
    """What is measured."""

    id: int
    name: str
    definition: str
    description: str


@dataclass(frozen=True)
class Sensor:
    """A device model."""

    id: int
    name: str
    description: str
    metadata: str


@dataclass(frozen=True)
class Thing:
    """A sensor box at a place in the city (its Location and FeatureOfInterest share its id)."""

    id: int
    name: str
    description: str
    kind: str
    place: str
    lat: float
    lon: float
    extra: dict[str, Any] = field(default_factory=dict)

    def properties(self) -> dict[str, Any]:
        """The Thing's `properties`."""
        return {"kind": self.kind, "network": NETWORK, **self.extra}


@dataclass(frozen=True)
class Profile:
    """How a Datastream's values move; `simulation` reads it (units as the Datastream's)."""

    shape: str  # air | rhine | parking | soil | noise
    base: float  # the level around which the value moves
    peak: float  # how far the daily (or other) cycle takes it above the base
    spread: float  # random noise, plus or minus
    digits: int
    extra: float = 0.0  # how much more on weekend nights (noise) or event evenings (parking)


@dataclass(frozen=True)
class Datastream:
    """A series of observations of one property at one Thing."""

    id: int
    name: str
    description: str
    thing: Thing
    observed_property: ObservedProperty
    sensor: Sensor
    unit: Unit
    profile: Profile


NO2 = ObservedProperty(
    1,
    "NO2",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8",
    "Stickstoffdioxid in der Außenluft",
)
PM10 = ObservedProperty(
    2,
    "PM10",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5",
    "Feinstaub mit einem Durchmesser bis 10 µm",
)
PM2_5 = ObservedProperty(
    3,
    "PM2.5",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/6001",
    "Feinstaub mit einem Durchmesser bis 2,5 µm",
)
WATER_LEVEL = ObservedProperty(
    4, "Wasserstand", "https://de.wikipedia.org/wiki/Pegelstand", "Wasserstand des Rheins"
)
OCCUPANCY = ObservedProperty(
    5, "Belegung", "https://de.wikipedia.org/wiki/Parkhaus", "Anteil der belegten Stellplätze"
)
SOIL_MOISTURE = ObservedProperty(
    6,
    "Bodenfeuchte",
    "https://de.wikipedia.org/wiki/Bodenfeuchte",
    "Volumetrischer Wassergehalt des Bodens im Wurzelraum",
)
NOISE = ObservedProperty(
    7,
    "Lärmpegel",
    "https://de.wikipedia.org/wiki/Schalldruckpegel",
    "A-bewerteter äquivalenter Dauerschallpegel (LAeq, 15 Minuten)",
)
OBSERVED_PROPERTIES = (NO2, PM10, PM2_5, WATER_LEVEL, OCCUPANCY, SOIL_MOISTURE, NOISE)

AIR_SENSOR = Sensor(
    1,
    "Luftqualitätssensor LQ-3",
    "LoRaWAN-Messgerät für NO2 (elektrochemisch) und Feinstaub (optisch), Beispiel",
    "https://offenedaten-koeln.de/sensoren/luftqualitaet",
)
GAUGE_SENSOR = Sensor(
    2,
    "Radarpegel RP-1",
    "Berührungsloser Radar-Wasserstandssensor mit LoRaWAN-Funk, Beispiel",
    "https://offenedaten-koeln.de/sensoren/pegel",
)
PARKING_SENSOR = Sensor(
    3,
    "Zählschleife PZ-2",
    "Zählt Ein- und Ausfahrten eines Parkhauses und meldet die Belegung, Beispiel",
    "https://offenedaten-koeln.de/sensoren/parkhaus",
)
SOIL_SENSOR = Sensor(
    4,
    "Bodenfeuchtesensor BF-30",
    "Kapazitiver Bodenfeuchtesensor in 30 cm Tiefe an Straßenbäumen, Beispiel",
    "https://offenedaten-koeln.de/sensoren/bodenfeuchte",
)
NOISE_SENSOR = Sensor(
    5,
    "Schallpegelmesser SL-2",
    "Schallpegelmesser der Klasse 2 mit LoRaWAN-Funk, Beispiel",
    "https://offenedaten-koeln.de/sensoren/laerm",
)
SENSORS = (AIR_SENSOR, GAUGE_SENSOR, PARKING_SENSOR, SOIL_SENSOR, NOISE_SENSOR)

# (place, lat, lon, NO2 base and rush-hour peak, PM10 base/peak, PM2.5 base/peak): busy roads
# go above the EU limits at rush hour, the suburbs stay below them
AIR_SITES: tuple[tuple[str, float, float, tuple[float, float, float, float, float, float]], ...] = (
    ("Neumarkt", 50.9360, 6.9470, (30.0, 26.0, 20.0, 10.0, 11.0, 6.0)),
    ("Clevischer Ring (Mülheim)", 50.9638, 7.0055, (36.0, 34.0, 26.0, 22.0, 15.0, 14.0)),
    ("Turiner Straße", 50.9478, 6.9570, (34.0, 30.0, 24.0, 18.0, 13.0, 9.0)),
    ("Justinianstraße (Deutz)", 50.9385, 6.9800, (28.0, 22.0, 19.0, 9.0, 10.0, 5.0)),
    ("Chorweiler", 51.0195, 6.8960, (13.0, 7.0, 14.0, 4.0, 7.0, 2.0)),
    ("Rodenkirchen", 50.8915, 6.9880, (14.0, 8.0, 15.0, 4.0, 7.0, 2.5)),
    ("Porz", 50.8850, 7.0560, (17.0, 10.0, 16.0, 5.0, 8.0, 3.0)),
    ("Ehrenfeld (Venloer Straße)", 50.9505, 6.9180, (25.0, 20.0, 18.0, 8.0, 9.5, 5.0)),
    ("Nippes (Neusser Straße)", 50.9660, 6.9540, (24.0, 18.0, 18.0, 7.0, 9.0, 4.5)),
    ("Kalk (Kalker Hauptstraße)", 50.9380, 7.0080, (27.0, 21.0, 20.0, 9.0, 10.0, 5.5)),
)
# (name, lat, lon, weekday daytime occupancy in %, night occupancy in %)
CAR_PARKS: tuple[tuple[str, float, float, float, float], ...] = (
    ("Parkhaus Am Dom", 50.9418, 6.9585, 97.0, 25.0),
    ("Parkhaus Cäcilienstraße", 50.9350, 6.9505, 86.0, 15.0),
    ("Parkhaus Opern Passagen", 50.9385, 6.9475, 72.0, 12.0),
    ("Parkhaus Breslauer Platz", 50.9440, 6.9610, 64.0, 30.0),
    ("Parkhaus Lanxess Arena", 50.9385, 6.9830, 38.0, 5.0),
)
# (street, lat, lon, tree, moisture in % after rain, moisture in % when dried out)
TREES: tuple[tuple[str, float, float, str, float, float], ...] = (
    ("Aachener Straße", 50.9360, 6.9200, "Platane", 38.0, 24.0),
    ("Severinstraße", 50.9270, 6.9590, "Linde", 9.5, 5.0),
    ("Zülpicher Straße", 50.9290, 6.9330, "Spitzahorn", 24.0, 12.0),
    ("Neusser Straße", 50.9620, 6.9560, "Robinie", 33.0, 21.0),
    ("Deutzer Freiheit", 50.9355, 6.9750, "Winterlinde", 30.0, 18.0),
    ("Berliner Straße (Mülheim)", 50.9650, 7.0100, "Gingko", 36.0, 23.0),
)
# (place, lat, lon, daytime level in dB(A), night level, extra at weekend nights)
NOISE_SITES: tuple[tuple[str, float, float, float, float, float], ...] = (
    ("Zülpicher Platz", 50.9300, 6.9390, 62.0, 55.0, 14.0),
    ("Brüsseler Platz", 50.9365, 6.9355, 52.0, 49.0, 16.0),
    ("Ebertplatz", 50.9510, 6.9570, 63.0, 53.0, 8.0),
    ("Heumarkt", 50.9360, 6.9600, 67.0, 56.0, 6.0),
)
EVENT_EVENINGS = {"Parkhaus Lanxess Arena": 55.0}  # % more on Friday and Saturday evenings
RHINE_GAUGE = ("Pegel Köln", 50.9369, 6.9633)


def _build() -> tuple[tuple[Thing, ...], tuple[Datastream, ...]]:
    things: list[Thing] = []
    streams: list[Datastream] = []

    def thing(
        name: str, description: str, kind: str, place: str, lat: float, lon: float, **extra: Any
    ) -> Thing:
        made = Thing(len(things) + 1, name, description, kind, place, lat, lon, dict(extra))
        things.append(made)
        return made

    def stream(
        name: str, at: Thing, prop: ObservedProperty, sensor: Sensor, unit: Unit, profile: Profile
    ) -> None:
        description = f"{prop.description} – {at.name}"
        streams.append(
            Datastream(len(streams) + 1, name, description, at, prop, sensor, unit, profile)
        )

    for place, lat, lon, (no2, no2_peak, pm10, pm10_peak, pm25, pm25_peak) in AIR_SITES:
        short = place.split(" (")[0]
        box = thing(
            f"Luftsensor {short}",
            f"LoRaWAN-Luftqualitätssensor {place} (Beispiel)",
            "air_quality",
            place,
            lat,
            lon,
        )
        stream(
            f"NO2 {short}", box, NO2, AIR_SENSOR, MICROGRAMS, Profile("air", no2, no2_peak, 3, 1)
        )
        stream(
            f"PM10 {short}",
            box,
            PM10,
            AIR_SENSOR,
            MICROGRAMS,
            Profile("air", pm10, pm10_peak, 2, 1),
        )
        stream(
            f"PM2.5 {short}",
            box,
            PM2_5,
            AIR_SENSOR,
            MICROGRAMS,
            Profile("air", pm25, pm25_peak, 1.2, 1),
        )
    name, lat, lon = RHINE_GAUGE
    gauge = thing(
        name,
        "Wasserstand des Rheins am Pegel Köln (Beispiel)",
        "water_level",
        "Frankenwerft",
        lat,
        lon,
        river="Rhein",
        river_km=688.0,
    )
    # the Datastream keeps the name the app has always shown for it
    stream(
        "Pegel Rhein", gauge, WATER_LEVEL, GAUGE_SENSOR, METRES, Profile("rhine", 3.1, 1.2, 0.01, 2)
    )
    for name, lat, lon, day, night in CAR_PARKS:
        park = thing(name, f"Belegung: {name} (Beispiel)", "parking", name, lat, lon)
        stream(
            f"Belegung {name}",
            park,
            OCCUPANCY,
            PARKING_SENSOR,
            PERCENT,
            Profile("parking", night, day - night, 1.5, 0, EVENT_EVENINGS.get(name, 0.0)),
        )
    for street, lat, lon, tree, wet, dry in TREES:
        box = thing(
            f"Baum {street}",
            f"{tree} an der {street}, Bodenfeuchte (Beispiel)",
            "soil_moisture",
            street,
            lat,
            lon,
            tree=tree,
        )
        stream(
            f"Bodenfeuchte Baum {street}",
            box,
            SOIL_MOISTURE,
            SOIL_SENSOR,
            PERCENT,
            Profile("soil", dry, wet - dry, 0.4, 1),
        )
    for place, lat, lon, day, night, weekend in NOISE_SITES:
        box = thing(
            f"Lärmsensor {place}", f"Lärmmessung am {place} (Beispiel)", "noise", place, lat, lon
        )
        stream(
            f"Lärmpegel {place}",
            box,
            NOISE,
            NOISE_SENSOR,
            DECIBELS_A,
            Profile("noise", night, day - night, 1.5, 1, weekend),
        )
    return tuple(things), tuple(streams)


THINGS, DATASTREAMS = _build()
THINGS_BY_ID = {t.id: t for t in THINGS}
DATASTREAMS_BY_ID = {s.id: s for s in DATASTREAMS}
SENSORS_BY_ID = {s.id: s for s in SENSORS}
OBSERVED_PROPERTIES_BY_ID = {p.id: p for p in OBSERVED_PROPERTIES}
