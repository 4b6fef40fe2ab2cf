"""A person's appointments on this device: only what is needed to find, show and cancel them.

Kept per person (processId, authKey, service, place, time; never name, email or phone), and
removed by itself once the appointment's day is over.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime

from services.clock import CITY_TZ
from services.local_store import LocalStore, from_db, to_db

# the steps of an appointment on the device (ZMS's own statuses, and one of ours)
PRECONFIRMED, CONFIRMED = "preconfirmed", "confirmed"
CANCELLING = "cancelling"  # cancelled on the device, the cancellation waits in the outbox


@dataclass(frozen=True)
class NewEntry:
    """What is written when an appointment joins a wallet."""

    process_id: int
    auth_key: str
    service_id: int
    service_name: str
    office_id: int
    office_name: str
    starts_at: datetime
    minutes: int
    status: str
    replaces: int | None = None  # the process this one replaces once it is confirmed


@dataclass(frozen=True, kw_only=True)
class WalletEntry(NewEntry):
    """One appointment of one person, as kept: what was written, and what came since."""

    id: int
    person_id: str
    watch: bool  # the person wants to hear of an earlier free time
    offer: datetime | None  # an earlier free time found for them
    declined: tuple[datetime, ...]  # earlier times they said no to (never offered again)
    problem: str | None  # the last errorCode the server gave for it
    added_at: datetime

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> WalletEntry:
        """One row of `appointment`."""
        return cls(
            id=row["id"],
            person_id=row["person_id"],
            process_id=row["process_id"],
            auth_key=row["auth_key"],
            service_id=row["service_id"],
            service_name=row["service_name"],
            office_id=row["office_id"],
            office_name=row["office_name"],
            starts_at=from_db(row["starts_at"]),
            minutes=row["minutes"],
            status=row["status"],
            replaces=row["replaces"],
            watch=bool(row["watch"]),
            offer=from_db(row["offer"]) if row["offer"] else None,
            declined=tuple(
                datetime.fromtimestamp(int(stamp), UTC)
                for stamp in (row["declined"] or "").split(",")
                if stamp.isdigit()
            ),
            problem=row["problem"],
            added_at=from_db(row["added_at"]),
        )

    @property
    def day(self) -> date:
        """The appointment's day in Cologne."""
        return self.starts_at.astimezone(CITY_TZ).date()

    @property
    def key(self) -> str:
        """processId and authKey, as in links and check-in codes."""
        return f"{self.process_id}/{self.auth_key}"


class Wallet:
    """The appointments of everybody who uses this app, each person's kept apart."""

    def __init__(self, store: LocalStore) -> None:
        self._store = store

    def put(self, person: str, entry: NewEntry, now: datetime) -> WalletEntry:
        """Add an appointment, or bring the one with that processId up to date."""
        with self._store.transaction() as db:
            db.execute(
                "INSERT INTO appointment (person_id, process_id, auth_key, service_id, "
                "service_name, office_id, office_name, starts_at, minutes, status, replaces, "
                "watch, offer, declined, problem, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, '', NULL, ?) "
                "ON CONFLICT (person_id, process_id) DO UPDATE SET "
                "auth_key = excluded.auth_key, starts_at = excluded.starts_at, "
                "status = excluded.status, problem = NULL",
                (
                    person,
                    entry.process_id,
                    entry.auth_key,
                    entry.service_id,
                    entry.service_name,
                    entry.office_id,
                    entry.office_name,
                    to_db(entry.starts_at),
                    entry.minutes,
                    entry.status,
                    entry.replaces,
                    to_db(now),
                ),
            )
        found = self.find(person, entry.process_id)
        assert found is not None
        return found

    def mine(self, person: str) -> list[WalletEntry]:
        """The person's appointments, soonest first."""
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT * FROM appointment WHERE person_id = ? ORDER BY starts_at, id", (person,)
            ).fetchall()
        return [WalletEntry.from_row(row) for row in rows]

    def find(self, person: str, process_id: int) -> WalletEntry | None:
        """One of the person's appointments by its processId."""
        with self._store.transaction() as db:
            row = db.execute(
                "SELECT * FROM appointment WHERE person_id = ? AND process_id = ?",
                (person, process_id),
            ).fetchone()
        return WalletEntry.from_row(row) if row else None

    def holding(self, process_id: int, auth_key: str) -> WalletEntry | None:
        """Anybody's entry of this appointment, found by its processId and authKey (a link)."""
        found = self.holding_all(process_id, auth_key)
        return found[0] if found else None

    def holding_all(self, process_id: int, auth_key: str) -> list[WalletEntry]:
        """Every person's entry of this appointment (a link may have been opened by several)."""
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT * FROM appointment WHERE process_id = ? AND auth_key = ?",
                (process_id, auth_key),
            ).fetchall()
        return [WalletEntry.from_row(row) for row in rows]

    def remove_everywhere(self, process_id: int, auth_key: str) -> list[str]:
        """Forget a cancelled appointment in every wallet; returns whose they were."""
        people = [entry.person_id for entry in self.holding_all(process_id, auth_key)]
        with self._store.transaction() as db:
            db.execute(
                "DELETE FROM appointment WHERE process_id = ? AND auth_key = ?",
                (process_id, auth_key),
            )
        return people

    def replacing(self) -> list[WalletEntry]:
        """New appointments, not yet confirmed, that replace an older one once they are."""
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT * FROM appointment WHERE replaces IS NOT NULL AND status = ?",
                (PRECONFIRMED,),
            ).fetchall()
        return [WalletEntry.from_row(row) for row in rows]

    def watched(self) -> list[WalletEntry]:
        """Everybody's appointments whose people want an earlier time, soonest first."""
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT * FROM appointment WHERE watch = 1 AND status = ? ORDER BY starts_at",
                (CONFIRMED,),
            ).fetchall()
        return [WalletEntry.from_row(row) for row in rows]

    def update(self, person: str, process_id: int, **values: object) -> None:
        """Change some columns of one of the person's entries."""
        allowed = {"status", "watch", "offer", "declined", "problem", "starts_at", "replaces"}
        if not values or set(values) - allowed:
            raise ValueError(f"cannot set {sorted(set(values) - allowed)}")
        stored = {k: to_db(v) if isinstance(v, datetime) else v for k, v in values.items()}
        assignments = ", ".join(f"{column} = ?" for column in stored)  # names checked above
        with self._store.transaction() as db:
            db.execute(
                f"UPDATE appointment SET {assignments} WHERE person_id = ? AND process_id = ?",
                (*stored.values(), person, process_id),
            )

    def remove(self, person: str, process_id: int) -> bool:
        """Forget one of the person's appointments on this device."""
        with self._store.transaction() as db:
            gone = db.execute(
                "DELETE FROM appointment WHERE person_id = ? AND process_id = ?",
                (person, process_id),
            ).rowcount
        return gone > 0

    def purge_past(self, now: datetime) -> list[str]:
        """Remove every appointment whose day is over; returns whose they were."""
        today = now.astimezone(CITY_TZ).date()
        with self._store.transaction() as db:
            rows = db.execute("SELECT * FROM appointment").fetchall()
            over = [WalletEntry.from_row(row) for row in rows]
            over = [entry for entry in over if entry.day < today]
            for entry in over:
                db.execute("DELETE FROM appointment WHERE id = ?", (entry.id,))
        return sorted({entry.person_id for entry in over})
