"""Client for the ZMS citizen API (`/terminvereinbarung/api/citizen`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

from services.checked import EntryProblem, check_list, text_field
from services.errors import BadData
from services.freshness import Freshness, untimed
from services.zms_errors import ZmsStyleClient


class Geo(BaseModel):
    """Coordinates; ZMS sends them as strings."""

    lat: float
    lon: float


class Office(BaseModel):
    """A place where appointments can be booked."""

    model_config = ConfigDict(extra="ignore")

    id: int
    name: str
    address: dict[str, Any] | None = None
    geo: Geo | None = None


class Service(BaseModel):
    """Something a citizen can book (an ID card, a registration)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: int
    name: str
    max_quantity: int = Field(default=1, alias="maxQuantity")


class Relation(BaseModel):
    """Which office offers which service, and how many slots it takes."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    office_id: int = Field(alias="officeId")
    service_id: int = Field(alias="serviceId")
    slots: int = 1


class OfficesAndServices(BaseModel):
    """The answer of `offices-and-services/`; entries that could not be read are `problems`."""

    model_config = ConfigDict(extra="ignore")

    offices: list[Office]
    services: list[Service]
    relations: list[Relation]
    problems: list[EntryProblem] = Field(default_factory=list)

    def freshness(self, now: datetime) -> Freshness:
        """A catalogue has no time of its own: only what could not be read counts."""
        return untimed(len(self.offices) + len(self.services), unreadable=len(self.problems))


class ZmsClient(ZmsStyleClient):
    """The citizen API of ZMS at its base path."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(base_url, transport=transport)

    async def offices_and_services(self) -> OfficesAndServices:
        """All offices, services and which office offers what."""
        body = await self.get_json("/offices-and-services/")
        if not isinstance(body, dict):
            raise BadData("offices-and-services: not an object")
        named = text_field("name")
        offices = check_list(Office, body.get("offices"), "offices", name_of=named)
        services = check_list(Service, body.get("services"), "services", name_of=named)
        relations = check_list(Relation, body.get("relations"), "relations")
        return OfficesAndServices(
            offices=offices.entries,
            services=services.entries,
            relations=relations.entries,
            problems=offices.problems + services.problems + relations.problems,
        )
