"""Fill an empty stub database with the sample data, once, on first start."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from backend_stub import seed_data
from backend_stub.models import (
    CitizenService,
    Dataset,
    Office,
)
from backend_stub.open_data import catalogue
from backend_stub.participation.seed import seed_participation_if_empty


def seed_if_empty(engine: Engine, now: datetime) -> bool:
    """Seed all sample data when the database has no Kundenzentrum yet; True if it did.

    The participation data (measures, surveys, a workshop) is seeded on its own when it has no
    measures yet, so a database from before it gets it too.
    """
    seed_participation_if_empty(engine, now)
    with Session(engine) as session:
        if session.exec(select(Office).limit(1)).first() is not None:
            return False
        _seed_offices(session, now)
        _seed_services(session)
        _seed_datasets(session, now)
        session.commit()
        return True


def _seed_offices(session: Session, now: datetime) -> None:
    rows = [*seed_data.KUNDENZENTREN, seed_data.VEHICLE_OFFICE]
    for number, (slug, name, street, postal, lat, lon, wait) in enumerate(rows, start=1):
        session.add(
            Office(
                id=10000 + number,
                slug=slug,
                name=name,
                street=street,
                postal_code=postal,
                lat=lat,
                lon=lon,
                opening_hours=json.dumps(seed_data.WEEKDAY_HOURS),
                walk_in_hours=json.dumps(seed_data.WALK_IN_HOURS),
                base_wait_minutes=wait,
                # the real feed's vehicle office entry has been frozen for years
                frozen_at=now - timedelta(days=3 * 365) if slug == "kfz" else None,
            )
        )


def _seed_services(session: Session) -> None:
    for service_id, name, max_quantity, slots, vehicle_only in seed_data.CITIZEN_SERVICES:
        session.add(
            CitizenService(
                id=service_id,
                name=name,
                max_quantity=max_quantity,
                slots=slots,
                vehicle_only=vehicle_only,
            )
        )


def _seed_datasets(session: Session, now: datetime) -> None:
    """The open-data catalogue; its dates are fixed (see `catalogue.REFERENCE_DATE`), not `now`."""
    del now
    for index, spec in enumerate(catalogue.DATASETS):
        when = catalogue.modified(index)
        resources = [
            {
                "id": catalogue.resource_id(spec.name, resource.name),
                "package_id": spec.id,
                "position": position,
                "name": resource.name,
                "description": "",
                "mimetype": catalogue.MIMETYPES.get(resource.format),
                "format": resource.format,
                "url": catalogue.resource_url(spec.name, resource.name, position, resource.format),
                "datastore_active": resource.datastore,
                "last_modified": when.replace(tzinfo=None).isoformat(),
            }
            for position, resource in enumerate(spec.resources)
        ]
        session.add(
            Dataset(
                id=spec.id,
                name=spec.name,
                title=spec.title,
                notes=spec.notes,
                organization=spec.organization,
                license_id=spec.license_id,
                license_title=catalogue.LICENSES[spec.license_id],
                tags=json.dumps(list(spec.tags)),
                groups=json.dumps(list(spec.groups)),
                resources=json.dumps(resources),
                metadata_modified=when,
            )
        )
