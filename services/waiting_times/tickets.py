"""The tickets this phone follows: their last known place, alerts, and clean-up after the day."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlmodel import Session, col, select

from services.clock import CITY_TZ, Clock, as_utc
from services.errors import ServiceError
from services.listeners import Listeners
from services.local_store import FollowedTicket, LocalStore
from services.waiting_times.queue import (
    CALLED,
    FINISHED,
    MISSED,
    PROCESSING,
    QUEUED,
    TICKET_EXPIRED,
    TICKET_NOT_FOUND,
    TICKET_OTHER_LOCATION,
    QueueClient,
    TicketStatus,
)
from services.waiting_times.ticket_link import TicketRef

log = logging.getLogger(__name__)

NEAR_AHEAD = 3  # "three or fewer ahead": time to walk back to the hall
REFUSALS = (TICKET_NOT_FOUND, TICKET_OTHER_LOCATION, TICKET_EXPIRED)
NEAR, CALLED_ALERT = "near", "called"


@dataclass(frozen=True)
class Alert:
    """Something the person must notice now."""

    kind: str  # near | called
    ticket_id: int
    display_number: str
    office: str
    counter: int | None
    numbers_ahead: int


@dataclass(frozen=True)
class Followed:
    """One followed ticket as a screen shows it."""

    id: int
    office: str
    token: str
    added_at: datetime
    status: TicketStatus | None
    checked_at: datetime | None
    problem: str | None
    last_error: ServiceError | None

    @property
    def done(self) -> bool:
        """Nothing more will happen to this ticket."""
        return self.problem is not None or (
            self.status is not None and self.status.status in (FINISHED, MISSED)
        )

    @property
    def is_called(self) -> bool:
        """The number has been called (or is being served)."""
        return self.status is not None and self.status.status in (CALLED, PROCESSING)

    def expected_wait(self, now: datetime) -> tuple[int, bool] | None:
        """Minutes still to wait, and whether that is the app's own estimate (not the server's).

        Without a fresh answer the wait is counted down from the last one and called an estimate.
        """
        if self.status is None or self.status.status != QUEUED or self.checked_at is None:
            return None
        if self.last_error is None:
            return self.status.wait_estimate, False
        elapsed = int((now - self.checked_at).total_seconds() // 60)
        return max(0, self.status.wait_estimate - elapsed), True


def to_followed(row: FollowedTicket, error: ServiceError | None) -> Followed:
    """The stored row as screen data; a stored answer that no longer parses is dropped."""
    status = None
    if row.status:
        try:
            status = TicketStatus.model_validate_json(row.status)
        except ValidationError:
            log.warning("stored status of ticket %s no longer decodes", row.id)
    assert row.id is not None
    return Followed(
        id=row.id,
        office=row.office,
        token=row.token,
        added_at=as_utc(row.added_at),
        status=status,
        checked_at=as_utc(row.checked_at) if row.checked_at else None,
        problem=row.problem,
        last_error=error,
    )


def due_alerts(row: FollowedTicket, status: TicketStatus) -> list[Alert]:
    """The alerts this answer calls for that were not given yet (and marks them given)."""
    alerts = []

    def alert(kind: str) -> Alert:
        assert row.id is not None
        return Alert(
            kind, row.id, status.display_number, row.office, status.counter, status.numbers_ahead
        )

    if status.status in (CALLED, PROCESSING) and not row.alerted_called:
        row.alerted_called = row.alerted_near = True
        alerts.append(alert(CALLED_ALERT))
    elif status.status == QUEUED and status.numbers_ahead <= NEAR_AHEAD and not row.alerted_near:
        row.alerted_near = True
        alerts.append(alert(NEAR))
    return alerts


class FollowedTickets:
    """Follows tickets by their token; keeps the last answer so it survives going offline."""

    def __init__(self, store: LocalStore, client: QueueClient, clock: Clock) -> None:
        self._store = store
        self._client = client
        self._clock = clock
        self._errors: dict[int, ServiceError] = {}
        self._pending: list[Alert] = []  # alerts found while adding, for the next refresh
        self._lock = asyncio.Lock()
        self.listeners = Listeners()

    def all(self) -> list[Followed]:
        """Every followed ticket, newest first."""
        with Session(self._store.engine) as session:
            rows = session.exec(
                select(FollowedTicket).order_by(col(FollowedTicket.added_at).desc())
            ).all()
            return [to_followed(row, self._errors.get(row.id or 0)) for row in rows]

    def get(self, ticket_id: int) -> Followed | None:
        """One followed ticket."""
        with Session(self._store.engine) as session:
            row = session.get(FollowedTicket, ticket_id)
            return to_followed(row, self._errors.get(ticket_id)) if row else None

    def follow(self, ref: TicketRef) -> Followed:
        """Start following a ticket (following it twice keeps one entry)."""
        with Session(self._store.engine) as session:
            row = session.exec(
                select(FollowedTicket).where(
                    FollowedTicket.office == ref.office, FollowedTicket.token == ref.token
                )
            ).first()
            if row is None:
                row = FollowedTicket(office=ref.office, token=ref.token, added_at=self._clock.now())
                session.add(row)
                session.commit()
                session.refresh(row)
            followed = to_followed(row, self._errors.get(row.id or 0))
        self.listeners.notify()
        return followed

    async def follow_checked(self, ref: TicketRef) -> tuple[Followed | None, ServiceError | None]:
        """Ask the server first: a refused ticket is not stored; an unreachable one is."""
        try:
            await self._client.ticket(ref.office, ref.token)
        except ServiceError as error:
            if error.code in REFUSALS:
                return None, error
            followed = self.follow(ref)
            self._errors[followed.id] = error
            return self.get(followed.id), error
        followed = self.follow(ref)
        self._pending.extend(await self._refresh_one(followed))
        self.listeners.notify()
        return self.get(followed.id), None

    def forget(self, ticket_id: int) -> None:
        """Stop following a ticket."""
        with Session(self._store.engine) as session:
            row = session.get(FollowedTicket, ticket_id)
            if row is not None:
                session.delete(row)
                session.commit()
        self._errors.pop(ticket_id, None)
        self.listeners.notify()

    def purge_old(self) -> int:
        """Drop tickets of earlier days: a ticket is only good for the day it was drawn."""
        today = self._clock.now().astimezone(CITY_TZ).date()
        removed = 0
        with Session(self._store.engine) as session:
            for row in session.exec(select(FollowedTicket)).all():
                if as_utc(row.added_at).astimezone(CITY_TZ).date() < today:
                    session.delete(row)
                    removed += 1
            session.commit()
        if removed:
            self.listeners.notify()
        return removed

    async def refresh(self) -> list[Alert]:
        """Ask for every open ticket's place now; returns the alerts that became due."""
        async with self._lock:
            alerts, self._pending = self._pending, []
            for ticket in self.all():
                if not ticket.done:
                    alerts.extend(await self._refresh_one(ticket))
        self.listeners.notify()
        return alerts

    async def _refresh_one(self, ticket: Followed) -> list[Alert]:
        try:
            status = await self._client.ticket(ticket.office, ticket.token)
        except ServiceError as error:
            with Session(self._store.engine) as session:
                row = session.get(FollowedTicket, ticket.id)
                if row is not None and error.code in REFUSALS:
                    row.problem = error.code
                    session.add(row)
                    session.commit()
                    self._errors.pop(ticket.id, None)
                else:
                    self._errors[ticket.id] = error
            return []
        self._errors.pop(ticket.id, None)
        with Session(self._store.engine) as session:
            row = session.get(FollowedTicket, ticket.id)
            if row is None:  # forgotten meanwhile
                return []
            row.status = status.model_dump_json()
            row.checked_at = self._clock.now()
            row.problem = None
            alerts = due_alerts(row, status)
            session.add(row)
            session.commit()
        return alerts
