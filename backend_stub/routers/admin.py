"""Admin-only routes, behind `Authorization: Bearer $KOELN_ADMIN_TOKEN`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlmodel import func, select

from backend_stub.auth import ADMIN_ERRORS, require_admin
from backend_stub.deps import NowDep, SessionDep
from backend_stub.errors import UNREADABLE_BODY, answer, zms, zms_error
from backend_stub.models import BarrierReport, Office
from backend_stub.routers.queue_wire import (
    AdminStatus,
    Advance,
    Called,
    CallNext,
    LocationOpen,
    OpenState,
    SimulationState,
    Speed,
    WaitingRequests,
)
from backend_stub.routers.queues import NO_LOCATION, Slug, WorldDep, ticket_json, unknown_location

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses=ADMIN_ERRORS,
)


@router.get(
    "/status", response_model=None, responses=answer(AdminStatus, "Counts for the operator.")
)
def admin_status(session: SessionDep) -> dict[str, int]:
    """Counts for the operator: Kundenzentren and received barrier reports."""
    return {
        "offices": session.exec(select(func.count()).select_from(Office)).one(),
        "barrier_reports": session.exec(select(func.count()).select_from(BarrierReport)).one(),
    }


@router.get(
    "/queues/waiting",
    response_model=None,
    responses=answer(WaitingRequests, "What the held requests did."),
)
def waiting_requests(request: Request) -> dict[str, int]:
    """Held (long-polling) requests of ticket status and call displays, counted."""
    return asdict(request.app.state.waiting.stats)


@router.post(
    "/queues/{slug}/call-next",
    response_model=None,
    responses={
        **answer(Called, "Whom the counter called."),
        **UNREADABLE_BODY,
        **zms({404: NO_LOCATION + " `counterNotFound`: no such counter is staffed."}),
    },
)
def call_next(slug: Slug, body: CallNext, world: WorldDep, now: NowDep) -> Any:
    """The counter finishes its current case and calls the next number (null when none wait)."""
    if slug not in world.slugs:
        return unknown_location(slug)
    with world.at(now) as queues:
        queue = queues[slug]
        try:
            ticket = queue.call_next(body.counter)
        except ValueError:
            return zms_error(404, "counterNotFound", f"no counter {body.counter} is staffed")
        return {"called": ticket_json(queue, ticket) if ticket else None}


@router.put(
    "/queues/{slug}/open",
    response_model=None,
    responses={
        **answer(LocationOpen, "Open or not, now."),
        **UNREADABLE_BODY,
        **zms({404: NO_LOCATION}),
    },
)
def set_open(slug: Slug, body: OpenState, world: WorldDep, now: NowDep) -> Any:
    """Open or close a Kundenzentrum for walk-ins now."""
    if slug not in world.slugs:
        return unknown_location(slug)
    with world.at(now) as queues:
        queues[slug].set_open(body.open)
        return {"location": slug, "isOpen": queues[slug].is_open()}


@router.put(
    "/queues/speed",
    response_model=None,
    responses={**answer(SimulationState, "The new speed."), **UNREADABLE_BODY},
)
def set_speed(body: Speed, world: WorldDep, now: NowDep) -> dict[str, Any]:
    """Run every queue faster (a demo hour in seconds) or pause them."""
    world.set_speed(body.speed, now)
    return {"speed": body.speed, "simulatedTime": world.sim_now(now).isoformat()}


@router.post(
    "/queues/advance",
    response_model=None,
    responses={**answer(SimulationState, "The new simulated present."), **UNREADABLE_BODY},
)
def advance(body: Advance, world: WorldDep, now: NowDep) -> dict[str, Any]:
    """Step every queue `minutes` ahead, also while the simulation is paused."""
    simulated = world.advance(body.minutes, now)
    return {"speed": world.clock.speed, "simulatedTime": simulated.isoformat()}
