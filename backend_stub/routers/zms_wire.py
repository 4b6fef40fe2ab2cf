"""The ZMS citizen API's bodies, for requests and for the OpenAPI (docs/zms-contract.md).

Request bodies are strict, as in the queue API: a number is a number, unknown fields are
refused. ZMS refuses a request with 400 and an errorCode naming the field (`invalidOfficeId`,
`invalidEmail`, ...) rather than FastAPI's 422. Answers are built from these models, field by
field as ZMS names them, with the keys of the city's recorded answers plus the stub's
extensions (opening hours, fees, documents, `reservedUntil`).
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backend_stub.appointments.catalogue import SERVICE_COUNT_MAX
from backend_stub.appointments.processes import MAX_PROCESS_ID
from backend_stub.errors import Responses, zms
from backend_stub.routers.queue_wire import AS_WHOLE, StrictBody, WholeNumber

MAX_OFFICE_ID = 999_999_999
MAX_TIMESTAMP = 253_402_300_799  # 9999-12-31T23:59:59Z
NAME_MAX = 100
EMAIL_MAX = 254
TELEPHONE_MAX = 30
TEXT_MAX = 500
# One @, something before it, a dot after it, no spaces: what a mail can be sent to.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
TELEPHONE_PATTERN = r"^[0-9 +\-/()]*$"
ID_LIST_PATTERN = r"^[0-9]{1,9}(,[0-9]{1,9}){0,49}$"
COUNT_LIST_PATTERN = r"^[0-9]{1,2}(,[0-9]{1,2}){0,49}$"

ProcessStatus = Literal["reserved", "preconfirmed", "confirmed", "queued", "deleted"]
MailKind = Literal["preconfirm", "confirm", "cancel"]

ProcessIdNumber = Annotated[int, Field(ge=1, le=MAX_PROCESS_ID, examples=[100001]), AS_WHOLE]
AuthKey = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="The key of the booking, from the reservation (4 or 5 characters).",
        examples=["a1b2c"],
    ),
]
OfficeIdNumber = Annotated[int, Field(ge=1, le=MAX_OFFICE_ID, examples=[10001]), AS_WHOLE]
ServiceIdNumber = Annotated[int, Field(ge=1, le=MAX_OFFICE_ID, examples=[1001]), AS_WHOLE]
ServiceCountNumber = Annotated[int, Field(ge=1, le=SERVICE_COUNT_MAX, examples=[1]), AS_WHOLE]

# --- requests -------------------------------------------------------------------------------


class ReserveAppointment(StrictBody):
    """Which start time to reserve, for which services at which office."""

    # A time the sample data leaves free: Tuesday 2026-10-06, 07:45 at Kundenzentrum Innenstadt
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "officeId": 10001,
                    "serviceId": [1001],
                    "serviceCount": [1],
                    "timestamp": 1791265500,
                }
            ]
        }
    )

    officeId: OfficeIdNumber
    serviceId: list[ServiceIdNumber] = Field(
        min_length=1, max_length=10, description="The services; the first is the main one."
    )
    serviceCount: list[ServiceCountNumber] | None = Field(
        default=None,
        min_length=1,
        max_length=10,
        description="How often each service (in the order of serviceId); all 1 if left out.",
    )
    timestamp: WholeNumber = Field(
        ge=0, le=MAX_TIMESTAMP, description="The start time from `available-calendar` (unix s)."
    )


class ProcessKey(StrictBody):
    """Which booking: its processId and authKey."""

    processId: ProcessIdNumber
    authKey: AuthKey


class UpdateAppointment(ProcessKey):
    """The person's data for a reservation."""

    familyName: str = Field(
        min_length=1, max_length=NAME_MAX, pattern=r"\S", examples=["Mustermann"]
    )
    email: str = Field(
        max_length=EMAIL_MAX, pattern=EMAIL_PATTERN, examples=["erika.mustermann@example.org"]
    )
    telephone: str | None = Field(
        default=None,
        max_length=TELEPHONE_MAX,
        pattern=TELEPHONE_PATTERN,
        description="Digits, spaces, +, -, / and parentheses.",
        examples=["+49 221 123456"],
    )
    customTextfield: str | None = Field(default=None, max_length=TEXT_MAX)
    customTextfield2: str | None = Field(default=None, max_length=TEXT_MAX)


# --- answers --------------------------------------------------------------------------------


class Answer(BaseModel):
    """An answer: exactly the fields named here."""

    model_config = ConfigDict(extra="forbid")


class ZmsAddress(Answer):
    """An office's address (sample data)."""

    street: str
    house_number: str
    postal_code: str
    city: str
    sample: bool


class ZmsGeo(Answer):
    """Coordinates as strings, as upstream sends them."""

    lat: str
    lon: str


class ProviderContact(Answer):
    """The provider's postal contact."""

    city: str
    country: str
    name: str
    postalCode: str
    region: str
    street: str
    streetNumber: str


class Provider(Answer):
    """Who provides the services of a scope (the office itself)."""

    id: int
    name: str
    displayName: str
    lat: float
    lon: float
    source: str
    contact: ProviderContact


class ZmsScope(Answer):
    """The office's booking scope: what a booking there needs and how long it is held."""

    id: int
    provider: Provider
    shortName: str
    emailFrom: str
    emailRequired: bool
    telephoneActivated: bool
    telephoneRequired: bool
    customTextfieldActivated: bool
    customTextfieldRequired: bool
    customTextfieldLabel: str
    customTextfield2Activated: bool
    customTextfield2Required: bool
    customTextfield2Label: str
    captchaActivatedRequired: bool
    infoForAppointment: str | None
    infoForAllAppointments: str | None
    slotsPerAppointment: str | None
    appointmentsPerMail: str | None
    whitelistedMails: str | None
    reservationDuration: int = Field(description="minutes a reservation is held")
    activationDuration: int = Field(description="minutes a preconfirmed booking waits")
    hint: str | None


class ZmsOffice(Answer):
    """An office."""

    id: int
    name: str
    address: ZmsAddress
    showAlternativeLocations: bool
    displayNameAlternatives: list[str]
    organization: str | None
    organizationUnit: str | None
    slotTimeInMinutes: int
    geo: ZmsGeo
    disabledByServices: list[int]
    priority: int
    scope: ZmsScope
    slotsPerAppointment: str | None
    parentId: int | None
    allowDisabledServicesMix: list[int] | None
    sharedBookingOfficeIds: list[int] | None
    openingHours: dict[str, str] = Field(
        description="stub extension: appointment hours by weekday (mon..sun), Cologne time",
        examples=[{"mon": "07:30-18:00"}],
    )


class Fee(Answer):
    """What a service costs."""

    amount: str = Field(examples=["37.00"])
    currency: Literal["EUR"]


class ZmsService(Answer):
    """A service that can be booked."""

    id: int
    name: str
    maxQuantity: int
    combinable: list[int]
    parentId: int | None
    variantId: int | None
    rootParentId: int
    showOnStartPage: bool
    fee: Fee | None = Field(description="stub extension; null when it depends on the case")
    documents: list[str] = Field(description="stub extension: what to bring")
    description: str = Field(description="stub extension")


class ZmsRelation(Answer):
    """An office offers a service, taking this many slots."""

    officeId: int
    serviceId: int
    slots: int
    public: bool
    maxQuantity: int | None


class OfficesAndServices(Answer):
    """What `offices-and-services` answers."""

    offices: list[ZmsOffice]
    services: list[ZmsService]
    relations: list[ZmsRelation]


class CalendarOffice(Answer):
    """The free start times of one office on one day."""

    officeId: str = Field(description="a string, as upstream sends it")
    appointments: list[int] = Field(description="start times, unix seconds")


class AvailableDay(Answer):
    """A day with at least one free start time."""

    date: dt.date
    providerIDs: str = Field(description="the offices with free times, comma-separated")
    offices: list[CalendarOffice]


class AvailableCalendar(Answer):
    """What `available-calendar` answers."""

    startDate: date
    endDate: date
    slotsStartDate: date
    slotsEndDate: date
    prevBookableDate: date | None
    nextBookableDate: date | None
    availableDays: list[AvailableDay]


class SubRequestCount(Answer):
    """A further service booked in the same appointment."""

    id: int
    name: str
    count: int


class ZmsProcess(Answer):
    """A booking as ZMS shows it."""

    processId: int
    timestamp: str = Field(description="start time, unix seconds as a string (as upstream)")
    authKey: str
    familyName: str
    customTextfield: str
    customTextfield2: str
    email: str
    telephone: str
    officeName: str
    officeId: int
    status: ProcessStatus
    scope: ZmsScope
    subRequestCounts: list[SubRequestCount]
    serviceId: int
    serviceName: str
    serviceCount: int
    slotCount: int
    displayNumber: str | None
    reservedUntil: int | None = Field(
        description="stub extension: when a pending reservation expires (unix s)"
    )


class Mail(Answer):
    """A mail the stub would have sent."""

    kind: MailKind
    sentAt: int
    subject: str
    link: str | None = Field(description="the activation link (preconfirm mails only)")


class Mailbox(Answer):
    """The stub's test mailbox of one booking."""

    mails: list[Mail]


# --- documented answers ---------------------------------------------------------------------

RATE_HEADERS: dict[str, Any] = {
    "X-RateLimit-Limit": {
        "description": "requests allowed per client and minute",
        "required": True,
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Remaining": {
        "description": "requests left in this minute",
        "required": True,
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Reset": {
        "description": "when this minute ends (unix seconds)",
        "required": True,
        "schema": {"type": "integer"},
    },
}
RETRY_AFTER: dict[str, Any] = {
    "Retry-After": {
        "description": "seconds until requests are taken again",
        "required": True,
        "schema": {"type": "integer"},
    }
}
TOO_MANY = "`rateLimitExceeded`: more requests this minute than the limit allows."
NOT_FOUND = "`appointmentNotFound`: no booking with this processId and authKey (either wrong)."
EXPIRED = "`reservationExpired`: the reservation was not confirmed in time and is gone."
WRONG_STATUS = "`invalidProcessStatus`: the booking is not in a status this step starts from."


def rate_limited(responses: Responses, errors: dict[int, str]) -> Responses:
    """`responses` and `errors` (ZMS's error shape) plus 429, each with the rate-limit headers."""
    documented = {**responses, **zms({**errors, 429: TOO_MANY})}
    for status, entry in documented.items():
        entry["headers"] = {**RATE_HEADERS, **(RETRY_AFTER if status == 429 else {})}
    return documented
