"""The people who use one app: each known only by a random id kept on their own device."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, delete, func, select

from services.clock import Clock, as_utc
from services.local_store import FollowedTicket, LocalStore, OutboxItem, Person, PersonSetting

# The key under which a browser (local storage) or phone (its own store) keeps its id.
PERSON_KEY = "koeln.person"
# Per-person data that nobody touched for this long is deleted.
KEEP_UNTOUCHED = timedelta(days=30)
_PERSON_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_person_id() -> str:
    """A fresh random id (not derived from anything about the person or their device)."""
    return secrets.token_urlsafe(24)


def is_person_id(value: object) -> bool:
    """Whether `value` looks like an id this app made (anything else is ignored)."""
    return isinstance(value, str) and _PERSON_ID.fullmatch(value) is not None


@dataclass(frozen=True)
class DeletedData:
    """What "delete my data" removed, to tell the person."""

    tickets: int
    settings: int
    unsent: int

    @property
    def nothing(self) -> bool:
        """Whether there was nothing to delete."""
        return not (self.tickets or self.settings or self.unsent)


class People:
    """Creates, touches and deletes the per-person data kept in the local store."""

    def __init__(self, store: LocalStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def ensure(self, person: str) -> None:
        """Record that `person` keeps data here now (their first write, or a new one)."""
        now = self._clock.now()
        with Session(self._store.engine) as session:
            row = session.get(Person, person)
            if row is None:
                row = Person(id=person, created_at=now, seen_at=now)
            row.seen_at = now
            session.add(row)
            session.commit()

    def touch(self, person: str) -> bool:
        """A session of `person` started: their data is in use. False if none is kept."""
        with Session(self._store.engine) as session:
            row = session.get(Person, person)
            if row is None:
                return False
            row.seen_at = self._clock.now()
            session.add(row)
            session.commit()
            return True

    def count(self) -> int:
        """How many people keep data here."""
        with Session(self._store.engine) as session:
            return int(session.exec(select(func.count()).select_from(Person)).one())

    def delete(self, person: str) -> DeletedData:
        """Delete everything kept for `person`, and nobody else's."""
        with Session(self._store.engine) as session:
            deleted = DeletedData(
                tickets=_delete_rows(session, FollowedTicket, person),
                settings=_delete_rows(session, PersonSetting, person),
                unsent=_delete_rows(session, OutboxItem, person),
            )
            session.exec(delete(Person).where(col(Person.id) == person))
            session.commit()
        return deleted

    def purge_untouched(self, keep: timedelta = KEEP_UNTOUCHED) -> list[str]:
        """Delete the data of everybody not seen for `keep`; returns whose it was."""
        cutoff = as_utc(self._clock.now()) - keep
        with Session(self._store.engine) as session:
            gone = [p.id for p in session.exec(select(Person)).all() if as_utc(p.seen_at) < cutoff]
        for person in gone:
            self.delete(person)
        return gone


def _delete_rows(
    session: Session,
    table: type[FollowedTicket] | type[PersonSetting] | type[OutboxItem],
    person: str,
) -> int:
    rows = session.exec(select(table).where(table.person_id == person)).all()
    for row in rows:
        session.delete(row)
    return len(rows)
