"""The ZMS citizen API (`/terminvereinbarung/api/citizen`), as far as the app uses it yet."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import col, select

from backend_stub.deps import SessionDep
from backend_stub.errors import answer
from backend_stub.models import CitizenService, Office

ZMS_BASE = "/terminvereinbarung/api/citizen"

router = APIRouter(prefix=ZMS_BASE, tags=["appointments (ZMS citizen API)"])


class ZmsAddress(BaseModel):
    """An office's address (sample data)."""

    street: str
    postal_code: str
    city: str
    sample: bool


class ZmsGeo(BaseModel):
    """Coordinates as strings, as upstream sends them."""

    lat: str
    lon: str


class ZmsScope(BaseModel):
    """The office's booking scope."""

    id: int
    shortName: str
    emailRequired: bool


class ZmsOffice(BaseModel):
    """An office."""

    id: int
    name: str
    address: ZmsAddress
    geo: ZmsGeo
    scope: ZmsScope


class ZmsService(BaseModel):
    """A service that can be booked."""

    id: int
    name: str
    maxQuantity: int
    combinable: list[int]


class ZmsRelation(BaseModel):
    """An office offers a service, taking this many slots."""

    officeId: int
    serviceId: int
    slots: int


class OfficesAndServices(BaseModel):
    """What `offices-and-services` answers."""

    offices: list[ZmsOffice]
    services: list[ZmsService]
    relations: list[ZmsRelation]


def office_json(office: Office) -> dict[str, Any]:
    """An office as ZMS describes it (geo as strings, as upstream sends them)."""
    return {
        "id": office.id,
        "name": office.name,
        "address": {
            "street": office.street,
            "postal_code": office.postal_code,
            "city": "Köln",
            "sample": office.is_sample,
        },
        "geo": {"lat": str(office.lat), "lon": str(office.lon)},
        "scope": {"id": office.id, "shortName": office.slug, "emailRequired": False},
    }


@router.get(
    "/offices-and-services/",
    response_model=None,
    responses=answer(OfficesAndServices, "All offices, services and relations."),
)
def offices_and_services(session: SessionDep) -> dict[str, Any]:
    """All offices, services and which office offers which service."""
    offices = session.exec(select(Office).order_by(col(Office.id))).all()
    services = session.exec(select(CitizenService).order_by(col(CitizenService.id))).all()
    relations = [
        {"officeId": office.id, "serviceId": service.id, "slots": service.slots}
        for office in offices
        for service in services
        if service.vehicle_only == (office.slug == "kfz")
    ]
    return {
        "offices": [office_json(office) for office in offices],
        "services": [
            {
                "id": service.id,
                "name": service.name,
                "maxQuantity": service.max_quantity,
                "combinable": [],
            }
            for service in services
        ],
        "relations": relations,
    }
