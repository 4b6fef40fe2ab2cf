"""The walk-in queues (modelled on ZMS): locations, drawing a ticket, following it, call display."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from fastapi.responses import JSONResponse
from sqlmodel import col, select

from backend_stub import seed_data
from backend_stub.appointments.processes import QUEUED, ProcessError, for_check_in, mark_queued
from backend_stub.clock import CITY_TZ, Clock
from backend_stub.conditional import NOT_MODIFIED as NOT_MODIFIED_STATUS
from backend_stub.conditional import conditional_json
from backend_stub.deps import NowDep, SessionDep
from backend_stub.errors import NOT_MODIFIED, UNREADABLE_BODY, answer, zms, zms_error
from backend_stub.models import CitizenService, Office
from backend_stub.queues.simulation import OfficeQueue, QueueTicket, display_prefix
from backend_stub.queues.waiting import CALLS, MAX_WAIT, ChangeNotifier, requested_wait
from backend_stub.queues.world import QueueWorld
from backend_stub.routers.queue_wire import (
    CallDisplay,
    CheckIn,
    DrawnTicket,
    DrawTicket,
    Locations,
    Ticket,
)

QUEUE_BASE = "/queue/v1"

router = APIRouter(prefix=QUEUE_BASE, tags=["walk-in queues"])


def get_world(request: Request) -> QueueWorld:
    """The stub's queue world."""
    world: QueueWorld = request.app.state.queues
    return world


WorldDep = Annotated[QueueWorld, Depends(get_world)]
# The Kundenzentrum, by the id `GET /locations` lists
Slug = Annotated[str, Path(examples=["ehrenfeld"])]
# Any text is taken: one that is not a genuine token is a ticket not found (404), as for ZMS.
Token = Annotated[
    str,
    Path(
        description="The signed token on the ticket, from drawing it: "
        "`YYYYMMDD` + five-digit number + `.` + 16 characters of signature"
    ),
]


NO_LOCATION = "`locationNotFound`: no Kundenzentrum with a queue has this id."
# Long polling (RFC 7240): with the current ETag in If-None-Match, the answer waits.
PreferHeader = Annotated[
    str | None,
    Header(
        description=f"`wait=N`: together with `If-None-Match` naming the current ETag, the "
        f"answer is held until the state changes (200) or N seconds pass (304), at most "
        f"{MAX_WAIT}; the answer then carries `Preference-Applied: wait=N`. Without it, or "
        f"without a matching ETag, the answer comes at once.",
        examples=["wait=25"],
    ),
]


def unknown_location(slug: str) -> JSONResponse:
    """404 for a Kundenzentrum without a queue."""
    return zms_error(404, "locationNotFound", f"no Kundenzentrum with a queue called {slug!r}")


def local(moment: datetime | None) -> str | None:
    """ISO local time with offset, as ZMS sends it."""
    return moment.astimezone(CITY_TZ).isoformat(timespec="seconds") if moment else None


def location_json(office: Office, queue: OfficeQueue, services: list[CitizenService]) -> Any:
    """A Kundenzentrum with its address, hours and the state of its queue."""
    last = queue.calls[0] if queue.calls else None
    return {
        "id": office.slug,
        "officeId": office.id,
        "name": office.name,
        "address": {
            "street": office.street,
            "postalCode": office.postal_code,
            "city": "Köln",
            "sample": office.is_sample,
        },
        "geo": {"lat": office.lat, "lon": office.lon},
        "openingHours": json.loads(office.opening_hours),
        "walkInHours": json.loads(office.walk_in_hours),
        "services": [
            {"id": s.id, "name": s.name, "letter": display_prefix(s.id, queue.letters)}
            for s in services
        ],
        "isOpen": queue.is_open(),
        "countersStaffed": len(queue.counters),
        "numbersGiven": len(queue.tickets),
        "waitingCount": queue.queued_count(),
        "lastCalled": last.display_number if last else None,
        "waitingTimeEstimate": queue.current_wait(),
    }


def ticket_json(queue: OfficeQueue, ticket: QueueTicket) -> dict[str, Any]:
    """A queue entry as ZMS names its fields."""
    ahead = queue.ahead_of(ticket)
    expected, optimistic = queue.estimate(ahead) if ticket.status == "queued" else (0, 0)
    return {
        "number": ticket.number,
        "displayNumber": ticket.display_number,
        "serviceId": ticket.service_id,
        "status": ticket.status,
        "arrivalTime": local(ticket.arrival),
        "callTime": local(ticket.call_time),
        "counter": ticket.counter,
        "numbersAhead": ahead,
        "waitingTimeEstimate": expected,
        "waitingTimeOptimistic": optimistic,
        "location": queue.plan.slug,
        "asOf": local(queue.now.replace(second=0, microsecond=0)),  # stable within a minute
    }


def queue_services(session: SessionDep) -> list[CitizenService]:
    """The services a walk-in can take a number for."""
    return list(
        session.exec(
            select(CitizenService)
            .where(col(CitizenService.id).in_(seed_data.WALK_IN_SERVICES))
            .order_by(col(CitizenService.id))
        ).all()
    )


FIRST_LOCATION = {"slug": "$response.body#/locations/0/id"}


@router.get(
    "/locations",
    operation_id="listLocations",
    response_model=None,
    responses={
        **answer(
            Locations,
            "The Kundenzentren.",
            links={
                "DrawTicket": {
                    "operationId": "drawTicket",
                    "parameters": FIRST_LOCATION,
                    "requestBody": {"serviceId": "$response.body#/locations/0/services/0/id"},
                },
                "CallDisplay": {"operationId": "callDisplay", "parameters": FIRST_LOCATION},
            },
        ),
        **NOT_MODIFIED,
    },
)
def list_locations(request: Request, session: SessionDep, world: WorldDep, now: NowDep) -> Response:
    """All Kundenzentren with a queue (conditional: ETag / 304)."""
    offices = {o.slug: o for o in session.exec(select(Office)).all()}
    services = queue_services(session)
    with world.at(now) as queues:
        body = [
            location_json(offices[slug], queues[slug], services)
            for slug in world.slugs
            if slug in offices
        ]
    return conditional_json(request, {"locations": body})


@router.post(
    "/locations/{slug}/tickets",
    operation_id="drawTicket",
    status_code=201,
    response_model=None,
    responses={
        **answer(
            DrawnTicket,
            "The ticket, its token and its deep link.",
            201,
            links={
                "FollowTicket": {
                    "operationId": "ticketStatus",
                    "parameters": {"slug": "$request.path.slug", "token": "$response.body#/token"},
                },
                "CallDisplay": {
                    "operationId": "callDisplay",
                    "parameters": {"slug": "$request.path.slug"},
                },
            },
        ),
        **UNREADABLE_BODY,
        **zms(
            {
                404: NO_LOCATION + " `serviceNotFound`: no walk-in queue for this service.",
                409: "`locationClosed`: the Kundenzentrum is closed for walk-ins right now.",
            }
        ),
    },
)
def draw_ticket(
    slug: Slug,
    body: DrawTicket,
    request: Request,
    session: SessionDep,
    world: WorldDep,
    now: NowDep,
) -> Any:
    """Take a number: the ticket, its token and the deep link its QR code carries."""
    if slug not in world.slugs:
        return unknown_location(slug)
    if body.serviceId not in {s.id for s in queue_services(session)}:
        return zms_error(404, "serviceNotFound", "this service has no walk-in queue")
    with world.at(now) as queues:
        queue = queues[slug]
        if not queue.is_open():
            return zms_error(409, "locationClosed", "the Kundenzentrum is closed right now")
        ticket = queue.draw(body.serviceId)
        return drawn_json(request, world, queue, ticket)


def drawn_json(
    request: Request, world: QueueWorld, queue: OfficeQueue, ticket: QueueTicket
) -> dict[str, Any]:
    """A ticket as handed out: its status, its token and the deep link its QR code carries."""
    slug = queue.plan.slug
    token = world.signer.sign(slug, queue.day, ticket.number)
    app_url: str = request.app.state.app_url
    return {
        **ticket_json(queue, ticket),
        "token": token,
        "link": f"{app_url.rstrip('/')}/waiting/ticket/{slug}/{token}",
    }


@router.post(
    "/locations/{slug}/check-in",
    operation_id="checkIn",
    status_code=201,
    response_model=None,
    responses={
        **answer(
            DrawnTicket,
            "The ticket of the appointment (display number T…), called before the walk-ins.",
            201,
            links={
                "FollowTicket": {
                    "operationId": "ticketStatus",
                    "parameters": {"slug": "$request.path.slug", "token": "$response.body#/token"},
                }
            },
        ),
        **answer(DrawnTicket, "Checked in before: the same ticket again."),
        **UNREADABLE_BODY,
        **zms(
            {
                404: NO_LOCATION + " `appointmentNotFound`: no appointment with this processId "
                "and authKey; without an authKey, none of today at this Kundenzentrum.",
                409: "`wrongOffice`, `notToday`: the appointment is elsewhere or on another "
                "day; `tooEarly`, `tooLate`: check-in is open from 60 minutes before its time "
                "until 30 minutes after; `invalidProcessStatus`: it is not confirmed.",
            }
        ),
    },
)
def check_in(
    slug: Slug,
    body: CheckIn,
    request: Request,
    session: SessionDep,
    world: WorldDep,
    now: NowDep,
) -> Any:
    """Check in for a confirmed appointment of today at the kiosk: a ticket in the same queue as
    the walk-ins, called before them. Checking in again answers the same ticket. The answer
    holds nothing about the person."""
    office = request.app.state.catalogue.by_slug.get(slug)
    if slug not in world.slugs or office is None:
        return unknown_location(slug)
    try:
        row = for_check_in(session, body.processId, body.authKey, office.id, now)
    except ProcessError as error:
        return zms_error(error.status, error.code, error.message)
    with world.at(now) as queues:  # one check-in at a time, so one ticket per appointment
        queue = queues[slug]
        session.refresh(row)
        ticket = None
        if row.status == QUEUED and row.queue_day == queue.day and row.ticket_number:
            ticket = queue.find(row.ticket_number)
        if ticket is not None:
            return JSONResponse(drawn_json(request, world, queue, ticket), status_code=200)
        ticket = queue.check_in(row.service_id, seed_data.APPOINTMENT_LETTER)
        mark_queued(session, row, ticket.display_number, queue.day, ticket.number)
        return drawn_json(request, world, queue, ticket)


@router.get(
    "/locations/{slug}/tickets/{token}",
    operation_id="ticketStatus",
    response_model=None,
    responses={
        **answer(Ticket, "Where the ticket stands."),
        **NOT_MODIFIED,
        **zms(
            {
                404: NO_LOCATION + " `ticketNotFound`: the token is not genuine or names no "
                "ticket of today; `ticketOtherLocation`: it belongs to another Kundenzentrum.",
                410: "`ticketExpired`: the ticket was for an earlier day.",
            }
        ),
    },
)
async def ticket_status(
    slug: Slug, token: Token, request: Request, world: WorldDep, prefer: PreferHeader = None
) -> Response:
    """Where a ticket stands (conditional: ETag / 304); the token is checked first. With
    `Prefer: wait=N` and the current ETag, the answer waits for the ticket's next change."""
    if slug not in world.slugs:
        return unknown_location(slug)
    claim = world.signer.check(token, world.slugs)
    if claim is None:
        return zms_error(404, "ticketNotFound", "this is not a ticket of the City of Cologne")
    if claim.office != slug:
        return zms_error(404, "ticketOtherLocation", f"this ticket belongs to {claim.office}")

    def current(now: datetime) -> Response:
        with world.at(now) as queues:
            queue = queues[slug]
            if claim.day < queue.day:
                return zms_error(410, "ticketExpired", "this ticket was for an earlier day")
            ticket = queue.find(claim.number) if claim.day == queue.day else None
            if ticket is None:
                return zms_error(404, "ticketNotFound", "no such ticket today")
            return conditional_json(request, ticket_json(queue, ticket))

    return await held(request, slug, str(claim.number), prefer, current)


def what_clients_see(queue: OfficeQueue, what: str) -> object:
    """A ticket's answer (by its number) or the call display, as a held request compares it."""
    if what == CALLS:
        return calls_json(queue)
    ticket = queue.find(int(what))
    return (queue.day, ticket_json(queue, ticket) if ticket else None)


async def held(
    request: Request,
    slug: str,
    what: str,
    prefer: str | None,
    current: Callable[[datetime], Response],
) -> Response:
    """`current(now)`, held while it is a 304 and the client asked to wait (long polling) for
    `what` of `slug` to change."""
    notifier: ChangeNotifier = request.app.state.waiting
    clock: Clock = request.app.state.clock
    wait = requested_wait(prefer, notifier.max_wait)
    if not wait:
        notifier.stats.plain += 1
        return current(clock.now())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    applied = {"Preference-Applied": f"wait={int(wait)}"}
    while True:
        change = notifier.next_change(slug, what)
        response = current(clock.now())
        remaining = deadline - loop.time()
        unchanged = response.status_code == NOT_MODIFIED_STATUS
        if not unchanged or remaining <= 0 or notifier.closing:
            response.headers.update(applied)
            return response
        if await notifier.wait(change, remaining):
            notifier.stats.woken += 1
        else:
            notifier.stats.timed_out += 1


@router.get(
    "/locations/{slug}/calls",
    operation_id="callDisplay",
    response_model=None,
    responses={
        **answer(CallDisplay, "The call display."),
        **NOT_MODIFIED,
        **zms({404: NO_LOCATION}),
    },
)
async def call_display(
    slug: Slug, request: Request, world: WorldDep, prefer: PreferHeader = None
) -> Response:
    """The hall's call display: the last ten numbers called, with their counter. With
    `Prefer: wait=N` and the current ETag, the answer waits for the next call."""
    if slug not in world.slugs:
        return unknown_location(slug)

    def current(now: datetime) -> Response:
        return conditional_json(request, world.look(now, lambda queues: calls_json(queues[slug])))

    return await held(request, slug, CALLS, prefer, current)


def calls_json(queue: OfficeQueue) -> dict[str, Any]:
    """The call display of one queue."""
    return {
        "location": queue.plan.slug,
        "isOpen": queue.is_open(),
        "waitingCount": queue.queued_count(),
        "waitingTimeEstimate": queue.current_wait(),
        "calls": [
            {"displayNumber": c.display_number, "counter": c.counter, "callTime": local(c.at)}
            for c in queue.calls
        ],
    }
