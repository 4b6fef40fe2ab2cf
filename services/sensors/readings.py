"""The sensor overview: every datastream with its place, its kind and its latest value.

One overview is fetched for all sessions (a coordinator keeps it in the cache, so it is there
offline) and the screens only lay it out: grouping by kind, the order of the groups, which
streams are offered for a comparison and how a value is assessed are decided here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from pydantic import BaseModel, Field

from services.checked import EntryProblem
from services.errors import ServiceError
from services.freshness import Freshness, freshness_of, is_current
from services.sensors.sensorthings import Datastream, PlacedThing, SensorThingsClient
from services.sensors.thresholds import DEFAULTS, Assessment, Threshold, assess, property_key

LATEST_CONCURRENCY = 6  # latest-value requests in flight at once, so a server is not swamped
MAX_STREAMS = 200  # an overview of more would not fit a phone anyway
# LoRaWAN sensors send every few minutes to an hour; a value older than this is not current
STALE_AFTER = timedelta(hours=2)
KIND_ORDER: tuple[str, ...] = tuple(DEFAULTS)  # air first, then noise, water, parking, trees


class StreamNames(Protocol):
    """What names a datastream: a `Datastream` of the client and a `SensorReading` alike."""

    @property
    def id(self) -> int | str: ...

    @property
    def name(self) -> str: ...

    @property
    def thing_name(self) -> str | None: ...


S_co = TypeVar("S_co", bound=StreamNames, covariant=True)


class StreamList(Protocol[S_co]):
    """A list of datastreams (`Checked[Datastream]`, `SensorReadings`)."""

    @property
    def entries(self) -> Sequence[S_co]: ...


class SensorReading(BaseModel):
    """One datastream as the overview shows it."""

    id: int | str  # opaque: an integer (FROST) or a string (UUIDs), as the server sent it
    name: str
    kind: str | None = None  # the key of its thresholds (`no2`, `rhine_level`, …), if known
    observed_property: str | None = None
    unit: str | None = None  # the unit's symbol (or its name when it has no symbol)
    thing_id: int | str | None = None
    thing_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    value: float | None = None  # the latest numeric result
    measured_at: datetime | None = None  # its phenomenon time (UTC)
    kept: bool = False  # the latest request failed: value and time are the last known ones

    def is_current(self, now: datetime) -> bool:
        """Whether the latest value still counts as current (measured lately, not kept)."""
        return not self.kept and is_current(self.measured_at, now, STALE_AFTER)

    @property
    def place(self) -> str:
        """Where it measures: the Thing's name, else the stream's own name."""
        return self.thing_name or self.name


class SensorReadings(BaseModel):
    """The overview of all datastreams, and what could not be read of the latest answers."""

    entries: list[SensorReading] = Field(default_factory=list)
    problems: list[EntryProblem] = Field(default_factory=list)

    def freshness(self, now: datetime) -> Freshness:
        """How current the shown values are by their own time (streams without any not counted)."""
        shown = [e for e in self.entries if e.value is not None]
        return freshness_of(
            (e.measured_at for e in shown),
            now,
            STALE_AFTER,
            unreadable=len(self.problems),
            kept=sum(e.kept for e in shown),
        )

    def find(self, datastream: str) -> SensorReading | None:
        """The reading of a datastream by its id as it appears in a route."""
        return next((e for e in self.entries if str(e.id) == datastream), None)


def _unit(stream: Datastream) -> str | None:
    return stream.unit.symbol or stream.unit.name


def _reading(stream: Datastream, places: Mapping[str, PlacedThing]) -> SensorReading:
    place = places.get(str(stream.thing_id)) if stream.thing_id is not None else None
    if place is None and stream.thing_name:  # no id of the Thing: its name will do
        place = next((p for p in places.values() if p.name == stream.thing_name), None)
    return SensorReading(
        id=stream.id,
        name=stream.name,
        kind=property_key(stream.name, stream.observed_property),
        observed_property=stream.observed_property,
        unit=_unit(stream),
        thing_id=stream.thing_id if stream.thing_id is not None else (place.id if place else None),
        thing_name=stream.thing_name or (place.name if place else None),
        lat=place.lat if place else None,
        lon=place.lon if place else None,
    )


async def _places(client: SensorThingsClient) -> dict[str, PlacedThing]:
    """The Things with coordinates; without them the overview is still useful, so no error."""
    try:
        things = await client.things_with_locations()
    except ServiceError:
        return {}
    return {str(t.id): t for t in things.entries}


async def fetch_readings(
    client: SensorThingsClient, previous: SensorReadings | None = None
) -> SensorReadings:
    """The overview now: datastreams, places and latest values (one failing stream sinks none).

    A stream whose latest value cannot be read keeps the value of `previous`, marked `kept`,
    and is named in `problems`. If no stream's value could be read at all, the first error is
    raised, so the last good overview stays instead of an empty one.
    """
    streams = await client.datastreams()
    places = await _places(client)
    readings = [_reading(s, places) for s in streams.entries[:MAX_STREAMS]]
    known = {str(e.id): e for e in previous.entries} if previous else {}
    gate = asyncio.Semaphore(LATEST_CONCURRENCY)
    errors: list[tuple[int, ServiceError]] = []

    async def latest(position: int, reading: SensorReading) -> None:
        async with gate:
            try:
                observation = await client.latest_observation(reading.id)
            except ServiceError as error:
                errors.append((position, error))
                before = known.get(str(reading.id))
                if before is not None and before.value is not None:
                    reading.value, reading.measured_at = before.value, before.measured_at
                    reading.kept = True
                return
        if observation is not None:
            reading.value, reading.measured_at = observation.value, observation.time

    await asyncio.gather(*(latest(i, r) for i, r in enumerate(readings)))
    if readings and len(errors) == len(readings):
        raise min(errors, key=lambda e: e[0])[1]
    problems = list(streams.problems) + [
        EntryProblem(position=p, name=readings[p].name, reason=str(e)[:160] or e.kind)
        for p, e in sorted(errors, key=lambda e: e[0])
    ]
    readings.sort(key=_order)
    return SensorReadings(entries=readings, problems=problems)


def _order(reading: SensorReading) -> tuple[int, str, str]:
    rank = KIND_ORDER.index(reading.kind) if reading.kind in KIND_ORDER else len(KIND_ORDER)
    return rank, reading.place.casefold(), reading.name.casefold()


def grouped(readings: SensorReadings) -> list[tuple[str | None, list[SensorReading]]]:
    """The readings by kind, in the order of `KIND_ORDER`; unknown kinds (None) last."""
    groups: dict[str | None, list[SensorReading]] = {}
    for reading in sorted(readings.entries, key=_order):
        groups.setdefault(reading.kind, []).append(reading)
    return list(groups.items())


def compare_candidates(readings: SensorReadings, datastream: str) -> list[SensorReading]:
    """The other streams one may compare with: those of the same kind first."""
    this = readings.find(datastream)
    others = [e for e in readings.entries if str(e.id) != datastream]
    kind = this.kind if this else None
    return sorted(others, key=lambda e: (kind is None or e.kind != kind, *_order(e)))


# (the stream's unit, the limits' unit) -> factor, for units a server may send instead
CONVERSIONS: Mapping[tuple[str, str], float] = {
    ("cm", "m"): 0.01,
    ("mm", "m"): 0.001,
    ("db", "db(a)"): 1.0,
    ("dba", "db(a)"): 1.0,
    ("mg/m³", "µg/m³"): 1000.0,
}


def _unit_key(unit: str) -> str:
    """ "ug/m3", "μg/m³" (Greek mu) and "µg/m³" (micro sign) are one unit."""
    text = unit.strip().casefold().replace(" ", "").replace("μ", "µ")
    if text.startswith("ug/"):
        text = "µ" + text[1:]
    return text[:-1] + "³" if text.endswith("m3") else text


def in_unit(value: float, unit: str | None, wanted: str) -> float | None:
    """`value` given in `unit` expressed in `wanted`; None when the units do not compare."""
    if unit is None or not unit.strip():
        return value  # a server that does not say: the usual unit of its kind
    have, want = _unit_key(unit), _unit_key(wanted)
    if have == want:
        return value
    factor = CONVERSIONS.get((have, want))
    return value * factor if factor is not None else None


def assessment(
    reading: SensorReading, thresholds: Mapping[str, Threshold] | None = None
) -> Assessment | None:
    """The level of the latest value against the limits of its kind, if both are known (and in
    units that compare: a level in centimetres is converted, one in °C is not guessed)."""
    limits = thresholds or DEFAULTS
    if reading.value is None or reading.kind is None or reading.kind not in limits:
        return None
    value = in_unit(reading.value, reading.unit, limits[reading.kind].unit)
    return None if value is None else assess(reading.kind, value, limits)


def label_of(kind: str | None, thresholds: Mapping[str, Threshold] | None = None) -> str | None:
    """The msgid naming a kind ("Stickstoffdioxid (NO2)"), None for an unknown kind."""
    threshold = (thresholds or DEFAULTS).get(kind) if kind else None
    return threshold.label if threshold else None


def with_places(readings: Sequence[SensorReading]) -> list[SensorReading]:
    """The readings that can be put on a map."""
    return [r for r in readings if r.lat is not None and r.lon is not None]


def datastream_id(readings: SensorReadings | None, datastream: str) -> int | str:
    """The id to ask the server with: as the overview has it, else an integer if it is one."""
    known = readings.find(datastream) if readings else None
    if known is not None:
        return known.id
    return int(datastream) if datastream.isascii() and datastream.isdigit() else datastream


def rounded(value: float) -> float:
    """A value with as many decimals as a sensor's reading deserves: 1234, 23.4, 6.21."""
    size = abs(value)
    return round(value, 0 if size >= 100 else 1 if size >= 10 else 2)
