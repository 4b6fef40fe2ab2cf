"""The people who use one app: each known only by a random id kept on their own device."""

from __future__ import annotations

import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import timedelta

from services.clock import Clock
from services.local_store import LocalStore, to_db

# The key under which a browser (local storage) or phone (its own store) keeps its id.
PERSON_KEY = "koeln.person"
# Unsent writes that are still sent when their person deletes their data (as nobody's).
SENT_ANYWAY = ("appointment_cancel",)
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
    appointments: int = 0  # removed from the device; still booked (cancel them first)
    favourites: int = 0
    submissions: int = 0  # the device's record of survey answers sent (never the answers)

    @property
    def nothing(self) -> bool:
        """Whether there was nothing to delete."""
        kept = (
            self.tickets,
            self.settings,
            self.unsent,
            self.appointments,
            self.favourites,
            self.submissions,
        )
        return not any(kept)


class People:
    """Creates, touches and deletes the per-person data kept in the local store."""

    def __init__(self, store: LocalStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def ensure(self, person: str) -> None:
        """Record that `person` keeps data here now (their first write, or a new one)."""
        now = to_db(self._clock.now())
        with self._store.transaction() as db:
            db.execute(
                "INSERT INTO person (id, created_at, seen_at) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at",
                (person, now, now),
            )

    def touch(self, person: str) -> bool:
        """A session of `person` started: their data is in use. False if none is kept."""
        with self._store.transaction() as db:
            changed = db.execute(
                "UPDATE person SET seen_at = ? WHERE id = ?", (to_db(self._clock.now()), person)
            ).rowcount
        return changed > 0

    def count(self) -> int:
        """How many people keep data here."""
        with self._store.transaction() as db:
            return int(db.execute("SELECT count(*) FROM person").fetchone()[0])

    def delete(self, person: str) -> DeletedData:
        """Delete everything kept for `person`, and nobody else's. A cancellation not yet sent
        is sent all the same (as nobody's), or the appointment would stay booked."""
        with self._store.transaction() as db:
            db.execute(
                "UPDATE outboxitem SET person_id = NULL WHERE person_id = ? AND kind IN "
                f"({', '.join('?' * len(SENT_ANYWAY))})",
                (person, *SENT_ANYWAY),
            )
            deleted = DeletedData(
                tickets=_delete_rows(db, "followedticket", person),
                settings=_delete_rows(db, "personsetting", person),
                unsent=_delete_rows(db, "outboxitem", person),
                appointments=_delete_rows(db, "appointment", person),
                favourites=_delete_rows(db, "favouritedataset", person),
                submissions=_delete_rows(db, "surveysubmission", person),
            )
            db.execute("DELETE FROM person WHERE id = ?", (person,))
        return deleted

    def purge_untouched(self, keep: timedelta = KEEP_UNTOUCHED) -> list[str]:
        """Delete the data of everybody not seen for `keep`; returns whose it was."""
        cutoff = to_db(self._clock.now() - keep)
        with self._store.transaction() as db:
            # appointments are booked up to eight weeks ahead and leave after their day
            rows = db.execute(
                "SELECT id FROM person WHERE seen_at < ? "
                "AND id NOT IN (SELECT person_id FROM appointment)",
                (cutoff,),
            ).fetchall()
        gone = [str(row["id"]) for row in rows]
        for person in gone:
            self.delete(person)
        return gone


def _delete_rows(db: sqlite3.Connection, table: str, person: str) -> int:
    # `table` is one of the names written above, never anything from outside
    return db.execute(f"DELETE FROM {table} WHERE person_id = ?", (person,)).rowcount
