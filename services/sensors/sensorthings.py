"""Client for the OGC SensorThings API v1.1 (FROST-Server and others)."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.checked import Checked, check, check_list, text_field
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

    @model_validator(mode="before")
    @classmethod
    def _thing_name(cls, raw: Any) -> Any:
        """The name of an expanded `Thing`, kept as `thing_name`."""
        if isinstance(raw, dict) and isinstance(raw.get("Thing"), dict):
            name = raw["Thing"].get("name")
            return {**raw, "thing_name": name if isinstance(name, str) else None}
        return raw


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

    async def datastreams(self, top: int = 100) -> Checked[Datastream]:
        """The datastreams with their thing's name; falls back if `$expand` is unsupported."""
        try:
            raw = await self.collection(
                "/Datastreams", {"$top": top, "$expand": "Thing($select=name)"}
            )
        except Rejected:
            raw = await self.collection("/Datastreams", {"$top": top})
        return check_list(Datastream, raw, "Datastreams", name_of=text_field("name"))

    async def latest_observation(self, datastream_id: int | str) -> Observation | None:
        """The newest observation of a datastream, or None if it has none."""
        body = await self.get_json(
            f"/{entity_path('Datastreams', datastream_id)}/Observations",
            {"$orderby": "phenomenonTime desc", "$top": 1},
        )
        values = list(_values(body))
        if not values:
            return None
        return check(Observation, values[0], "Observation")


def _values(body: Any) -> list[Any]:
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise BadData("SensorThings: a collection must have a `value` list")
    return list(body["value"])
