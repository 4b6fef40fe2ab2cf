"""The stub's tables (SQLModel): offices, services, datasets, queues, bookings.

The sensors are not kept here: backend_stub/sensors/ defines and simulates them. The
participation tables (measures, surveys, ballots, answers) are in backend_stub/participation/.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel


class Office(SQLModel, table=True):
    """A Kundenzentrum (or the Kfz-Zulassungsstelle); address and hours are sample data."""

    id: int = Field(primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    street: str
    postal_code: str
    lat: float
    lon: float
    opening_hours: str  # JSON: {"mon": "07:30-18:00", ...}
    walk_in_hours: str  # JSON: {"mon": "07:30-15:00", "wed": "07:30-12:00"}
    base_wait_minutes: int
    is_open: bool = True
    notice: str = ""
    # The city's feed has carried an entry frozen for years: the stub keeps one, on purpose.
    frozen_at: datetime | None = None
    is_sample: bool = True


class CitizenService(SQLModel, table=True):
    """Something a citizen can book (ZMS "service")."""

    id: int = Field(primary_key=True)
    name: str
    max_quantity: int = 1
    slots: int = 1
    vehicle_only: bool = False


class Dataset(SQLModel, table=True):
    """A CKAN package; lists are kept as JSON."""

    id: str = Field(primary_key=True)
    name: str = Field(unique=True, index=True)
    title: str
    notes: str
    organization: str
    license_id: str
    license_title: str
    tags: str  # JSON list of names
    groups: str  # JSON list of names
    resources: str  # JSON list of resource dicts
    metadata_modified: datetime


class BarrierReport(SQLModel, table=True):
    """A report of an accessibility barrier (BITV 2.0 feedback mechanism); no personal data."""

    id: int | None = Field(default=None, primary_key=True)
    screen: str
    message: str
    created_at: datetime


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a write with a given key, replayed for every retry."""

    key: str = Field(primary_key=True)
    scope: str
    status_code: int
    body: str
    created_at: datetime


class StubSetting(SQLModel, table=True):
    """A value the stub keeps across restarts: its ticket-signing secret, its simulated clock."""

    key: str = Field(primary_key=True)
    value: str


class QueueSnapshot(SQLModel, table=True):
    """A Kundenzentrum's queue as it stood after its last change (JSON), so a restart goes on."""

    slug: str = Field(primary_key=True)
    state: str
    saved_at: datetime


# --- appointments (ZMS) ---------------------------------------------------------------------
# Times of appointments are unix seconds (integers): the same on SQLite and PostgreSQL.


class ServiceDetail(SQLModel, table=True):
    """What a bookable service costs, what to bring, and what it can be booked together with."""

    service_id: int = Field(primary_key=True, foreign_key="citizenservice.id")
    fee_cents: int | None = None  # None: the fee depends on the case
    documents: str = "[]"  # JSON list of what to bring
    description: str = ""
    combinable: str = "[]"  # JSON list of service ids


class ServiceOffer(SQLModel, table=True):
    """A Kundenzentrum offers a service by appointment, taking this many 15-minute slots."""

    office_id: int = Field(primary_key=True, foreign_key="office.id")
    service_id: int = Field(primary_key=True, foreign_key="citizenservice.id")
    slots: int = 1


class AppointmentProcess(SQLModel, table=True):
    """A booking (ZMS "process"): its time, status, and the person's data while it is needed.

    The processId on the wire is `PROCESS_ID_OFFSET + id`. Status is one of reserved,
    preconfirmed, confirmed, queued (checked in at the kiosk), deleted (cancelled), expired.
    """

    id: int | None = Field(default=None, primary_key=True)
    auth_key: str
    office_id: int = Field(foreign_key="office.id", index=True)
    service_id: int = Field(foreign_key="citizenservice.id")
    service_count: int = 1
    sub_requests: str = "[]"  # JSON [[service id, count], ...] of the further services
    slot_count: int = 1
    timestamp: int = Field(index=True)  # start, unix seconds
    day: date = Field(index=True)  # the local day of the start (Cologne)
    status: str = Field(index=True)
    reserved_until: int | None = Field(default=None, index=True)
    family_name: str = ""
    email: str = ""
    telephone: str = ""
    custom_textfield: str = ""
    custom_textfield2: str = ""
    created_at: int
    display_number: str | None = None  # the kiosk ticket's number after check-in
    queue_day: date | None = None
    ticket_number: int | None = None
    anonymised: bool = False


class AppointmentSlot(SQLModel, table=True):
    """An occupied 15-minute slot: one row per slot, so a slot can be taken only once."""

    office_id: int = Field(primary_key=True, foreign_key="office.id")
    slot_start: int = Field(primary_key=True)  # unix seconds
    process_id: int = Field(foreign_key="appointmentprocess.id", index=True)


class AppointmentMail(SQLModel, table=True):
    """A mail the stub would have sent about an appointment (its test mailbox); no addresses."""

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="appointmentprocess.id", index=True)
    kind: str  # preconfirm | confirm | cancel
    sent_at: int
    subject: str
    link: str | None = None
