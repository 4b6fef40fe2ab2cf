"""The SensorThings entity sets over the simulated network: their properties and navigation.

An entity is a row (a dict of its properties by their SensorThings names, times as aware
datetimes; keys starting with `_` are for navigation only). Observations are made on demand
from `simulation`; everything else comes from `network`. A `World` is the network as it stands
at one moment of the stub's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from backend_stub.sensors import network, simulation

Row = dict[str, Any]


@dataclass(frozen=True)
class Link:
    """A navigation property: the entity set it leads to, one entity or many."""

    target: str
    many: bool


@dataclass(frozen=True)
class EntitySet:
    """An entity set: its properties in answer order and its navigation properties."""

    name: str
    properties: tuple[str, ...]
    links: dict[str, Link]
    json_properties: frozenset[str] = frozenset({"properties"})  # may be walked into


ENTITY_SETS: dict[str, EntitySet] = {
    s.name: s
    for s in (
        EntitySet(
            "Things",
            ("name", "description", "properties"),
            {"Locations": Link("Locations", True), "Datastreams": Link("Datastreams", True)},
        ),
        EntitySet(
            "Locations",
            ("name", "description", "encodingType", "location", "properties"),
            {"Things": Link("Things", True)},
            frozenset({"location", "properties"}),
        ),
        EntitySet(
            "Datastreams",
            (
                "name",
                "description",
                "observationType",
                "unitOfMeasurement",
                "observedArea",
                "phenomenonTime",
                "resultTime",
                "properties",
            ),
            {
                "Thing": Link("Things", False),
                "Sensor": Link("Sensors", False),
                "ObservedProperty": Link("ObservedProperties", False),
                "Observations": Link("Observations", True),
            },
            frozenset({"unitOfMeasurement", "observedArea", "properties"}),
        ),
        EntitySet(
            "Sensors",
            ("name", "description", "encodingType", "metadata", "properties"),
            {"Datastreams": Link("Datastreams", True)},
        ),
        EntitySet(
            "ObservedProperties",
            ("name", "definition", "description", "properties"),
            {"Datastreams": Link("Datastreams", True)},
        ),
        EntitySet(
            "Observations",
            ("phenomenonTime", "resultTime", "result"),
            {
                "Datastream": Link("Datastreams", False),
                "FeatureOfInterest": Link("FeaturesOfInterest", False),
            },
            frozenset(),
        ),
        EntitySet(
            "FeaturesOfInterest",
            ("name", "description", "encodingType", "feature", "properties"),
            {"Observations": Link("Observations", True)},
            frozenset({"feature", "properties"}),
        ),
    )
}


@dataclass(frozen=True)
class ObservationSource:
    """The observations of some Datastreams (made on demand, never all kept)."""

    stream_ids: tuple[int, ...]


Source = list[Row] | ObservationSource


def _point(thing: network.Thing) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [thing.lon, thing.lat]}


def _thing(thing: network.Thing) -> Row:
    return {
        "id": thing.id,
        "name": thing.name,
        "description": thing.description,
        "properties": thing.properties(),
    }


def _location(thing: network.Thing) -> Row:
    return {
        "id": thing.id,
        "name": thing.place,
        "description": f"Standort: {thing.name}",
        "encodingType": network.GEOJSON,
        "location": _point(thing),
        "properties": {"city": "Köln"},
    }


def _feature(thing: network.Thing) -> Row:
    return {
        "id": thing.id,
        "name": thing.place,
        "description": f"Messort: {thing.name}",
        "encodingType": network.GEOJSON,
        "feature": _point(thing),
    }


def _sensor(sensor: network.Sensor) -> Row:
    return {
        "id": sensor.id,
        "name": sensor.name,
        "description": sensor.description,
        "encodingType": "text/html",
        "metadata": sensor.metadata,
        "properties": {"network": network.NETWORK},
    }


def _observed_property(prop: network.ObservedProperty) -> Row:
    return {
        "id": prop.id,
        "name": prop.name,
        "definition": prop.definition,
        "description": prop.description,
    }


THINGS = [_thing(t) for t in network.THINGS]
LOCATIONS = [_location(t) for t in network.THINGS]
FEATURES = [_feature(t) for t in network.THINGS]
SENSORS = [_sensor(s) for s in network.SENSORS]
OBSERVED_PROPERTIES = [_observed_property(p) for p in network.OBSERVED_PROPERTIES]
_BY_ID: dict[str, dict[int, Row]] = {
    "Things": {r["id"]: r for r in THINGS},
    "Locations": {r["id"]: r for r in LOCATIONS},
    "FeaturesOfInterest": {r["id"]: r for r in FEATURES},
    "Sensors": {r["id"]: r for r in SENSORS},
    "ObservedProperties": {r["id"]: r for r in OBSERVED_PROPERTIES},
}
_STATIC = {
    "Things": THINGS,
    "Locations": LOCATIONS,
    "FeaturesOfInterest": FEATURES,
    "Sensors": SENSORS,
    "ObservedProperties": OBSERVED_PROPERTIES,
}


def observation(stream_id: int, slot: int) -> Row:
    """The observation of a Datastream in a slot."""
    moment = simulation.slot_time(slot)
    return {
        "id": simulation.observation_id(stream_id, slot),
        "phenomenonTime": moment,
        "resultTime": moment,
        "result": simulation.value(network.DATASTREAMS_BY_ID[stream_id], slot),
        "_stream": stream_id,
    }


class World:
    """The entities as they stand at `now` (observations up to now, 30 days back)."""

    def __init__(self, now: datetime) -> None:
        self.now = now.astimezone(UTC)
        self.first_slot, self.last_slot = simulation.window(self.now)
        first, last = simulation.slot_time(self.first_slot), simulation.slot_time(self.last_slot)
        interval = f"{iso(first)}/{iso(last)}"
        self.datastreams = [self._datastream(s, interval) for s in network.DATASTREAMS]
        self._streams_by_id = {r["id"]: r for r in self.datastreams}

    @staticmethod
    def _datastream(stream: network.Datastream, interval: str) -> Row:
        return {
            "id": stream.id,
            "name": stream.name,
            "description": stream.description,
            "observationType": network.OBSERVATION_TYPE,
            "unitOfMeasurement": stream.unit.as_json(),
            "observedArea": _point(stream.thing),
            "phenomenonTime": interval,
            "resultTime": interval,
            "properties": {"resultInterval": "PT15M", "network": network.NETWORK},
            "_thing": stream.thing.id,
            "_sensor": stream.sensor.id,
            "_property": stream.observed_property.id,
        }

    def all(self, set_name: str) -> Source:
        """Every entity of a set."""
        if set_name == "Observations":
            return ObservationSource(tuple(r["id"] for r in self.datastreams))
        if set_name == "Datastreams":
            return list(self.datastreams)
        return list(_STATIC[set_name])

    def get(self, set_name: str, entity_id: int) -> Row | None:
        """One entity by its id, or None."""
        if set_name == "Observations":
            stream_id, slot = simulation.split_id(entity_id)
            if stream_id in self._streams_by_id and self.first_slot <= slot <= self.last_slot:
                return observation(stream_id, slot)
            return None
        if set_name == "Datastreams":
            return self._streams_by_id.get(entity_id)
        return _BY_ID[set_name].get(entity_id)

    def one(self, set_name: str, row: Row, link: str) -> Row | None:
        """The entity a to-one navigation property leads to."""
        if set_name == "Datastreams":
            key = {"Thing": "_thing", "Sensor": "_sensor", "ObservedProperty": "_property"}[link]
            return self.get(ENTITY_SETS[set_name].links[link].target, row[key])
        # an Observation: its Datastream, and its Thing's place as its FeatureOfInterest
        stream = self._streams_by_id[row["_stream"]]
        if link == "Datastream":
            return stream
        return self.get("FeaturesOfInterest", stream["_thing"])

    def many(self, set_name: str, row: Row, link: str) -> Source:
        """The entities a to-many navigation property leads to."""
        if link == "Observations":
            if set_name == "Datastreams":
                return ObservationSource((row["id"],))
            return ObservationSource(self._stream_ids("_thing", row["id"]))  # of a feature
        if set_name in ("Things", "Locations"):  # each Thing stands at its own Location
            if link == "Datastreams":
                ids = set(self._stream_ids("_thing", row["id"]))
                return [r for r in self.datastreams if r["id"] in ids]
            return [r for r in _STATIC[link] if r["id"] == row["id"]]
        key = "_sensor" if set_name == "Sensors" else "_property"
        ids = set(self._stream_ids(key, row["id"]))
        return [r for r in self.datastreams if r["id"] in ids]

    def _stream_ids(self, key: str, value: int) -> tuple[int, ...]:
        return tuple(r["id"] for r in self.datastreams if r[key] == value)


def iso(moment: datetime) -> str:
    """A time as SensorThings writes it: UTC with `Z`."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
