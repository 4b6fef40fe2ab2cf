"""Client for the ZMS citizen API (`/terminvereinbarung/api/citizen`)."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.errors import BadData
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
    """The answer of `offices-and-services/`."""

    model_config = ConfigDict(extra="ignore")

    offices: list[Office]
    services: list[Service]
    relations: list[Relation]


class ZmsClient(ZmsStyleClient):
    """The citizen API of ZMS at its base path."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(base_url, transport=transport)

    async def offices_and_services(self) -> OfficesAndServices:
        """All offices, services and which office offers what."""
        body = await self.get_json("/offices-and-services/")
        try:
            return OfficesAndServices.model_validate(body)
        except ValidationError as exc:
            raise BadData(f"offices-and-services: {exc.error_count()} invalid fields") from exc
