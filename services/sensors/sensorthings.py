"""Client for the OGC SensorThings API v1.1 (FROST-Server and others)."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.errors import BadData, Rejected
from services.http import JsonClient

MAX_PAGES = 10  # a cap on following @iot.nextLink, so a looping server cannot hold us


class Unit(BaseModel):
    """`unitOfMeasurement` of a datastream."""

    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    symbol: str | None = None
    definition: str | None = None


class Datastream(BaseModel):
    """A series of observations of one property by one sensor."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: int | str = Field(alias="@iot.id")
    name: str
    description: str | None = None
    unit: Unit = Field(default_factory=Unit, alias="unitOfMeasurement")
    observation_type: str | None = Field(default=None, alias="observationType")
    thing_name: str | None = None


class Observation(BaseModel):
    """One measured value."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    phenomenon_time: str = Field(alias="phenomenonTime")
    result: Any


def entity_path(collection: str, entity_id: int | str) -> str:
    """`Datastreams(5)` for FROST's integers, `Datastreams('a-b')` for string ids."""
    if isinstance(entity_id, int):
        return f"{collection}({entity_id})"
    quoted = str(entity_id).replace("'", "''")
    return f"{collection}('{quoted}')"


class SensorThingsClient(JsonClient):
    """The service root, e.g. `https://host/FROST-Server/v1.1`."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(base_url, transport=transport)

    async def collection(self, path: str, params: dict[str, Any] | None = None) -> list[Any]:
        """All entities of a collection, following `@iot.nextLink` up to a cap."""
        body = await self.get_json(path, params=params)
        values = list(_values(body))
        for _ in range(MAX_PAGES - 1):
            next_link = body.get("@iot.nextLink")
            if not isinstance(next_link, str) or not next_link.startswith(self.base_url):
                break  # a link off this server is not followed
            body = await self.get_json(next_link[len(self.base_url) :])
            values.extend(_values(body))
        return values

    async def datastreams(self, top: int = 100) -> list[Datastream]:
        """The datastreams with their thing's name; falls back if `$expand` is unsupported."""
        try:
            raw = await self.collection(
                "/Datastreams", {"$top": top, "$expand": "Thing($select=name)"}
            )
        except Rejected:
            raw = await self.collection("/Datastreams", {"$top": top})
        streams = []
        for item in raw:
            try:
                stream = Datastream.model_validate(item)
            except ValidationError as exc:
                raise BadData(f"Datastreams: {exc.error_count()} invalid fields") from exc
            thing = item.get("Thing") if isinstance(item, dict) else None
            if isinstance(thing, dict):
                stream.thing_name = thing.get("name")
            streams.append(stream)
        return streams

    async def latest_observation(self, datastream_id: int | str) -> Observation | None:
        """The newest observation of a datastream, or None if it has none."""
        body = await self.get_json(
            f"/{entity_path('Datastreams', datastream_id)}/Observations",
            {"$orderby": "phenomenonTime desc", "$top": 1},
        )
        values = list(_values(body))
        if not values:
            return None
        try:
            return Observation.model_validate(values[0])
        except ValidationError as exc:
            raise BadData("Observation: invalid fields") from exc


def _values(body: Any) -> list[Any]:
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise BadData("SensorThings: a collection must have a `value` list")
    return list(body["value"])
