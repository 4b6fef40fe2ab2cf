"""The tickets each person follows: their last known place, alerts, and clean-up after the day.

While somebody who follows a ticket has a session open, the app holds one waiting request for
it (however many people and sessions show it), so a call arrives within moments; alerts go to
the person who follows it alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from services.clock import CITY_TZ, Clock
from services.errors import BadData, ServiceError
from services.http import Waited
from services.listeners import PersonalChannel
from services.local_store import FollowedTicket, LocalStore, to_db
from services.long_poll import POLL_EVERY, WAIT, LongPoll, on_loop
from services.waiting_times.queue import (
    CALLED,
    FINISHED,
    LOCATION_NOT_FOUND,
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
REFUSALS = (TICKET_NOT_FOUND, TICKET_OTHER_LOCATION, TICKET_EXPIRED, LOCATION_NOT_FOUND)
MIN_GAP = 5.0  # seconds: a ticket just asked for is not asked for again in a catch-up
PARALLEL = 8  # tickets asked for at once
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
    person: str
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
    return Followed(
        id=row.id,
        person=row.person_id,
        office=row.office,
        token=row.token,
        added_at=row.added_at,
        status=status,
        checked_at=row.checked_at,
        problem=row.problem,
        last_error=error,
    )


def due_alerts(row: FollowedTicket, status: TicketStatus) -> list[Alert]:
    """The alerts this answer calls for that were not given yet (and marks them given)."""
    alerts = []

    def alert(kind: str) -> Alert:
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
    """Follows tickets by their token for each person; the last answer survives going offline."""

    def __init__(
        self,
        store: LocalStore,
        client: QueueClient,
        clock: Clock,
        ensure_person: Callable[[str], None] = lambda _person: None,
    ) -> None:
        self._store = store
        self._client = client
        self._clock = clock
        self._ensure_person = ensure_person
        self._errors: dict[int, ServiceError] = {}
        self._asked: dict[tuple[str, str], float] = {}  # (office, token) -> monotonic time
        self._lock = asyncio.Lock()
        self._catch_ups: set[asyncio.Task[dict[str, list[Alert]]]] = set()
        self.changes: PersonalChannel[None] = PersonalChannel()  # a person's list changed
        self.alerts: PersonalChannel[list[Alert]] = PersonalChannel()  # alerts for a person
        # one waiting request per open ticket of everybody with a session open
        self._waits: dict[tuple[str, str], LongPoll] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self.wait = WAIT
        self.poll_every = POLL_EVERY

    def all(self, person: str | None) -> list[Followed]:
        """Every ticket `person` follows, newest first (nobody: none)."""
        if person is None:
            return []
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT * FROM followedticket WHERE person_id = ? ORDER BY added_at DESC, id DESC",
                (person,),
            ).fetchall()
        return [
            to_followed(row, self._errors.get(row.id)) for row in map(FollowedTicket.from_row, rows)
        ]

    def _row(self, ticket_id: int) -> FollowedTicket | None:
        with self._store.transaction() as db:
            found = db.execute("SELECT * FROM followedticket WHERE id = ?", (ticket_id,)).fetchone()
        return FollowedTicket.from_row(found) if found else None

    def get(self, person: str, ticket_id: int) -> Followed | None:
        """One ticket `person` follows (another person's is not found)."""
        row = self._row(ticket_id)
        if row is None or row.person_id != person:
            return None
        return to_followed(row, self._errors.get(ticket_id))

    def watch(
        self,
        person: str,
        on_change: Callable[[None], None],
        on_alerts: Callable[[list[Alert]], None],
    ) -> Callable[[], None]:
        """A session of `person` is open: poll their tickets, tell it of changes and alerts."""
        remove_change = self.changes.add(person, on_change)
        remove_alerts = self.alerts.add(person, on_alerts)
        with contextlib.suppress(RuntimeError):  # called on the event loop: remember it
            self._loop = asyncio.get_running_loop()
        self._soon_keep_waiting()

        def unwatch() -> None:
            remove_change()
            remove_alerts()
            self._soon_keep_waiting()

        return unwatch

    def keep_waiting(self) -> None:
        """Hold one waiting request per open ticket of everybody with a session open, and
        none for any other (run on the event loop; also restarts one that ended)."""
        wanted = self._open_keys(self.watched())
        for key in [k for k in self._waits if k not in wanted]:
            self._waits.pop(key).stop()
        for key in wanted:
            if key not in self._waits:
                self._waits[key] = self._long_poll(key)
            self._waits[key].start()

    def _open_keys(self, people: set[str]) -> set[tuple[str, str]]:
        """(office, token) of the tickets of `people` that may still change, asked of SQLite
        at once (this runs at every follow and every session: it must not grow with N²)."""
        if not people:
            return set()
        marks = ",".join("?" * len(people))
        with self._store.transaction() as db:
            rows = db.execute(
                f"SELECT DISTINCT office, token FROM followedticket WHERE person_id IN ({marks}) "
                "AND problem IS NULL AND (status IS NULL OR json_valid(status) = 0 "
                "OR json_extract(status, '$.status') NOT IN (?, ?))",
                [*sorted(people), FINISHED, MISSED],
            ).fetchall()
        return {(str(row["office"]), str(row["token"])) for row in rows}

    def waiting(self) -> int:
        """How many waiting requests are held now."""
        return sum(1 for poll in self._waits.values() if poll.running)

    def stop_waiting(self) -> None:
        """End every waiting request (the app stops)."""
        for poll in self._waits.values():
            poll.stop()
        self._waits.clear()

    def _long_poll(self, key: tuple[str, str]) -> LongPoll:
        office, token = key

        async def ask(etag: str | None) -> Waited:
            self._asked[key] = time.monotonic()
            return await self._client.wait_ticket(office, token, etag, self.wait)

        return LongPoll(
            f"ticket {office}/{token[:8]}",
            ask,
            lambda status: self._deliver(key, status, self.watched()),
            lambda error: self._deliver(key, error, self.watched()),
            poll_every=self.poll_every,
        )

    def _soon_keep_waiting(self) -> None:
        """`keep_waiting` on the event loop, from whichever thread a change comes."""
        on_loop(self._loop, self.keep_waiting)

    def watched(self) -> set[str]:
        """The persons with a session open that shows their tickets."""
        return self.alerts.people()

    def follow(self, person: str, ref: TicketRef) -> Followed:
        """`person` starts following a ticket (following it twice keeps one entry)."""
        self._ensure_person(person)
        with self._store.transaction() as db:
            db.execute(
                "INSERT INTO followedticket (person_id, office, token, added_at, status, "
                "checked_at, problem, alerted_near, alerted_called) "
                "VALUES (?, ?, ?, ?, NULL, NULL, NULL, 0, 0) "
                "ON CONFLICT (person_id, office, token) DO NOTHING",
                (person, ref.office, ref.token, to_db(self._clock.now())),
            )
            found = db.execute(
                "SELECT * FROM followedticket WHERE person_id = ? AND office = ? AND token = ?",
                (person, ref.office, ref.token),
            ).fetchone()
        row = FollowedTicket.from_row(found)
        self.changes.publish(person, None)
        self._soon_keep_waiting()
        return to_followed(row, self._errors.get(row.id))

    async def follow_checked(
        self, person: str, ref: TicketRef
    ) -> tuple[Followed | None, ServiceError | None]:
        """Ask the server first: a refused ticket is not stored; an unreachable one is."""
        try:
            await self._client.ticket(ref.office, ref.token)
        except ServiceError as error:
            if error.code in REFUSALS:
                return None, error
            followed = self.follow(person, ref)
            self._errors[followed.id] = error
            return self.get(person, followed.id), error
        followed = self.follow(person, ref)
        await self.refresh(person, force=True)
        return self.get(person, followed.id), None

    def forget(self, person: str, ticket_id: int) -> None:
        """`person` stops following one of their tickets; another person's stays untouched."""
        with self._store.transaction() as db:
            gone = db.execute(
                "DELETE FROM followedticket WHERE id = ? AND person_id = ?", (ticket_id, person)
            ).rowcount
        if not gone:
            return
        self._errors.pop(ticket_id, None)
        self.changes.publish(person, None)
        self._soon_keep_waiting()

    def purge_old(self) -> int:
        """Drop tickets of earlier days: a ticket is only good for the day it was drawn."""
        local_now = self._clock.now().astimezone(CITY_TZ)
        midnight = to_db(local_now.replace(hour=0, minute=0, second=0, microsecond=0))
        with self._store.transaction() as db:
            touched = {
                str(row["person_id"])
                for row in db.execute(
                    "SELECT DISTINCT person_id FROM followedticket WHERE added_at < ?", (midnight,)
                )
            }
            removed = db.execute(
                "DELETE FROM followedticket WHERE added_at < ?", (midnight,)
            ).rowcount
        for person in touched:
            self.changes.publish(person, None)
        self._soon_keep_waiting()
        return int(removed)

    def forgotten(self, person: str) -> None:
        """`person`'s data was deleted: forget what is held for it, and their sessions redraw."""
        with self._store.transaction() as db:
            kept = {int(row["id"]) for row in db.execute("SELECT id FROM followedticket")}
        self._errors = {k: v for k, v in self._errors.items() if k in kept}
        self.changes.publish(person, None)
        self._soon_keep_waiting()

    def request_catch_up(self, person: str) -> None:
        """A session of `person` (re)connected: bring their tickets up to date in the background."""
        task = asyncio.get_running_loop().create_task(self.refresh(person))
        self._catch_ups.add(task)
        task.add_done_callback(self._catch_ups.discard)

    async def refresh(
        self, person: str | None = None, *, force: bool = False
    ) -> dict[str, list[Alert]]:
        """Ask once for each open ticket of `person`, or of everybody watching; alert them.

        A ticket asked for less than `MIN_GAP` seconds ago is not asked for again unless
        `force`d. Returns the alerts that became due, by person.
        """
        people = {person} if person is not None else self.watched()
        if not people:
            return {}
        async with self._lock:
            keys = self._open_tickets(people, force=force)
            limit = asyncio.Semaphore(PARALLEL)

            async def ask(key: tuple[str, str]) -> tuple[tuple[str, str], object]:
                async with limit:
                    self._asked[key] = time.monotonic()
                    try:
                        return key, await self._client.ticket(*key)
                    except ServiceError as error:
                        return key, error
                    except Exception as error:  # a bug must not end the round for everybody
                        log.exception("asking for a ticket failed")
                        return key, BadData(f"{error.__class__.__name__}: {error}")

            answers = await asyncio.gather(*(ask(key) for key in keys))
        alerts: dict[str, list[Alert]] = {}
        for key, answer in answers:
            for alert_person, found in self._deliver(key, answer, people, tell=False).items():
                alerts.setdefault(alert_person, []).extend(found)
        for changed in people:
            self.changes.publish(changed, None)
        for alert_person, found in alerts.items():
            if found:
                self.alerts.publish(alert_person, found)
        return alerts

    def _deliver(
        self, key: tuple[str, str], answer: object, people: set[str], *, tell: bool = True
    ) -> dict[str, list[Alert]]:
        """An answer about one ticket: record it for those of `people` who follow it (the
        others hear of it when they come back); with `tell`, their sessions redraw and get
        the alerts it calls for. Returns the alerts by person."""
        with self._store.transaction() as db:
            rows = [
                row
                for row in db.execute(
                    "SELECT id, person_id FROM followedticket WHERE office = ? AND token = ?", key
                ).fetchall()
                if str(row["person_id"]) in people
            ]
        alerts: dict[str, list[Alert]] = {}
        for row in rows:
            for alert_person, found in self._apply(int(row["id"]), key, answer).items():
                alerts.setdefault(alert_person, []).extend(found)
        if tell:
            for person in {str(row["person_id"]) for row in rows}:
                self.changes.publish(person, None)
            for person, found in alerts.items():
                if found:
                    self.alerts.publish(person, found)
        if isinstance(answer, TicketStatus) and answer.status in (FINISHED, MISSED):
            self._soon_keep_waiting()  # nothing more will happen: stop waiting for it
        elif isinstance(answer, ServiceError) and answer.code in REFUSALS:
            self._soon_keep_waiting()
        return alerts

    def _open_tickets(self, people: set[str], *, force: bool) -> set[tuple[str, str]]:
        """(office, token) still worth asking for now: not asked moments ago, unless `force`d."""
        now = time.monotonic()
        self._asked = {k: t for k, t in self._asked.items() if now - t < MIN_GAP}
        keys = self._open_keys(people)
        return keys if force else {k for k in keys if k not in self._asked}

    def _apply(
        self, ticket_id: int, key: tuple[str, str], answer: object
    ) -> dict[str, list[Alert]]:
        """Record one answer for one followed ticket; the alerts it calls for, by person."""
        with self._store.transaction() as db:
            found = db.execute("SELECT * FROM followedticket WHERE id = ?", (ticket_id,)).fetchone()
            row = FollowedTicket.from_row(found) if found else None
            if row is None or (row.office, row.token) != key:  # forgotten meanwhile
                self._errors.pop(ticket_id, None)
                return {}
            if isinstance(answer, ServiceError):
                if answer.code in REFUSALS:
                    db.execute(
                        "UPDATE followedticket SET problem = ? WHERE id = ?",
                        (answer.code, ticket_id),
                    )
                    self._errors.pop(ticket_id, None)
                else:
                    self._errors[ticket_id] = answer
                return {}
            assert isinstance(answer, TicketStatus)
            self._errors.pop(ticket_id, None)
            alerts = due_alerts(row, answer)
            db.execute(
                "UPDATE followedticket SET status = ?, checked_at = ?, problem = NULL, "
                "alerted_near = ?, alerted_called = ? WHERE id = ?",
                (
                    answer.model_dump_json(),
                    to_db(self._clock.now()),
                    row.alerted_near,
                    row.alerted_called,
                    ticket_id,
                ),
            )
            return {row.person_id: alerts}
