"""Bookings (ZMS "processes"): reserve, add the person's data, preconfirm, confirm, cancel, expire.

A reservation takes its slots in the same transaction that creates it: each occupied slot is a
row whose key is (office, slot start), so of many requests for one slot exactly one commits and
the others fail on the key (SQLite and PostgreSQL alike); a service of several slots takes all
of them or none. Every change of status is an UPDATE conditioned on the status it starts from,
so a confirmation and an expiry racing each other cannot both win.

A reservation not confirmed in time expires: its slots are freed and the person's data deleted
at once. Unknown process and wrong authKey are told apart by nobody: both are `NOT_FOUND`.
"""

from __future__ import annotations

import hmac
import json
import secrets
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend_stub.appointments.calendar import Horizon, local_day, slots_of
from backend_stub.appointments.catalogue import BadRequest, Catalogue
from backend_stub.appointments.mailbox import send_mail
from backend_stub.models import AppointmentProcess, AppointmentSlot

PROCESS_ID_OFFSET = 100_000  # processIds start with 1, as the city's do
MAX_PROCESS_ID = 999_999_999_999
RESERVATION_MINUTES = 15  # a reservation waits this long for its preconfirmation
ACTIVATION_MINUTES = 15  # a preconfirmed one waits this long for its confirmation
AUTH_KEY_LENGTH = 5
AUTH_KEY_ALPHABET = string.ascii_lowercase + string.digits

RESERVED, PRECONFIRMED, CONFIRMED, QUEUED, DELETED, EXPIRED = (
    "reserved",
    "preconfirmed",
    "confirmed",
    "queued",
    "deleted",
    "expired",
)
PENDING = (RESERVED, PRECONFIRMED)  # waiting for a confirmation, so they can expire
PERSONAL_DATA: dict[str, Any] = {
    "family_name": "",
    "email": "",
    "telephone": "",
    "custom_textfield": "",
    "custom_textfield2": "",
}
# Compared with when the processId is unknown, so that answer takes as long as a wrong key's.
_NOBODYS_KEY = secrets.token_hex(AUTH_KEY_LENGTH)


class ProcessError(Exception):
    """A step that cannot be done: HTTP status, ZMS errorCode and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def not_found() -> ProcessError:
    """The one answer for an unknown processId and for a wrong authKey alike."""
    message = "no appointment with this processId and authKey"
    return ProcessError(404, "appointmentNotFound", message)


def not_available() -> ProcessError:
    """The start time cannot be booked (taken meanwhile, never offered, or past)."""
    return ProcessError(404, "appointmentNotAvailable", "this appointment is not available")


def expired() -> ProcessError:
    """The reservation was not confirmed in time."""
    return ProcessError(410, "reservationExpired", "the reservation has expired")


def wrong_status(status: str, step: str) -> ProcessError:
    """The process is not in a status this step starts from."""
    return ProcessError(
        409, "invalidProcessStatus", f"an appointment in status {status} cannot be {step}"
    )


def process_id_of(row: AppointmentProcess) -> int:
    """The processId on the wire."""
    assert row.id is not None
    return PROCESS_ID_OFFSET + row.id


def new_auth_key() -> str:
    """A fresh authKey: five letters or digits from the system's secure random source."""
    return "".join(secrets.choice(AUTH_KEY_ALPHABET) for _ in range(AUTH_KEY_LENGTH))


def sub_requests(row: AppointmentProcess) -> list[tuple[int, int]]:
    """The further services booked with the first: [(service id, count)]."""
    return [(int(service), int(count)) for service, count in json.loads(row.sub_requests)]


def is_due(row: AppointmentProcess, now: int) -> bool:
    """Whether a pending reservation's time ran out."""
    return row.status in PENDING and row.reserved_until is not None and row.reserved_until <= now


# --- reading ------------------------------------------------------------------------------


def find(session: Session, process_id: int, auth_key: str) -> AppointmentProcess:
    """The process with this processId and authKey; `not_found()` for either being wrong."""
    row_id = process_id - PROCESS_ID_OFFSET
    row = session.get(AppointmentProcess, row_id) if 0 < row_id <= MAX_PROCESS_ID else None
    key = row.auth_key if row is not None else _NOBODYS_KEY
    genuine = hmac.compare_digest(key.encode(), auth_key.encode())
    if row is None or not genuine:
        raise not_found()
    return row


def current(session: Session, process_id: int, auth_key: str, now: datetime) -> AppointmentProcess:
    """The process as it stands (any status); 410 once its reservation expired."""
    row = find(session, process_id, auth_key)
    if row.status == EXPIRED or is_due(row, int(now.timestamp())):
        _expire(session, row, int(now.timestamp()))
        raise expired()
    return row


# --- reserving ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reservation:
    """What a citizen asks to reserve."""

    office_id: int
    services: list[tuple[int, int]]  # (service id, count), the first is the main one
    timestamp: int


def reserve(
    engine: Engine, catalogue: Catalogue, wish: Reservation, now: datetime
) -> AppointmentProcess:
    """Reserve the start time for the services: all its slots or none (`not_available()`)."""
    office = catalogue.offices.get(wish.office_id)
    if office is None:
        raise BadRequest("invalidOfficeId", f"there is no office {wish.office_id}")
    slot_count = catalogue.slots_for(wish.office_id, wish.services)
    if slot_count is None:
        raise BadRequest("invalidServiceId", "the office does not offer every service asked for")
    horizon = Horizon.at(now)
    slots = slots_of(office.hours, wish.timestamp, slot_count, horizon)
    if slots is None:
        raise not_available()
    with Session(engine, expire_on_commit=False) as session:
        # A slot seen taken is refused without writing; the key below decides every race.
        seen_taken = session.exec(
            select(AppointmentSlot.slot_start).where(
                col(AppointmentSlot.office_id) == wish.office_id,
                col(AppointmentSlot.slot_start).in_(slots),
            )
        ).first()
        if seen_taken is not None:
            raise not_available()
        (service_id, count), *more = wish.services
        row = AppointmentProcess(
            auth_key=new_auth_key(),
            office_id=wish.office_id,
            service_id=service_id,
            service_count=count,
            sub_requests=json.dumps([[other, n] for other, n in more]),
            slot_count=slot_count,
            timestamp=wish.timestamp,
            day=local_day(wish.timestamp),
            status=RESERVED,
            reserved_until=horizon.now + RESERVATION_MINUTES * 60,
            created_at=horizon.now,
        )
        session.add(row)
        try:
            session.flush()  # the process's id, for its slots
            assert row.id is not None
            session.add_all(
                AppointmentSlot(office_id=wish.office_id, slot_start=start, process_id=row.id)
                for start in slots
            )
            session.commit()
        except IntegrityError:  # another request took one of the slots first
            session.rollback()
            raise not_available() from None
    return row


# --- the steps after it -------------------------------------------------------------------

# What a step does besides the change of status, in the same transaction (e.g. send a mail)
AfterStep = Callable[[Session, AppointmentProcess], None]


@dataclass(frozen=True)
class PersonalData:
    """What the citizen tells about themselves (already checked for shape)."""

    family_name: str
    email: str
    telephone: str | None = None
    custom_textfield: str | None = None
    custom_textfield2: str | None = None


def update_data(
    engine: Engine, process_id: int, auth_key: str, data: PersonalData, now: datetime
) -> AppointmentProcess:
    """Add the person's data to a reservation (status reserved only)."""
    values: dict[str, Any] = {"family_name": data.family_name, "email": data.email}
    for name in ("telephone", "custom_textfield", "custom_textfield2"):
        given = getattr(data, name)
        if given is not None:
            values[name] = given
    return _step(engine, process_id, auth_key, now, (RESERVED,), "updated", values)


def preconfirm(
    engine: Engine, process_id: int, auth_key: str, now: datetime, link: str
) -> AppointmentProcess:
    """Preconfirm a reservation that has an email address; the activation mail goes out."""
    moment = int(now.timestamp())
    values = {"status": PRECONFIRMED, "reserved_until": moment + ACTIVATION_MINUTES * 60}

    def mail(session: Session, row: AppointmentProcess) -> None:
        send_mail(session, row, "preconfirm", moment, link)

    return _step(
        engine,
        process_id,
        auth_key,
        now,
        (RESERVED,),
        "preconfirmed",
        values,
        needs_email=True,
        then=mail,
    )


def confirm(engine: Engine, process_id: int, auth_key: str, now: datetime) -> AppointmentProcess:
    """Confirm a preconfirmed appointment (what its activation link does)."""
    moment = int(now.timestamp())

    def mail(session: Session, row: AppointmentProcess) -> None:
        send_mail(session, row, "confirm", moment, None)

    values = {"status": CONFIRMED, "reserved_until": None}
    return _step(engine, process_id, auth_key, now, (PRECONFIRMED,), "confirmed", values, then=mail)


def cancel(engine: Engine, process_id: int, auth_key: str, now: datetime) -> AppointmentProcess:
    """Cancel: the slots are freed and the person's data deleted; a cancelled one stays so."""
    moment = int(now.timestamp())
    with Session(engine, expire_on_commit=False) as session:
        row = current(session, process_id, auth_key, now)
        if row.status == DELETED:
            return row
        if row.timestamp <= moment:
            raise ProcessError(
                400, "appointmentCanNotBeCanceled", "an appointment in the past cannot be cancelled"
            )
        if row.status not in (*PENDING, CONFIRMED):
            raise wrong_status(row.status, "cancelled")
        had_email = bool(row.email)
        changed = _conditional(
            session, row, (*PENDING, CONFIRMED), {"status": DELETED, **PERSONAL_DATA}
        )
        if not changed:  # it changed meanwhile: say what it is now
            session.rollback()
            return cancel(engine, process_id, auth_key, now)
        _free_slots(session, row)
        if had_email:
            send_mail(session, row, "cancel", moment, None)
        session.commit()
        session.refresh(row)
        return row


def _step(
    engine: Engine,
    process_id: int,
    auth_key: str,
    now: datetime,
    allowed: Sequence[str],
    step: str,
    values: dict[str, Any],
    *,
    needs_email: bool = False,
    then: AfterStep | None = None,
) -> AppointmentProcess:
    """Move the process on from one of the `allowed` statuses, setting `values`."""
    with Session(engine, expire_on_commit=False) as session:
        row = current(session, process_id, auth_key, now)
        if row.status not in allowed:
            raise wrong_status(row.status, step)
        if needs_email and not row.email:
            raise ProcessError(400, "invalidEmail", "an email address is needed to preconfirm")
        if not _conditional(session, row, allowed, values, still_pending=int(now.timestamp())):
            session.rollback()  # another request came first: answer as things are now
            return _step(
                engine,
                process_id,
                auth_key,
                now,
                allowed,
                step,
                values,
                needs_email=needs_email,
                then=then,
            )
        if then is not None:
            then(session, row)
        session.commit()
        session.refresh(row)
        return row


def _conditional(
    session: Session,
    row: AppointmentProcess,
    allowed: Sequence[str],
    values: dict[str, Any],
    *,
    still_pending: int | None = None,
) -> bool:
    """UPDATE the row only while its status is one of `allowed` (and, for a pending one, its
    reservation runs past `still_pending`); whether it did."""
    condition = [col(AppointmentProcess.id) == row.id, col(AppointmentProcess.status).in_(allowed)]
    if still_pending is not None and set(allowed) <= set(PENDING):
        condition.append(col(AppointmentProcess.reserved_until) > still_pending)
    result = session.exec(update(AppointmentProcess).where(*condition).values(**values))
    return bool(result.rowcount == 1)


def _free_slots(session: Session, row: AppointmentProcess) -> None:
    session.exec(delete(AppointmentSlot).where(col(AppointmentSlot.process_id) == row.id))


# --- check-in at the kiosk ---------------------------------------------------------------

CHECK_IN_EARLY_MINUTES = 60  # one may check in this long before one's time
CHECK_IN_LATE_MINUTES = 30  # and this long after it


def for_check_in(
    session: Session, process_id: int, auth_key: str | None, office_id: int, now: datetime
) -> AppointmentProcess:
    """The confirmed appointment of today at this office that may check in now.

    With its authKey (the code on the phone) the reasons are told (409 `wrongOffice`,
    `notToday`, `tooEarly`, `tooLate`). Without it (a processId typed at the kiosk) only an
    appointment of today at this office is found at all, so a typed number reveals nothing
    about other days or places. One checked in already passes, to get its ticket again.
    """
    moment = int(now.timestamp())
    today = local_day(moment)
    if auth_key is None:
        row_id = process_id - PROCESS_ID_OFFSET
        row = session.get(AppointmentProcess, row_id) if 0 < row_id <= MAX_PROCESS_ID else None
        if row is None or row.status not in (CONFIRMED, QUEUED):
            raise not_found()
        if row.office_id != office_id or row.day != today:
            raise not_found()
    else:
        row = find(session, process_id, auth_key)
        if row.status not in (CONFIRMED, QUEUED):
            raise ProcessError(
                409, "invalidProcessStatus", "only a confirmed appointment can check in"
            )
        if row.office_id != office_id:
            raise ProcessError(409, "wrongOffice", "this appointment is at another office")
        if row.day != today:
            raise ProcessError(409, "notToday", "this appointment is on another day")
    if row.status == QUEUED:
        return row
    if moment < row.timestamp - CHECK_IN_EARLY_MINUTES * 60:
        raise ProcessError(
            409, "tooEarly", f"check in at most {CHECK_IN_EARLY_MINUTES} minutes before your time"
        )
    if moment > row.timestamp + CHECK_IN_LATE_MINUTES * 60:
        raise ProcessError(
            409, "tooLate", f"check-in closes {CHECK_IN_LATE_MINUTES} minutes after your time"
        )
    return row


def mark_queued(
    session: Session, row: AppointmentProcess, display_number: str, queue_day: date, number: int
) -> bool:
    """Note the kiosk ticket on a confirmed appointment (status queued), or the new one of an
    appointment whose ticket the queue no longer has; whether it could."""
    values = {
        "status": QUEUED,
        "display_number": display_number,
        "queue_day": queue_day,
        "ticket_number": number,
    }
    changed = _conditional(session, row, (CONFIRMED, QUEUED), values)
    session.commit()
    session.refresh(row)
    return changed


# --- expiry -------------------------------------------------------------------------------


def _expire(session: Session, row: AppointmentProcess, now: int) -> None:
    """Expire one due reservation (if nobody did yet): free its slots, delete its data."""
    if row.status == EXPIRED:
        return
    changed = session.exec(
        update(AppointmentProcess)
        .where(
            col(AppointmentProcess.id) == row.id,
            col(AppointmentProcess.status).in_(PENDING),
            col(AppointmentProcess.reserved_until) <= now,
        )
        .values(status=EXPIRED, **PERSONAL_DATA)
    )
    if changed.rowcount == 1:
        _free_slots(session, row)
    session.commit()


def expire_due(engine: Engine, now: datetime) -> int:
    """Expire every reservation whose time ran out; how many it expired."""
    moment = int(now.timestamp())
    with Session(engine) as session:
        due = session.exec(
            select(AppointmentProcess).where(
                col(AppointmentProcess.status).in_(PENDING),
                col(AppointmentProcess.reserved_until) <= moment,
            )
        ).all()
        for row in due:
            _expire(session, row, moment)
        return len(due)
