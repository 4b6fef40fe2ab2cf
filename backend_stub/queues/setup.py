"""Build the queue world from the stub's Kundenzentren and services."""

from __future__ import annotations

import json
import os
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from backend_stub import seed_data
from backend_stub.clock import CITY_TZ
from backend_stub.models import CitizenService, Office
from backend_stub.queues.simulation import OfficePlan, parse_hours
from backend_stub.queues.store import QueueStore
from backend_stub.queues.tokens import TicketSigner
from backend_stub.queues.world import QueueWorld

SECRET_ENV = "KOELN_TICKET_SECRET"
MEAN_SERVICE_MINUTES = 8.0


def plan_for(office: Office) -> OfficePlan:
    """Counters and load from the office's typical wait: busier offices get more of both."""
    counters = 3 if office.base_wait_minutes < 20 else 4
    return OfficePlan(
        slug=office.slug,
        name=office.name,
        hours=parse_hours(json.loads(office.opening_hours)),
        counters=counters,
        mean_service_minutes=MEAN_SERVICE_MINUTES,
        load=0.85 + office.base_wait_minutes / 250,
    )


def ticket_secret(store: QueueStore) -> bytes:
    """`KOELN_TICKET_SECRET`, else the stub's own secret, made once and kept in its database."""
    configured = os.environ.get(SECRET_ENV, "")
    return configured.encode() if configured else store.ticket_secret()


def build_world(
    engine: Engine,
    now: datetime,
    *,
    secret: bytes | None = None,
    queue_speed: float | None = None,
) -> QueueWorld:
    """One queue per Kundenzentrum (the vehicle office is in the feed only), at `queue_speed`.

    The world goes on from what the database holds (tickets, calls, the simulated clock);
    `queue_speed` None keeps the saved speed (1 at the first start).
    """
    with Session(engine) as session:
        offices = session.exec(select(Office).order_by(col(Office.id))).all()
        services = session.exec(
            select(CitizenService).where(col(CitizenService.id).in_(seed_data.WALK_IN_SERVICES))
        ).all()
        plans = [plan_for(o) for o in offices if o.slug != seed_data.VEHICLE_OFFICE[0]]
        service_ids = [s.id for s in services]
    store = QueueStore(engine)
    return QueueWorld(
        plans,
        tz=CITY_TZ,
        letters=seed_data.SERVICE_LETTERS,
        service_ids=service_ids,
        signer=TicketSigner(secret or ticket_secret(store)),
        start=now,
        speed=queue_speed,
        store=store,
    )
