"""Admin-only routes, behind `Authorization: Bearer $KOELN_ADMIN_TOKEN`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import func, select

from backend_stub.auth import require_admin
from backend_stub.deps import NowDep, SessionDep
from backend_stub.models import BarrierReport, Office
from backend_stub.queues.world import MAX_ADVANCE_MINUTES, MAX_SPEED
from backend_stub.routers.queues import WorldDep, ticket_json, unknown_location, zms_error

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


@router.get("/status")
def admin_status(session: SessionDep) -> dict[str, int]:
    """Counts for the operator: Kundenzentren and received barrier reports."""
    return {
        "offices": session.exec(select(func.count()).select_from(Office)).one(),
        "barrier_reports": session.exec(select(func.count()).select_from(BarrierReport)).one(),
    }


class CallNext(BaseModel):
    """Which counter calls."""

    counter: int = Field(ge=1)


@router.post("/queues/{slug}/call-next")
def call_next(slug: str, body: CallNext, world: WorldDep, now: NowDep) -> Any:
    """The counter finishes its current case and calls the next number (null when none wait)."""
    if slug not in world.slugs:
        return unknown_location(slug)
    with world.at(now) as queues:
        queue = queues[slug]
        try:
            ticket = queue.call_next(body.counter)
        except ValueError:
            return zms_error(400, "counterNotFound", f"no counter {body.counter} is staffed")
        return {"called": ticket_json(queue, ticket) if ticket else None}


class OpenState(BaseModel):
    """Open or close the Kundenzentrum; null hands it back to the opening hours."""

    open: bool | None


@router.put("/queues/{slug}/open")
def set_open(slug: str, body: OpenState, world: WorldDep, now: NowDep) -> Any:
    """Open or close a Kundenzentrum for walk-ins now."""
    if slug not in world.slugs:
        return unknown_location(slug)
    with world.at(now) as queues:
        queues[slug].set_open(body.open)
        return {"location": slug, "isOpen": queues[slug].is_open()}


class Speed(BaseModel):
    """Simulated seconds per second (0 pauses the simulation); a number, never a bool."""

    model_config = ConfigDict(strict=True, extra="forbid")

    speed: float = Field(ge=0, le=MAX_SPEED, allow_inf_nan=False)


@router.put("/queues/speed")
def set_speed(body: Speed, world: WorldDep, now: NowDep) -> dict[str, Any]:
    """Run every queue faster (a demo hour in seconds) or pause them."""
    world.set_speed(body.speed, now)
    return {"speed": body.speed, "simulatedTime": world.sim_now(now).isoformat()}


class Advance(BaseModel):
    """How many simulated minutes to move ahead (more than 0, at most a day)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    minutes: float = Field(gt=0, le=MAX_ADVANCE_MINUTES, allow_inf_nan=False)


@router.post("/queues/advance")
def advance(body: Advance, world: WorldDep, now: NowDep) -> dict[str, Any]:
    """Step every queue `minutes` ahead, also while the simulation is paused."""
    simulated = world.advance(body.minutes, now)
    return {"speed": world.clock.speed, "simulatedTime": simulated.isoformat()}
