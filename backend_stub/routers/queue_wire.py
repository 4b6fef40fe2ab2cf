"""The walk-in queue API's bodies (modelled on ZMS), for requests and for the OpenAPI.

Request bodies are strict: a number is a number (never `true` or `"3"`), and fields the API
does not know are refused. Answers are documented with these models; the routes build the
JSON themselves, so a documented model never filters or renames what is sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from backend_stub.appointments.processes import MAX_PROCESS_ID
from backend_stub.queues.world import MAX_ADVANCE_MINUTES, MAX_SPEED

TicketState = Literal["queued", "called", "processing", "finished", "missed"]


def _whole(value: object) -> object:
    """JSON does not tell 3 from 3.0, nor does JSON Schema's `integer`: a whole float counts."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Reads a whole float as an int; put it after a Field with bounds, so the schema shows them.
AS_WHOLE = BeforeValidator(_whole)
# A whole number: 3 or 3.0, never true, "3" or 3.5
WholeNumber = Annotated[int, AS_WHOLE]


class StrictBody(BaseModel):
    """A request body: no coercion, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


# --- requests -------------------------------------------------------------------------------


class DrawTicket(StrictBody):
    """What the kiosk sends to draw a number."""

    serviceId: WholeNumber = Field(examples=[1001])


class CheckIn(StrictBody):
    """Which appointment checks in: from the code on the phone (with its authKey) or a
    processId typed at the kiosk (authKey null)."""

    processId: WholeNumber = Field(ge=1, le=MAX_PROCESS_ID, examples=[100001])
    authKey: str | None = Field(default=None, min_length=1, max_length=64, examples=["a1b2c"])


class CallNext(StrictBody):
    """Which counter calls."""

    counter: WholeNumber = Field(ge=1, examples=[1])


class OpenState(StrictBody):
    """Open or close the Kundenzentrum; null hands it back to the opening hours."""

    open: bool | None


class Speed(StrictBody):
    """Simulated seconds per second (0 pauses the simulation); a number, never a bool."""

    speed: float = Field(ge=0, le=MAX_SPEED, allow_inf_nan=False)


class Advance(StrictBody):
    """How many simulated minutes to move ahead (more than 0, at most a day)."""

    minutes: float = Field(gt=0, le=MAX_ADVANCE_MINUTES, allow_inf_nan=False)


# --- answers --------------------------------------------------------------------------------


class Address(BaseModel):
    """A street address (sample data)."""

    street: str
    postalCode: str
    city: str
    sample: bool


class Geo(BaseModel):
    """WGS84 coordinates."""

    lat: float
    lon: float


class QueueService(BaseModel):
    """A service one can take a number for, with the letter printed before the number."""

    id: int
    name: str
    letter: str


class Location(BaseModel):
    """A Kundenzentrum with its hours and the state of its queue."""

    id: str
    officeId: int
    name: str
    address: Address
    geo: Geo
    openingHours: dict[str, str]
    walkInHours: dict[str, str]
    services: list[QueueService]
    isOpen: bool
    countersStaffed: int
    numbersGiven: int
    waitingCount: int
    lastCalled: str | None
    waitingTimeEstimate: int = Field(description="minutes")


class Locations(BaseModel):
    """All Kundenzentren with a queue."""

    locations: list[Location]


class Ticket(BaseModel):
    """A queue entry as ZMS names its fields (times are local, with offset)."""

    number: int
    displayNumber: str
    serviceId: WholeNumber = Field(examples=[1001])
    status: TicketState
    arrivalTime: datetime
    callTime: datetime | None
    counter: int | None
    numbersAhead: int
    waitingTimeEstimate: int = Field(description="minutes")
    waitingTimeOptimistic: int = Field(description="minutes")
    location: str
    asOf: datetime


class DrawnTicket(Ticket):
    """A freshly drawn ticket: its token and the deep link its QR code carries."""

    token: str
    link: str


class Call(BaseModel):
    """A line of the call display."""

    displayNumber: str
    counter: int
    callTime: datetime


class CallDisplay(BaseModel):
    """The hall's call display: the last ten numbers called."""

    location: str
    isOpen: bool
    waitingCount: int
    waitingTimeEstimate: int = Field(description="minutes")
    calls: list[Call]


class Called(BaseModel):
    """Whom a counter called (null when nobody was waiting)."""

    called: Ticket | None


class LocationOpen(BaseModel):
    """Whether a Kundenzentrum is open for walk-ins now."""

    location: str
    isOpen: bool


class SimulationState(BaseModel):
    """The queue simulation's speed and its present."""

    speed: float
    simulatedTime: datetime


class WaitingRequests(BaseModel):
    """What the held (long-polling) requests of the queue API did since the stub started."""

    held: int = Field(description="requests waiting right now")
    woken: int = Field(description="held requests answered because their queue changed")
    timed_out: int = Field(description="held requests answered 304 after their time")
    plain: int = Field(description="answers to requests that did not ask to wait")


class AdminStatus(BaseModel):
    """Counts for the operator."""

    offices: int
    barrier_reports: int
