"""Client for the ZMS citizen API (`/terminvereinbarung/api/citizen`).

The answers are the bare objects the real controllers send (the published Swagger wraps them
in `{meta, data}`, which they are not). What only our stub adds (fees, documents, opening
hours, the test mailbox) is optional: against a real ZMS it is simply missing.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.checked import EntryProblem, check, check_list, text_field
from services.errors import BadData, NotFound, RateLimited
from services.freshness import Freshness, untimed
from services.zms_errors import ZmsStyleClient

# errorCodes of ZMS that mean "no free time in this range", not a failure
NOTHING_FREE = frozenset({"noAppointmentForThisScope", "noAppointmentForThisDay"})
SLOT_GONE = "appointmentNotAvailable"
EXPIRED = "reservationExpired"
NOT_FOUND = "appointmentNotFound"
# how many requests of the per-minute budget the background watch leaves for people booking
KEEP_FOR_PEOPLE = 20


def epoch(value: object) -> datetime:
    """Unix seconds, as a number or (as upstream sends a process's time) a string of digits."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("a time must be unix seconds")
    if isinstance(value, str) and not value.isdigit():
        raise ValueError("a time must be unix seconds")
    return datetime.fromtimestamp(int(value), UTC)


class Geo(BaseModel):
    """Coordinates; ZMS sends them as strings."""

    lat: float
    lon: float


class Address(BaseModel):
    """An office's address, as far as it is given."""

    model_config = ConfigDict(extra="ignore")

    street: str = ""
    house_number: str = ""
    postal_code: str = ""
    city: str = ""

    def line(self) -> str:
        """ "Laurenzplatz 4, 50667 Köln"."""
        street = " ".join(part for part in (self.street, self.house_number) if part)
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (street, town) if part)


class Office(BaseModel):
    """A place where appointments can be booked."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: int
    name: str
    address: Address | None = None
    geo: Geo | None = None
    slot_minutes: int | None = Field(default=None, alias="slotTimeInMinutes")

    @field_validator("address", mode="before")
    @classmethod
    def _no_odd_address(cls, value: object) -> object:
        return value if isinstance(value, dict) else None


class Fee(BaseModel):
    """What a service costs (our stub's extension)."""

    amount: str
    currency: str = "EUR"


class Service(BaseModel):
    """Something a citizen can book (an ID card, a registration)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: int
    name: str
    max_quantity: int = Field(default=1, alias="maxQuantity")
    fee: Fee | None = None
    documents: list[str] = Field(default_factory=list)
    description: str = ""


class Relation(BaseModel):
    """Which office offers which service, and how many slots it takes."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    office_id: int = Field(alias="officeId")
    service_id: int = Field(alias="serviceId")
    slots: int = 1


class OfficesAndServices(BaseModel):
    """The answer of `offices-and-services/`; entries that could not be read are `problems`."""

    model_config = ConfigDict(extra="ignore")

    offices: list[Office]
    services: list[Service]
    relations: list[Relation]
    problems: list[EntryProblem] = Field(default_factory=list)

    def freshness(self, now: datetime) -> Freshness:
        """A catalogue has no time of its own: only what could not be read counts."""
        return untimed(len(self.offices) + len(self.services), unreadable=len(self.problems))

    def office(self, office_id: int) -> Office | None:
        """The office with that id."""
        return next((office for office in self.offices if office.id == office_id), None)

    def service(self, service_id: int) -> Service | None:
        """The service with that id."""
        return next((service for service in self.services if service.id == service_id), None)

    def offices_for(self, service_id: int) -> list[Office]:
        """The offices that offer a service, in catalogue order."""
        ids = {r.office_id for r in self.relations if r.service_id == service_id}
        return [office for office in self.offices if office.id in ids]

    def minutes(self, office_id: int, service_id: int) -> int:
        """How long the service takes at that office (its slots times the slot length)."""
        office = self.office(office_id)
        return self.slots(office_id, service_id) * ((office.slot_minutes if office else None) or 15)

    def slots(self, office_id: int, service_id: int) -> int:
        """How many slots the service takes at that office (1 if not said)."""
        return next(
            (
                r.slots
                for r in self.relations
                if r.office_id == office_id and r.service_id == service_id
            ),
            1,
        )


class CalendarOffice(BaseModel):
    """The free start times of one office on one day."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    office_id: int = Field(alias="officeId")  # upstream sends it as a string
    appointments: list[datetime]

    @field_validator("appointments", mode="before")
    @classmethod
    def _times(cls, value: object) -> object:
        if not isinstance(value, list):
            raise ValueError("appointments must be a list")
        return [epoch(item) for item in value]


class CalendarDay(BaseModel):
    """A day with free times."""

    model_config = ConfigDict(extra="ignore")

    date: date
    offices: list[CalendarOffice] = Field(default_factory=list)


class Calendar(BaseModel):
    """The answer of `available-calendar/`: the days with free times, per office."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    available_days: list[CalendarDay] = Field(default_factory=list, alias="availableDays")

    def times(self, office_id: int) -> list[datetime]:
        """Every free start time of the office, earliest first."""
        found = [
            moment
            for day in self.available_days
            for office in day.offices
            if office.office_id == office_id
            for moment in office.appointments
        ]
        return sorted(set(found))

    def days(self, office_id: int) -> list[date]:
        """The days on which the office has a free time."""
        return sorted(
            {
                day.date
                for day in self.available_days
                for office in day.offices
                if office.office_id == office_id and office.appointments
            }
        )

    def first(self, office_id: int) -> datetime | None:
        """The earliest free time of the office."""
        times = self.times(office_id)
        return times[0] if times else None


class Process(BaseModel):
    """A reserved, confirmed or cancelled appointment, as ZMS tells it."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    process_id: int = Field(alias="processId")
    auth_key: str = Field(alias="authKey", min_length=1, max_length=64)
    timestamp: datetime
    status: str
    office_id: int = Field(alias="officeId")
    office_name: str | None = Field(default=None, alias="officeName")
    service_id: int | None = Field(default=None, alias="serviceId")
    service_name: str | None = Field(default=None, alias="serviceName")
    service_count: int = Field(default=1, alias="serviceCount")
    slot_count: int | None = Field(default=None, alias="slotCount")
    display_number: str | None = Field(default=None, alias="displayNumber")
    family_name: str | None = Field(default=None, alias="familyName")
    email: str | None = None
    telephone: str | None = None
    reserved_until: datetime | None = Field(default=None, alias="reservedUntil")

    @field_validator("timestamp", mode="before")
    @classmethod
    def _when(cls, value: object) -> object:
        return epoch(value)

    @field_validator("reserved_until", mode="before")
    @classmethod
    def _until(cls, value: object) -> object:
        return None if value is None else epoch(value)


class Mail(BaseModel):
    """A message the stub would have sent by email (its test mailbox)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    kind: str
    subject: str = ""
    link: str | None = None


class ZmsClient(ZmsStyleClient):
    """The citizen API of ZMS at its base path, within its rate limit."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(base_url, transport=transport)
        self._blocked_until = 0.0  # monotonic time until which the server asked us to wait
        self.remaining: int | None = None  # requests left in the server's current minute

    async def _send(
        self, method: str, path: str, *, pool: httpx.AsyncClient | None = None, **options: Any
    ) -> httpx.Response:
        wait = self._blocked_until - time.monotonic()
        if wait > 0:  # asking again now would only be refused and cost the next minute
            raise RateLimited("the appointment service asked us to wait", retry_after=wait)
        response = await super()._send(method, path, pool=pool, **options)
        remaining = response.headers.get("X-RateLimit-Remaining", "")
        self.remaining = int(remaining) if remaining.isdigit() else None
        if response.status_code == 429:
            retry = response.headers.get("Retry-After", "")
            seconds = float(retry) if retry.isdigit() else 60.0
            self._blocked_until = time.monotonic() + seconds
        return response

    def has_budget_for_background(self) -> bool:
        """Whether a background check may ask now and still leave room for people booking."""
        if self._blocked_until > time.monotonic():
            return False
        return self.remaining is None or self.remaining > KEEP_FOR_PEOPLE

    async def offices_and_services(self) -> OfficesAndServices:
        """All offices, services and which office offers what."""
        body = await self.get_json("/offices-and-services/")
        if not isinstance(body, dict):
            raise BadData("offices-and-services: not an object")
        named = text_field("name")
        offices = check_list(Office, body.get("offices"), "offices", name_of=named)
        services = check_list(Service, body.get("services"), "services", name_of=named)
        relations = check_list(Relation, body.get("relations"), "relations")
        return OfficesAndServices(
            offices=offices.entries,
            services=services.entries,
            relations=relations.entries,
            problems=offices.problems + services.problems + relations.problems,
        )

    async def available_calendar(
        self, office_ids: list[int], service_id: int, count: int, start: date, end: date
    ) -> Calendar:
        """The free start times for `count` times the service at these offices, by day."""
        params = {
            "startDate": start.isoformat(),
            "endDate": end.isoformat(),
            "officeIds": ",".join(str(office) for office in office_ids),
            "serviceIds": str(service_id),
            "serviceCounts": str(count),
        }
        try:
            body = await self.get_json("/available-calendar/", params)
        except NotFound as error:
            if error.code in NOTHING_FREE:
                return Calendar()
            raise
        return check(Calendar, body, "available-calendar")

    async def reserve(self, office_id: int, service_id: int, count: int, at: datetime) -> Process:
        """Hold a start time for a few minutes (status "reserved")."""
        body = {
            "officeId": office_id,
            "serviceId": [service_id],
            "serviceCount": [count],
            "timestamp": int(at.timestamp()),
        }
        return await self._process("POST", "/reserve-appointment/", body)

    async def update(
        self, process_id: int, auth_key: str, *, family_name: str, email: str, telephone: str
    ) -> Process:
        """Add the person's contact details to a reservation."""
        body = {
            "processId": process_id,
            "authKey": auth_key,
            "familyName": family_name,
            "email": email,
            "telephone": telephone,
        }
        return await self._process("POST", "/update-appointment/", body)

    async def preconfirm(self, process_id: int, auth_key: str) -> Process:
        """Ask ZMS to send the activation email (status "preconfirmed")."""
        return await self._keyed("/preconfirm-appointment/", process_id, auth_key)

    async def confirm(self, process_id: int, auth_key: str) -> Process:
        """Confirm the appointment (what the activation link does; status "confirmed")."""
        return await self._keyed("/confirm-appointment/", process_id, auth_key)

    async def cancel(self, process_id: int, auth_key: str) -> Process:
        """Cancel it (status "deleted"); cancelling twice answers the same."""
        return await self._keyed("/cancel-appointment/", process_id, auth_key)

    async def appointment(self, process_id: int, auth_key: str) -> Process:
        """The appointment as it stands now."""
        params = {"processId": str(process_id), "authKey": auth_key}
        return check(Process, await self.get_json("/appointment/", params), "appointment")

    async def mailbox(self, process_id: int, auth_key: str) -> list[Mail]:
        """The stub's test mailbox for this appointment (a real ZMS sends real email)."""
        params = {"processId": str(process_id), "authKey": auth_key}
        url = self.base_url.rsplit("/api/citizen", 1)[0] + "/mailbox/"
        body = await self.request_json("GET", url, params=params)
        mails = body.get("mails") if isinstance(body, dict) else None
        return check_list(Mail, mails, "mailbox").entries

    async def _keyed(self, path: str, process_id: int, auth_key: str) -> Process:
        return await self._process("POST", path, {"processId": process_id, "authKey": auth_key})

    async def _process(self, method: str, path: str, body: dict[str, Any]) -> Process:
        answer = await self.request_json(method, path, json_body=body)
        return check(Process, answer, path.strip("/"))
