"""What can be booked where: offices with their hours, services, and which office offers what.

The catalogue is sample data: seeded once into the database (also into a database from before
appointments existed) and read into memory when the stub starts, since nothing changes it while
the stub runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend_stub import seed_data
from backend_stub.appointments.calendar import OfficeHours
from backend_stub.models import CitizenService, Office, ServiceDetail, ServiceOffer

SERVICE_COUNT_MAX = 99  # what a request may ask at most; each service has its own maximum


@dataclass(frozen=True)
class BookableService:
    """A service with its details."""

    id: int
    name: str
    max_quantity: int
    fee_cents: int | None
    documents: list[str]
    description: str
    combinable: list[int]

    @property
    def fee(self) -> str | None:
        """The fee in euros as ZMS-style text ("37.00"), None when it depends on the case."""
        if self.fee_cents is None:
            return None
        euros, cents = divmod(self.fee_cents, 100)
        return f"{euros}.{cents:02d}"


@dataclass(frozen=True)
class BookableOffice:
    """An office (a Kundenzentrum or the vehicle office) with its appointment hours."""

    office: Office
    hours: OfficeHours
    opening_hours: dict[str, str]

    @property
    def id(self) -> int:
        """The office's id (also its scope's)."""
        return self.office.id


@dataclass
class Catalogue:
    """All offices, services and offers (office, service) -> slots, in id order."""

    offices: dict[int, BookableOffice] = field(default_factory=dict)
    services: dict[int, BookableService] = field(default_factory=dict)
    offers: dict[tuple[int, int], int] = field(default_factory=dict)
    by_slug: dict[str, BookableOffice] = field(default_factory=dict)

    def slots_for(self, office_id: int, wanted: list[tuple[int, int]]) -> int | None:
        """Slots `wanted` [(service id, count)] takes at the office; None unless it offers all."""
        total = 0
        for service_id, count in wanted:
            slots = self.offers.get((office_id, service_id))
            if slots is None:
                return None
            total += slots * count
        return total


class BadRequest(ValueError):
    """A booking request that names nothing bookable; `code` is the ZMS errorCode."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def check_services(
    catalogue: Catalogue, service_ids: list[int], counts: list[int] | None
) -> list[tuple[int, int]]:
    """[(service id, count)] after checking ids, counts and that they may be booked together."""
    if counts is None:
        counts = [1] * len(service_ids)
    if len(counts) != len(service_ids):
        raise BadRequest("invalidServiceCount", "give one serviceCount for each serviceId")
    if not service_ids:
        raise BadRequest("invalidServiceId", "name at least one service")
    if len(set(service_ids)) != len(service_ids):
        raise BadRequest("invalidServiceId", "each service may be named once")
    for service_id, count in zip(service_ids, counts, strict=True):
        service = catalogue.services.get(service_id)
        if service is None:
            raise BadRequest("invalidServiceId", f"there is no service {service_id}")
        if not 1 <= count <= service.max_quantity:
            raise BadRequest(
                "invalidServiceCount",
                f"service {service_id} can be booked 1 to {service.max_quantity} times",
            )
    first = catalogue.services[service_ids[0]]
    for service_id in service_ids[1:]:
        if service_id not in first.combinable:
            raise BadRequest(
                "invalidServiceId", f"service {service_id} cannot be booked with {first.id}"
            )
    return list(zip(service_ids, counts, strict=True))


def seed_catalogue_if_empty(engine: Engine) -> bool:
    """Seed services, their details and offers when nobody has; True if it did.

    Services the database lacks are added (a database from before appointments has the walk-in
    services only); the offices are those of the first seed.
    """
    with Session(engine) as session:
        if session.exec(select(ServiceOffer).limit(1)).first() is not None:
            return False
        offices = {o.slug: o.id for o in session.exec(select(Office)).all()}
        known = set(session.exec(select(CitizenService.id)).all())
        for seed in seed_data.SERVICES:
            if seed.id not in known:
                session.add(
                    CitizenService(
                        id=seed.id,
                        name=seed.name,
                        max_quantity=seed.max_quantity,
                        slots=seed.slots,
                        vehicle_only=seed.vehicle_only,
                    )
                )
        session.flush()  # PostgreSQL checks the foreign keys of the rows below
        for seed in seed_data.SERVICES:
            combinable = (
                [other for other in seed_data.COMBINABLE if other != seed.id]
                if seed.id in seed_data.COMBINABLE
                else []
            )
            session.add(
                ServiceDetail(
                    service_id=seed.id,
                    fee_cents=None if seed.fee is None else int(Decimal(seed.fee) * 100),
                    documents=json.dumps(list(seed.documents), ensure_ascii=False),
                    description=seed.description,
                    combinable=json.dumps(combinable),
                )
            )
            for slug in seed.offices:
                if slug in offices:
                    session.add(
                        ServiceOffer(office_id=offices[slug], service_id=seed.id, slots=seed.slots)
                    )
        try:
            session.commit()
        except IntegrityError:  # another stub on the same database seeded it meanwhile
            session.rollback()
            return False
        return True


def load_catalogue(engine: Engine) -> Catalogue:
    """The catalogue as the database holds it."""
    catalogue = Catalogue()
    with Session(engine) as session:
        for office in session.exec(select(Office).order_by(col(Office.id))).all():
            opening_hours: dict[str, str] = json.loads(office.opening_hours)
            session.expunge(office)
            bookable = BookableOffice(
                office, OfficeHours.parse(office.id, opening_hours), opening_hours
            )
            catalogue.offices[office.id] = bookable
            catalogue.by_slug[office.slug] = bookable
        details = {d.service_id: d for d in session.exec(select(ServiceDetail)).all()}
        for service in session.exec(select(CitizenService).order_by(col(CitizenService.id))).all():
            detail = details.get(service.id) or ServiceDetail(service_id=service.id)
            catalogue.services[service.id] = BookableService(
                id=service.id,
                name=service.name,
                max_quantity=service.max_quantity,
                fee_cents=detail.fee_cents,
                documents=json.loads(detail.documents),
                description=detail.description,
                combinable=json.loads(detail.combinable),
            )
        offers = session.exec(
            select(ServiceOffer).order_by(col(ServiceOffer.office_id), col(ServiceOffer.service_id))
        ).all()
        catalogue.offers = {(o.office_id, o.service_id): o.slots for o in offers}
    return catalogue
