"""Client for the walk-in queues of the Kundenzentren (`/queue/v1`, modelled on ZMS)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, Field

from services.checked import Checked, check, check_list, text_field
from services.errors import BadData
from services.http import Waited
from services.zms_errors import ZmsStyleClient

QUEUED, CALLED, PROCESSING, FINISHED, MISSED = (
    "queued",
    "called",
    "processing",
    "finished",
    "missed",
)
STATUSES = (QUEUED, CALLED, PROCESSING, FINISHED, MISSED)

# errorCodes of the queue API that the app explains in its own words
TICKET_NOT_FOUND = "ticketNotFound"
TICKET_OTHER_LOCATION = "ticketOtherLocation"
TICKET_EXPIRED = "ticketExpired"
LOCATION_CLOSED = "locationClosed"
LOCATION_NOT_FOUND = "locationNotFound"

# A number as printed on a ticket: its service's letter and up to five digits, e.g. A017.
TICKET_NUMBER = re.compile(r"[A-Z][0-9]{1,5}")


class Wire(BaseModel):
    """camelCase on the wire, snake_case in Python; unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Address(Wire):
    """A street address (sample data in the stub)."""

    street: str
    postal_code: str = Field(alias="postalCode")
    city: str = "Köln"
    sample: bool = False


class Geo(Wire):
    """WGS84 coordinates."""

    lat: float
    lon: float


class QueueService(Wire):
    """A service one can take a number for, with the letter printed before the number."""

    id: int
    name: str
    letter: str = "A"


class Location(Wire):
    """A Kundenzentrum with its hours and the state of its queue."""

    id: str
    office_id: int | None = Field(default=None, alias="officeId")
    name: str
    address: Address
    geo: Geo | None = None
    opening_hours: dict[str, str] = Field(default_factory=dict, alias="openingHours")
    walk_in_hours: dict[str, str] = Field(default_factory=dict, alias="walkInHours")
    services: list[QueueService] = Field(default_factory=list)
    is_open: bool = Field(alias="isOpen")
    counters_staffed: int = Field(default=0, alias="countersStaffed")
    waiting_count: int = Field(default=0, alias="waitingCount")
    last_called: str | None = Field(default=None, alias="lastCalled")
    wait_minutes: int | None = Field(default=None, alias="waitingTimeEstimate")


class TicketStatus(Wire):
    """Where a ticket stands (a ZMS queue entry)."""

    number: int
    display_number: str = Field(alias="displayNumber")
    service_id: int | None = Field(default=None, alias="serviceId")
    status: str
    arrival_time: datetime | None = Field(default=None, alias="arrivalTime")
    call_time: datetime | None = Field(default=None, alias="callTime")
    counter: int | None = None
    numbers_ahead: int = Field(default=0, alias="numbersAhead")
    wait_estimate: int = Field(default=0, alias="waitingTimeEstimate")
    wait_optimistic: int = Field(default=0, alias="waitingTimeOptimistic")
    location: str
    as_of: datetime | None = Field(default=None, alias="asOf")


class DrawnTicket(TicketStatus):
    """A freshly drawn ticket: its token and the deep link its QR code carries."""

    token: str
    link: str


class Call(Wire):
    """A line of the call display."""

    display_number: str = Field(alias="displayNumber")
    counter: int
    call_time: datetime | None = Field(default=None, alias="callTime")


class CallDisplay(Wire):
    """The hall's call display."""

    location: str
    is_open: bool = Field(alias="isOpen")
    waiting_count: int = Field(default=0, alias="waitingCount")
    wait_minutes: int = Field(default=0, alias="waitingTimeEstimate")
    calls: list[Call]


class QueueClient(ZmsStyleClient):
    """Draw tickets and follow them; polled routes are fetched conditionally (ETag)."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(base_url, transport=transport)

    async def locations(self) -> Checked[Location]:
        """All Kundenzentren with a queue, checked one by one."""
        body = await self.poll_json("/locations")
        if not isinstance(body, dict):
            raise BadData("locations: not an object")
        return check_list(Location, body.get("locations"), "locations", name_of=text_field("id"))

    async def draw(self, location: str, service_id: int) -> DrawnTicket:
        """Take a number for `service_id` at `location`."""
        body = await self.post_json(
            f"/locations/{quote(location, safe='')}/tickets", {"serviceId": service_id}
        )
        return check(DrawnTicket, body, "drawn ticket")

    async def check_in(self, location: str, process_id: int, auth_key: str | None) -> DrawnTicket:
        """Check in for an appointment: a ticket with appointment priority in the same queue."""
        body = await self.post_json(
            f"/locations/{quote(location, safe='')}/check-in",
            {"processId": process_id, "authKey": auth_key},
        )
        return check(DrawnTicket, body, "check-in ticket")

    async def ticket(self, location: str, token: str) -> TicketStatus:
        """Where the ticket with `token` stands now."""
        path = f"/locations/{quote(location, safe='')}/tickets/{quote(token, safe='')}"
        return check(TicketStatus, await self.poll_json(path), "ticket")

    async def calls(self, location: str) -> CallDisplay:
        """The last numbers called at `location`."""
        path = f"/locations/{quote(location, safe='')}/calls"
        return check(CallDisplay, await self.poll_json(path), "call display")

    async def wait_ticket(self, location: str, token: str, etag: str | None, wait: float) -> Waited:
        """The ticket's status once it differs from `etag` (held up to `wait` s by the server)."""
        path = f"/locations/{quote(location, safe='')}/tickets/{quote(token, safe='')}"
        answer = await self.wait_json(path, etag, wait)
        if answer.body is None:
            return answer
        return replace(answer, body=check(TicketStatus, answer.body, "ticket"))

    async def wait_calls(self, location: str, etag: str | None, wait: float) -> Waited:
        """The call display once it differs from `etag` (held up to `wait` s by the server)."""
        answer = await self.wait_json(f"/locations/{quote(location, safe='')}/calls", etag, wait)
        if answer.body is None:
            return answer
        return replace(answer, body=check(CallDisplay, answer.body, "call display"))
